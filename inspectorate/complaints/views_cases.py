"""Staff pages: cases (reply, review, dispatch, split) and transfer batches (close, transfer, notices, publish)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import authorize, can, has_role_anywhere
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.listing import Column, ListPage
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .actions.batches import transfer_blocker, transfer_preview
from .filters import BatchFilter, CaseFilter
from .forms import ReplyForm
from .models import CaseStatus, Complaint, DisclosureTable, TransferBatch
from .redact import complaint_text
from .views import error_text, need, region_choices

# Lazy: a module-level label translated at import would stay in the language of whoever imported it first.
CASE_COLUMNS = [
    Column(gettext_lazy("Case number"), "number"),
    Column(gettext_lazy("Region"), "region"),
    Column(gettext_lazy("Summary")),
    Column(gettext_lazy("Types")),
    Column(gettext_lazy("Handling unit"), "handler"),
    Column(gettext_lazy("Due"), "due"),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Result")),
]


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    campaigns = campaigns_for(request.user)
    listing = ListPage(
        request,
        CaseFilter,
        selectors.cases_for(request.user),
        columns=CASE_COLUMNS,
        filters=["campaign", "batch", "region", "type", "status", "verdict", "date_from", "date_to", "overdue"],
        choices={"campaign": [(c.code, str(c)) for c in campaigns], "region": region_choices(campaigns)},
    )
    return render(request, "complaints/case_list.html", {"list": listing, "page": listing.page})


@login_required
def case_detail(request: HttpRequest, pk: str) -> HttpResponse:
    case = get_object_or_404(selectors.cases_for(request.user), pk=pk)
    team = can(request.user, "cases.review", case)
    origin = case.origin
    ctx = {
        "case": case,
        # The complaint's own words, masked; the clear text only through the audited reveal.
        "complaint_text": complaint_text(origin) if origin is not None else "",
        "origin": origin,
        "can_reveal": origin is not None and can(request.user, "complaints.reveal_reporter", origin),
        "results": list(case.results.prefetch_related("penalties", "evidence").order_by("-version")),
        "complaints": list(Complaint.objects.filter(case=case).order_by("received_at")) if team else [],
        "can_reply": can(request.user, "cases.reply", case),
        "can_review": team,
        "can_dispatch": can(request.user, "cases.dispatch", case),
        "can_register": can(request.user, "cases.register", case),
        "reply_form": ReplyForm(),
        "sub_units": units_for(request.user).filter(path__startswith=case.lead_unit.path).order_by("path")[:200],
        "parts": list(case.split_parts.all()),
        "ratings": list(case.ratings.all()) if team else [],
    }
    return render(request, "complaints/case_detail.html", ctx)


# The role each case step needs (the action checks it again on the case itself).
CASE_ACTION_ROLES = {
    "reply": "cases.reply",
    "review": "cases.review",
    "dispatch": "cases.dispatch",
    "split": "cases.register",
    "key": "cases.register",
    "close-review": "cases.review",
}


@login_required
@require_POST
def case_action(request: HttpRequest, pk: str, name: str) -> HttpResponse:
    case = get_object_or_404(selectors.cases_for(request.user), pk=pk)
    if name not in CASE_ACTION_ROLES:
        raise PermissionDenied(name)
    need(request.user, CASE_ACTION_ROLES[name])  # the role before the form: a refused user gets 403, not a form error
    p = request.POST
    try:
        if name == "reply":
            form = ReplyForm(p, request.FILES)
            if not form.is_valid():
                raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
            d = form.cleaned_data
            actions.reply_case(
                case,
                actor=request.user,
                summary=d["summary"],
                verdict=d["verdict"],
                status=d["status"],
                measures=d["measures"],
                next_step=d["next_step"],
                next_step_date=d["next_step_date"],
                penalties=form.penalties(),
                evidence=d["evidence"],
                explanation=d["explanation"],
                **{k: d[k] for k in actions.results.COUNT_FIELDS},
            )
        elif name == "review":
            actions.review_case(case, actor=request.user, accept=p.get("decision") == "accept", reason=p.get("reason", ""))
        elif name == "dispatch":
            unit = get_object_or_404(units_for(request.user), pk=p.get("unit"))
            actions.dispatch_case(case, actor=request.user, unit=unit, note=p.get("note", ""))
        elif name == "split":
            units = list(units_for(request.user).filter(pk__in=p.getlist("units")))
            actions.split_case(case, actor=request.user, units=units, reason=p.get("reason", ""))
        elif name == "key":
            actions.set_key(case, actor=request.user, is_key=p.get("is_key") == "on")
        elif name == "close-review":
            rating = get_object_or_404(case.ratings, pk=p.get("rating"))
            actions.close_rating_review(rating, actor=request.user, outcome=p.get("outcome", ""), reopen=p.get("reopen") == "on")
        else:
            raise PermissionDenied(name)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("complaints:case", pk=case.pk)


@login_required
def case_file(request: HttpRequest, pk: str) -> HttpResponse:
    """一案一档: the case, its replies and evidence as one zip with a SHA-256 manifest."""
    from .casefile import case_file_zip

    case = get_object_or_404(selectors.cases_for(request.user), pk=pk)
    resp = HttpResponse(case_file_zip(case), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="{case.number}.zip"'
    return resp


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    campaigns = campaigns_for(request.user)
    listing = ListPage(
        request,
        BatchFilter,
        selectors.batches_for(request.user),
        columns=[
            Column(_("Campaign"), "campaign"),
            Column(_("Batch"), "number"),
            Column(_("Intake day"), "intake"),
            Column(_("Status"), "status"),
            Column(_("Transferred"), "transferred"),
        ],
        filters=["campaign", "status", "date_from", "date_to", "overdue"],
        choices={"campaign": [(c.code, str(c)) for c in campaigns]},
    )
    return render(
        request,
        "complaints/batch_list.html",
        {
            "list": listing,
            "page": listing.page,
            "can_close": has_role_anywhere(request.user, "batches.create"),
            "campaigns": campaigns_for(request.user, "batches.create"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def batch_close(request: HttpRequest) -> HttpResponse:
    need(request.user, "batches.create")
    campaign = get_object_or_404(campaigns_for(request.user, "batches.create"), code=request.POST.get("campaign"))
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
        batch = actions.close_intake_day(campaign, day, actor=request.user)
    except ValueError:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        return redirect("complaints:batch", pk=batch.pk)
    return redirect("complaints:batches")


@login_required
def batch_detail(request: HttpRequest, pk: str) -> HttpResponse:
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    cases = selectors.cases_for(request.user).filter(batch=batch).exclude(status=CaseStatus.MERGED).order_by("-is_key", "number")
    notices = list(selectors.notices_for(request.user).filter(batch=batch))
    ctx = {
        "batch": batch,
        "cases": list(cases),
        "notices": notices,
        "tables": selectors.batch_disclosures_for(request.user, batch),
        "may_transfer": can(request.user, "batches.transfer", batch),
        "transfer_blocked": transfer_blocker(batch),
        "can_ack": any(n.acknowledged_at is None for n in notices) and can(request.user, "batches.acknowledge", batch),
        "can_approve": can(request.user, "disclosure.approve", batch) and batch.status != TransferBatch.Status.CLOSED,
        "can_publish": can(request.user, "batches.publish", batch),
        "today": timezone.localdate(),
    }
    return render(request, "complaints/batch_detail.html", ctx)


@login_required
@require_POST
def batch_action(request: HttpRequest, pk: str, name: str) -> HttpResponse:
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    try:
        if name == "transfer":
            if request.POST.get("confirm") != "1":
                return _confirm_transfer(request, batch)
            actions.transfer_batch(batch, actor=request.user)
            n = batch.notices.count()
            messages.success(
                request,
                _("Batch %(b)s transferred (交办): %(c)d cases to %(u)d units.")
                % {"b": batch.number, "c": sum(batch.notices.values_list("case_count", flat=True)), "u": n},
            )
        elif name == "acknowledge":
            actions.acknowledge_batch(batch, actor=request.user)
        elif name == "approve":
            actions.approve_disclosure(batch, actor=request.user)
        elif name == "publish":
            table = get_object_or_404(batch.disclosures, pk=request.POST.get("table"), status=DisclosureTable.Status.APPROVED)
            actions.publish_disclosure(table, actor=request.user)
        else:
            raise PermissionDenied(name)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("complaints:batch", pk=batch.pk)


def _confirm_transfer(request: HttpRequest, batch: TransferBatch) -> HttpResponse:
    """The step before 交办: what will be sent to whom and the due date, with Confirm / Cancel (no script needed)."""
    authorize(request.user, "batches.transfer", batch)
    blocker = transfer_blocker(batch)
    if blocker:
        raise ValidationError(blocker)
    preview = transfer_preview(batch)
    due = f"{preview['due']:%Y-%m-%d}" + (" " + _("(estimated)") if preview["estimated"] else "")
    ctx = {
        "title": _("Transfer %(batch)s (交办)?") % {"batch": batch},
        "facts": [(_("Campaign"), batch.campaign), (_("Cases"), preview["cases"]), (_("Reply due"), due)],
        "row_head": [_("Receiving unit"), _("Cases")],
        "rows": preview["units"],
        "warning": _("Each unit receives its transfer notice and the reply deadline starts to run."),
        "action": reverse("complaints:batch_action", args=[batch.pk, "transfer"]),
        "button": _("Confirm transfer"),
        "cancel": reverse("complaints:batch", args=[batch.pk]),
    }
    return render(request, "confirm.html", ctx)


@login_required
def notice_download(request: HttpRequest, pk: str, unit: str, kind: str) -> HttpResponse:
    from .notices import notice_docx, notice_xlsx

    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    notice = selectors.notices_for(request.user).filter(batch=batch, unit__pk=unit).first()
    if notice is None:
        raise Http404
    if kind == "docx":
        body = notice_docx(batch, notice.unit)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body, kind = notice_xlsx(batch, notice.unit), "xlsx"
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="batch{batch.number}-{notice.unit.code}.{kind}"'
    return resp
