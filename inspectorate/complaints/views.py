"""Staff pages: complaint list, staff entry, import, complaint detail with screening, bulletin report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.audit.anchors import export_stamp
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.listing import Column, ListPage
from inspectorate.core.storage import serve_file
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .bulletin import bulletin, summary_line, wan
from .classify import suggest_key
from .filters import ComplaintFilter
from .forms import ClassifyForm, ImportForm, StaffComplaintForm
from .models import Complaint
from .similarity import find_similar

# The hint while typing may be generous (like the public form's): it only points at reports to look at.
HINT_MIN_SCORE = 0.3


def need(user: Any, action: str) -> None:
    if not has_role_anywhere(user, action):
        raise PermissionDenied(action)


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{m}" for msgs in exc.message_dict.values() for m in msgs)
    return "; ".join(exc.messages)


def intake_campaigns(user: Any) -> Any:
    return campaigns_for(user, "complaints.intake").order_by("-stationing_start")


def region_choices(campaigns: Any) -> list[tuple[str, str]]:
    """The regions a list can be narrowed to: the campaigns' targets and their counties (by code)."""
    from inspectorate.orgs.models import OrgUnit

    targets = OrgUnit.objects.filter(campaigns_targeting__in=campaigns).distinct()
    units = OrgUnit.objects.filter(Q(pk__in=targets) | Q(parent__in=targets)).exclude(unit_type="department")
    return [(u.code, str(u)) for u in units.order_by("path")]


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    need(request.user, "complaints.screen")
    campaigns = intake_campaigns(request.user)
    listing = ListPage(
        request,
        ComplaintFilter,
        selectors.complaints_for(request.user),
        columns=[
            Column(_("Receipt"), "receipt"),
            Column(_("Received"), "received"),
            Column(_("Channel"), "channel"),
            Column(_("Description")),
            Column(_("Jurisdiction"), "jurisdiction"),
            Column(_("Types")),
            Column(_("Status"), "status"),
            Column(_("Case")),
        ],
        filters=["campaign", "batch", "region", "type", "status", "channel", "date_from", "date_to"],
        choices={"campaign": [(c.code, str(c)) for c in campaigns], "region": region_choices(campaigns)},
    )
    return render(request, "complaints/complaint_list.html", {"list": listing, "page": listing.page})


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    need(request.user, "complaints.intake")
    campaigns = intake_campaigns(request.user)
    form = StaffComplaintForm(request.POST or None, initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    campaign_ref = request.POST.get("campaign") or request.GET.get("campaign")
    if request.method == "POST" and form.is_valid():
        campaign = get_object_or_404(campaigns, code=campaign_ref)
        d = form.cleaned_data
        try:
            c = actions.submit_complaint(
                campaign=campaign,
                channel=d["channel"],
                text=d["text"],
                received_at=d["received_at"],
                lat=d.get("lat"),
                lon=d.get("lon"),
                address=d.get("address", ""),
                polluter_name=d.get("polluter_name", ""),
                reporter_name=d.get("reporter_name", ""),
                reporter_phone=d.get("reporter_phone", ""),
                type_hints=d.get("type_hints") or (),
                extra={"channel_details": form.channel_details()},
                actor=request.user,
            )
        except ValidationError as exc:
            for field, msgs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                for m in msgs:
                    form.add_error(field if field in form.fields else None, m)
        else:
            messages.success(request, _("Complaint %(code)s registered.") % {"code": c.receipt_code})
            return redirect("complaints:detail", pk=c.pk)
    return render(request, "complaints/complaint_new.html", {"form": form, "campaigns": campaigns, "campaign_ref": campaign_ref})


@login_required
def similar_hint(request: HttpRequest) -> HttpResponse:
    """HTMX partial for the staff entry form: similar reports of the chosen campaign while the text is typed."""
    need(request.user, "complaints.intake")
    p = request.POST if request.method == "POST" else request.GET
    text = (p.get("text") or "").strip()
    code = p.get("campaign") or ""
    hits: list[tuple[Complaint, float]] = []
    campaign = intake_campaigns(request.user).filter(code=code).first() if code else None
    if campaign is not None and len(text) >= 8:
        found = find_similar(
            campaign,
            text,
            lat=_float(p.get("lat")),
            lon=_float(p.get("lon")),
            polluter_name=(p.get("polluter_name") or "")[:200],
            k=5,
            min_score=HINT_MIN_SCORE,
        )
        by_id = {str(c.pk): c for c in selectors.complaints_for(request.user).filter(pk__in=[i for i, _s in found])}
        hits = [(by_id[i], s) for i, s in found if i in by_id]
    return render(request, "complaints/_similar.html", {"hits": hits})


def _float(v: Any) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


@login_required
def complaint_import(request: HttpRequest) -> HttpResponse:
    need(request.user, "complaints.intake")
    campaigns = intake_campaigns(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        campaign = get_object_or_404(campaigns, code=request.POST.get("campaign"))
        upload = form.cleaned_data["file"]
        report = actions.import_calls(campaign, upload.read(), upload.name, actor=request.user)
        if report.ok:
            messages.success(request, _("%(n)d complaints imported.") % {"n": report.created})
    return render(request, "complaints/import.html", {"form": form, "campaigns": campaigns, "report": report})


@login_required
def complaint_import_template(request: HttpRequest) -> HttpResponse:
    """The calls workbook to fill in: header row and an explanation of every column."""
    import io

    from .import_template import write_calls_template

    need(request.user, "complaints.intake")
    buf = io.BytesIO()
    write_calls_template(buf)
    response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="calls-template.xlsx"'
    return response


@login_required
def complaint_detail(request: HttpRequest, pk: str) -> HttpResponse:
    c = get_object_or_404(selectors.complaints_for(request.user), pk=pk)
    similar_ids = [s[0] for s in c.similar]
    similar = {str(o.pk): o for o in Complaint.objects.filter(pk__in=similar_ids).select_related("case")}
    classify_form = ClassifyForm(initial={"pollution_types": c.pollution_types, "sector": c.sector})
    ctx = {
        "c": c,
        "similar": [(similar[i], s) for i, s in c.similar if i in similar],
        "classify_form": classify_form,
        "can_screen": can(request.user, "complaints.screen", c),
        "key_suggested": suggest_key(c.text),
        "can_reveal": can(request.user, "complaints.reveal_reporter", c),
        "units": units_for(request.user).filter(path__startswith=c.jurisdiction.path[:33]) if c.jurisdiction else [],
        "attachments": list(c.attachments.all()),
        "duplicates": list(Complaint.objects.filter(case=c.case).exclude(pk=c.pk)) if c.case_id else [],
    }
    return render(request, "complaints/complaint_detail.html", ctx)


@login_required
def attachment_file(request: HttpRequest, pk: str, att: str) -> FileResponse:
    """A complaint's photo or video for staff who may see the complaint (404 for anyone else).

    Shown inline (`?download=1`: saved) with the type sniffed at intake; the browser is told not to guess
    another type, not to run anything in it and not to keep it in a shared cache.
    """
    a = get_object_or_404(selectors.attachments_for(request.user), pk=att, complaint_id=pk)
    return attachment_response(a, download=request.GET.get("download") == "1")


def attachment_response(a: Any, *, download: bool) -> FileResponse:
    """The stored file with its sniffed type, inline or as a download, streamed through the app (never a public
    URL); 404 when the file is gone, 503 when the file store cannot be read."""
    resp = serve_file(a.file, filename=a.name, as_attachment=download, content_type=a.content_type or "application/octet-stream")
    resp["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    return resp


@login_required
@require_POST
def complaint_action(request: HttpRequest, pk: str, name: str) -> HttpResponse:
    c = get_object_or_404(selectors.complaints_for(request.user), pk=pk)
    p = request.POST
    try:
        if name == "reveal":
            data = actions.reveal_reporter(c, actor=request.user, reason=p.get("reason", ""))
            return render(request, "complaints/_revealed.html", {"data": data, "show_text": p.get("show") == "text"})
        if name == "classify":
            form = ClassifyForm(p)
            if not form.is_valid():
                raise ValidationError(_("Choose at least one pollution type."))
            actions.confirm_classification(
                c, actor=request.user, pollution_types=form.cleaned_data["pollution_types"], sector=form.cleaned_data["sector"]
            )
        elif name == "accept":
            case = actions.accept_complaint(c, actor=request.user, is_key=p.get("is_key") == "on" or None)
            messages.success(request, _("Case %(n)s registered.") % {"n": case.number})
        elif name == "invalid":
            actions.mark_invalid(c, actor=request.user, reason=p.get("reason", ""))
        elif name == "merge":
            into = selectors.cases_for(request.user).filter(number=p.get("into", "").strip(), campaign=c.campaign).first()
            if into is None:
                raise ValidationError(_("No case with that number in this campaign."))
            actions.merge_complaint(c, actor=request.user, into=into, reason=p.get("reason", ""))
        elif name == "unmerge":
            actions.unmerge_complaint(c, actor=request.user, reason=p.get("reason", ""))
        elif name == "route":
            unit = get_object_or_404(units_for(request.user), pk=p.get("unit"))
            actions.set_jurisdiction(c, actor=request.user, unit=unit, reason=p.get("reason", ""))
        else:
            raise PermissionDenied(name)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("complaints:detail", pk=c.pk)


@login_required
def bulletin_page(request: HttpRequest) -> HttpResponse:
    campaigns = campaigns_for(request.user).order_by("-stationing_start")
    code = request.GET.get("campaign") or (campaigns[0].code if campaigns else "")
    campaign = campaigns.filter(code=code).first() if code else None
    try:
        as_of = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        as_of = min(timezone.localdate(), campaign.stationing_end + dt.timedelta(days=60)) if campaign else timezone.localdate()
    ctx: dict[str, Any] = {"campaigns": campaigns, "campaign": campaign, "as_of": as_of}
    if campaign is not None:
        ctx["audit_stamp"] = export_stamp()  # printed with the figures, so a printed bulletin can be checked later
        total = bulletin([campaign], as_of)
        ctx["total"] = total
        ctx["fines_wan"] = wan(total["fines_yuan"])
        ctx["line"] = summary_line(total, as_of)
        ctx["by_batch"] = [(b, bulletin([campaign], as_of, batch=b)) for b in campaign.batches.order_by("number")]
        regions = [u for t in campaign.targets.all() for u in t.children.exclude(unit_type="department").order_by("code")]
        ctx["by_region"] = [(r, bulletin([campaign], as_of, region=r)) for r in regions]
    return render(request, "complaints/bulletin.html", ctx)
