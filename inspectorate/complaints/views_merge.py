"""Pages of the merge queue: the day's duplicate clusters, one cluster with its evidence, merge and unmerge.

Merging and unmerging ask for confirmation first: the form posts without ``confirm``, the page answers with
what will happen and a button that posts again with ``confirm=1`` (works without JavaScript).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.campaigns.selectors import campaigns_for

from . import actions, merge_queue, selectors
from .views import error_text, need

DAYS_SHOWN = 31


def _campaigns(user: Any) -> Any:
    return campaigns_for(user, "complaints.screen").order_by("-stationing_start", "code")


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _cluster_url(campaign: Any, day: dt.date, cluster_id: Any) -> str:
    query = urlencode({"campaign": campaign.code, "day": day.isoformat()})
    return f"{reverse('complaints:merge_cluster', args=[cluster_id])}?{query}"


def _queue_url(campaign: Any, day: dt.date) -> str:
    return f"{reverse('complaints:merge_queue')}?{urlencode({'campaign': campaign.code, 'day': day.isoformat()})}"


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The campaign's intake days with their open clusters; the chosen day's clusters."""
    need(request.user, "complaints.screen")
    campaigns = _campaigns(request.user)
    code = request.GET.get("campaign")
    campaign = get_object_or_404(campaigns, code=code) if code else campaigns.first()
    ctx: dict[str, Any] = {"campaigns": campaigns, "campaign": campaign, "days": [], "clusters": [], "day": None}
    if campaign is not None:
        day_rows = merge_queue.days(request.user, campaign)[:DAYS_SHOWN]
        counts = merge_queue.open_counts(request.user, campaign, [d for d, _n in day_rows])
        ctx["days"] = [(d, n, counts[d]) for d, n in day_rows]
        day = _day(request.GET.get("day"))
        if day is None and day_rows:
            day = next((d for d, _n in day_rows if counts[d]), day_rows[0][0])
        ctx["day"] = day
        if day is not None:
            ctx["clusters"] = merge_queue.clusters(request.user, campaign, day)
            ctx["open_count"] = sum(1 for cl in ctx["clusters"] if cl.is_open)
            ctx["untriaged"] = merge_queue.untriaged(request.user, campaign, day)
    return render(request, "complaints/merge_queue.html", ctx)


def _cluster_or_404(request: HttpRequest, pk: Any, params: Any) -> tuple[Any, dt.date, merge_queue.Cluster]:
    campaign = get_object_or_404(_campaigns(request.user), code=params.get("campaign", ""))
    day = _day(params.get("day"))
    if day is None:
        raise Http404
    cl = merge_queue.cluster_of(request.user, campaign, day, pk)
    if cl is None:
        raise Http404
    return campaign, day, cl


@login_required
def cluster(request: HttpRequest, pk: str) -> HttpResponse:
    """One cluster: its complaints, the evidence of each linked pair, the merge form and unmerge buttons."""
    need(request.user, "complaints.screen")
    campaign, day, cl = _cluster_or_404(request, pk, request.GET)
    codes = {str(m.pk): m.receipt_code for m in cl.members}
    ctx = {
        "campaign": campaign,
        "day": day,
        "cluster": cl,
        "rows": [(m, codes.get(str(m.duplicate_of_id), "") if m.duplicate_of_id else "") for m in cl.members],
        "evidence": [(e, codes[e.a], codes[e.b]) for e in cl.evidence],
        "heads": cl.heads,
        "default_primary": next((m for m in cl.heads if m.case_id), cl.heads[0] if cl.heads else None),
        "queue_url": _queue_url(campaign, day),
    }
    return render(request, "complaints/merge_cluster.html", ctx)


@login_required
@require_POST
def merge(request: HttpRequest, pk: str) -> HttpResponse:
    """Merge the chosen complaints of cluster `pk` into the chosen primary (after confirmation)."""
    need(request.user, "complaints.screen")
    p = request.POST
    campaign, day, cl = _cluster_or_404(request, pk, p)
    by_id = {str(m.pk): m for m in cl.members}
    primary = by_id.get(p.get("primary", ""))
    chosen = [by_id[i] for i in p.getlist("duplicates") if i in by_id and i != p.get("primary")]
    back = _cluster_url(campaign, day, cl.id)
    if primary is None or not chosen:
        messages.error(request, _("Choose the primary complaint and at least one other complaint to merge into it."))
        return redirect(back)
    if p.get("confirm") != "1":
        ctx = {"campaign": campaign, "day": day, "cluster": cl, "primary": primary, "chosen": chosen}
        ctx["reason"] = p.get("reason", "")
        return render(request, "complaints/merge_confirm.html", ctx)
    try:
        merged = actions.merge_cluster(primary, chosen, actor=request.user, reason=p.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(n)d complaints merged into %(code)s.") % {"n": len(merged), "code": primary.receipt_code})
    return redirect(back)


@login_required
@require_POST
def unmerge(request: HttpRequest, pk: str) -> HttpResponse:
    """Undo the merge of one complaint of the cluster (after confirmation)."""
    need(request.user, "complaints.screen")
    p = request.POST
    complaint = get_object_or_404(selectors.complaints_for(request.user, "complaints.screen"), pk=pk)
    campaign = get_object_or_404(_campaigns(request.user), pk=complaint.campaign_id)
    day = _day(p.get("day")) or complaint.intake_day
    back = _cluster_url(campaign, day, p.get("cluster") or complaint.pk)
    if p.get("confirm") != "1":
        ctx = {"campaign": campaign, "day": day, "complaint": complaint, "reason": p.get("reason", ""), "back": back}
        return render(request, "complaints/unmerge_confirm.html", ctx)
    try:
        actions.unmerge_complaint(complaint, actor=request.user, reason=p.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, _("The merge of %(code)s was undone.") % {"code": complaint.receipt_code})
    return redirect(_queue_url(campaign, day))
