"""Public pages (no login): report form, receipt, tracking, rating, published results tables.

Nothing here ever shows a reporter's name, phone or the raw complaint text: only receipt data,
statuses and the redacted, frozen published rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspectorate.accountability import selectors as accountability_selectors
from inspectorate.audit.anchors import anchors_csv as anchors_text
from inspectorate.audit.selectors import published_anchors
from inspectorate.campaigns.models import Campaign
from inspectorate.complaints import actions
from inspectorate.complaints.forms import PublicComplaintForm, RatingForm, TrackForm
from inspectorate.complaints.models import Case, CaseStatus, Channel, Complaint, ComplaintStatus, DisclosureTable, Rating
from inspectorate.complaints.redact import redact
from inspectorate.complaints.selectors import latest_published, published_tables
from inspectorate.complaints.similarity import find_similar
from inspectorate.core import throttle
from inspectorate.core.clientip import client_ip
from inspectorate.core.publiccache import cached_public_page
from inspectorate.core.storage import StorageUnavailable

from . import reportflow, selectors

PUBLIC_STATUS: dict[str, Any] = {
    ComplaintStatus.RECEIVED: gettext_lazy("Received, being screened"),
    ComplaintStatus.SCREENED: gettext_lazy("Received, being screened"),
    ComplaintStatus.INVALID: gettext_lazy("Not accepted (outside the inspection's remit or unusable)"),
    ComplaintStatus.DUPLICATE: gettext_lazy("Merged with an earlier report of the same problem"),
    ComplaintStatus.ACCEPTED: gettext_lazy("Accepted as a case"),
}


# The hint before submitting may be generous: it only suggests following an existing report.
HINT_MIN_SCORE = 0.3


SUBMISSIONS_PER_HOUR = 20


def _address(request: HttpRequest) -> str:
    return client_ip(request)


def too_many_submissions(request: HttpRequest) -> bool:
    """A simple per-address limit on public submissions (counted in the database, so every process agrees)."""
    limit = throttle.Limit("portal-submit", SUBMISSIONS_PER_HOUR, dt.timedelta(hours=1))
    if throttle.exceeded(limit, _address(request)):
        return True
    throttle.hit(limit, _address(request))
    return False


def _tracking_limits() -> tuple[throttle.Limit, throttle.Limit]:
    window = dt.timedelta(minutes=settings.TRACKING_WINDOW_MINUTES)
    return (
        throttle.Limit("track-address", settings.TRACKING_MAX_FAILURES_PER_ADDRESS, window),
        throttle.Limit("track-code", settings.TRACKING_MAX_FAILURES_PER_CODE, window),
    )


def _tracking_throttled(request: HttpRequest, receipt_code: str) -> bool:
    """Too many wrong secrets lately from this address, or for this receipt code: refuse every try, even a
    right one, until the window has passed (so guessing learns nothing)."""
    by_address, by_code = _tracking_limits()
    code = (receipt_code or "").strip().upper()
    return throttle.exceeded(by_address, _address(request)) or (bool(code) and throttle.exceeded(by_code, code))


def _tracking_failed(request: HttpRequest, receipt_code: str) -> None:
    by_address, by_code = _tracking_limits()
    throttle.hit(by_address, _address(request))
    code = (receipt_code or "").strip().upper()
    if code:
        throttle.hit(by_code, code)


def _throttled_response(request: HttpRequest, form: Any) -> HttpResponse:
    form.add_error(
        None,
        _("Too many wrong receipt codes or secrets. Please wait %(minutes)d minutes and try again.")
        % {"minutes": settings.TRACKING_WINDOW_MINUTES},
    )
    return render(request, "portal/track.html", {"form": form, "complaint": None}, status=429)


def open_campaigns() -> Any:
    today = timezone.localdate()
    return Campaign.objects.filter(stationing_start__lte=today, stationing_end__gte=today).select_related("team").order_by("code")


def home(request: HttpRequest) -> HttpResponse:
    """`/`: staff get their dashboard; everyone else the public portal (the portal itself stays at `/public/`)."""
    if request.user.is_authenticated:
        from inspectorate.reports.views import home as dashboard

        return dashboard(request)
    return index(request)


@cached_public_page
def index(request: HttpRequest) -> HttpResponse:
    """The public landing page: report, track, the campaigns (now and past) with their contacts, recent publications."""
    current, past = selectors.split_current_past(selectors.public_campaigns())
    tables = published_tables().order_by("-published_at")[:10]
    return render(
        request,
        "portal/index.html",
        {
            "current": current,
            "past": past,
            "tables": tables,
            "notices": selectors.notices_under_way()[:10],
            "track_form": TrackForm(),
        },
    )


@cached_public_page
def campaign(request: HttpRequest, code: str) -> HttpResponse:
    """One campaign's public page: contacts, published tables, published plans with each problem's progress,
    closures under notice (with the objection form), the public bulletin line and its history."""
    c = get_object_or_404(selectors.public_campaigns(), code=code)
    line, history = selectors.public_bulletin(c)
    plans = [(p, selectors.problem_progress(p)) for p in selectors.published_plans(c)]
    today = timezone.localdate()
    return render(
        request,
        "portal/campaign.html",
        {
            "c": c,
            "team": selectors.team_of(c),
            "taking_reports": c.stationing_start <= today <= c.stationing_end,
            "tables": selectors.campaign_tables(c),
            "plans": plans,
            "notices": selectors.notices_under_way(c),
            "line": line,
            "history": history,
            # Published only (accountability.selectors): disclosed interviews, published accountability results.
            "interviews": accountability_selectors.published_interviews(c),
            "accountability_issues": accountability_selectors.published_issues(c),
        },
    )


def report(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_object_or_404(open_campaigns(), code=code)
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and request.POST.get("website"):
        # The honeypot field is hidden from people; a filled one is a bot: answer as if accepted, keep nothing.
        return render(request, "portal/receipt.html", {"receipt": {"code": "—", "secret": "—"}})
    if request.method == "POST" and too_many_submissions(request):
        form.add_error(None, _("Too many reports from this connection in the last hour. Please call the hotline instead."))
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        anonymous = d.get("anonymous")
        # Pin and typed address disagreed and the reporter picked one (reportflow.resolve, the hint above the map).
        lat, lon, where = reportflow.location_for_submit(request.POST.get("location_choice", ""), d.get("lat"), d.get("lon"))
        try:
            c = actions.submit_complaint(
                campaign=campaign,
                channel=Channel.WEB,
                text=d["text"],
                lat=lat,
                lon=lon,
                address=d.get("address", ""),
                polluter_name=d.get("polluter_name", ""),
                reporter_name="" if anonymous else d.get("reporter_name", ""),
                reporter_phone="" if anonymous else d.get("reporter_phone", ""),
                type_hints=d.get("type_hints") or (),
                attachments=d.get("attachments") or (),
                extra={"language": getattr(request, "LANGUAGE_CODE", ""), **where},
            )
        except ValidationError as exc:
            for field, msgs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                for m in msgs:
                    form.add_error(field if field in form.fields and field not in ("lat", "lon") else None, m)
        except StorageUnavailable as exc:  # nothing was received: the reporter is told to try again
            form.add_error(None, str(exc.detail))
            status = 503
        else:
            request.session["portal_receipt"] = {"code": c.receipt_code, "secret": c.tracking_secret}
            return redirect("portal:receipt")
    return render(
        request,
        "portal/report.html",
        {
            "campaign": campaign,
            "form": form,
            "map_tiles": settings.INSPECTORATE_MAP_TILES,
            "boundaries": map_boundaries(campaign),
        },
        status=status,
    )


def map_boundaries(campaign: Campaign) -> list[dict[str, Any]]:
    """The targets' and their direct sub-units' boundaries, drawn as the map's base when no tile server is set."""
    from django.db.models import Q

    from inspectorate.orgs.models import OrgUnit

    targets = list(campaign.targets.all())
    units = OrgUnit.objects.filter(Q(pk__in=[t.pk for t in targets]) | Q(parent__in=targets), boundary__isnull=False)
    top = {t.pk for t in targets}
    # The targets' sub-units (counties, townships) carry their names on the map; the targets' own names show on hover.
    return [{"name": u.name, "geometry": u.boundary, "label": u.pk not in top} for u in units.order_by("depth", "code")]


def similar_hint(request: HttpRequest, code: str) -> HttpResponse:
    """HTMX partial: similar open or recent reports, shown before submitting (never their text)."""
    campaign = get_object_or_404(open_campaigns(), code=code)
    text = (request.POST.get("text") or request.GET.get("text") or "").strip()
    hits: list[dict[str, Any]] = []
    if len(text) >= 8:
        lat = _float(request.POST.get("lat") or request.GET.get("lat"))
        lon = _float(request.POST.get("lon") or request.GET.get("lon"))
        found = find_similar(
            campaign,
            text,
            lat=lat,
            lon=lon,
            polluter_name=(request.POST.get("polluter_name") or "")[:200],
            k=3,
            min_score=HINT_MIN_SCORE,
        )
        by_id = {str(c.pk): c for c in Complaint.objects.filter(pk__in=[i for i, _s in found]).select_related("case")}
        for i, s in found:
            c = by_id.get(i)
            if c is None or c.status == ComplaintStatus.INVALID:
                continue
            case = c.case
            hits.append(
                {
                    "score": s,
                    "received": c.received_at,
                    "case": case.number if case else "",
                    # Only published summaries are public; before that, the case number and status say enough.
                    "summary": redact(case.summary) if case and case.status == CaseStatus.PUBLISHED else "",
                    "status": PUBLIC_STATUS.get(c.status, ""),
                }
            )
    return render(request, "portal/_similar.html", {"hits": hits})


def receipt(request: HttpRequest) -> HttpResponse:
    data = request.session.pop("portal_receipt", None)
    if not data:
        return redirect("portal:track")
    return render(request, "portal/receipt.html", {"receipt": data})


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    complaint = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["receipt_code"]
        if _tracking_throttled(request, code):
            return _throttled_response(request, form)
        complaint = actions.check_tracking(code, form.cleaned_data["secret"])
        if complaint is None:
            _tracking_failed(request, code)
            form.add_error(None, _("No report matches this receipt code and secret."))
    ctx: dict[str, Any] = {"form": form, "complaint": complaint}
    if complaint is not None:
        ctx.update(_tracking_context(complaint))
    return render(request, "portal/track.html", ctx)


def _tracking_context(c: Complaint) -> dict[str, Any]:
    case: Case | None = c.case
    row = None
    table = None
    if case is not None and case.batch_id:
        table = latest_published(case.batch)  # type: ignore[arg-type]
        if table is not None:
            row = next((r for r in table.rows if r.get("number") == case.number), None)
    return {
        "public_status": PUBLIC_STATUS.get(c.status, ""),
        "case": case,
        "row": row,
        "table": table,
        "rating_form": RatingForm() if row and row.get("verdict") else None,
        "steps": reportflow.steps(c, case, table),
        "ratings": list(Rating.objects.filter(complaint=c).order_by("-created_at")),
    }


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("receipt_code", "")
    if _tracking_throttled(request, code):
        return _throttled_response(request, TrackForm(request.POST))
    complaint = actions.check_tracking(code, request.POST.get("secret", ""))
    if complaint is None:
        _tracking_failed(request, code)
        return redirect("portal:track")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.rate_result(complaint, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Thank you. Your rating has been recorded."))
    ctx: dict[str, Any] = {"form": TrackForm(), "complaint": complaint, **_tracking_context(complaint)}
    return render(request, "portal/track.html", ctx)


@cached_public_page
def tables(request: HttpRequest) -> HttpResponse:
    qs = published_tables().order_by("batch__campaign__code", "-batch__number", "-version")
    code = request.GET.get("campaign")
    if code:
        qs = qs.filter(batch__campaign__code=code)
    return render(request, "portal/tables.html", {"tables": qs})


@cached_public_page
def table(request: HttpRequest, pk: str) -> HttpResponse:
    t = get_object_or_404(published_tables(), pk=pk)
    versions = published_tables().filter(batch=t.batch).order_by("-version")
    latest = versions.first()
    return render(
        request,
        "portal/table.html",
        {"t": t, "versions": versions, "superseded": latest is not None and latest.pk != t.pk, "latest": latest},
    )


def anchors(request: HttpRequest) -> HttpResponse:
    """The daily anchors of the audit chain: keep a copy, and `verify_audit --anchor` detects any later rewrite."""
    return render(request, "portal/anchors.html", {"anchors": published_anchors()[:400]})


def anchors_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(anchors_text(published_anchors().order_by("date")), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-anchors.csv"'
    return response


def _float(v: Any) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


__all__ = [
    "DisclosureTable",
    "anchors",
    "anchors_csv",
    "campaign",
    "home",
    "index",
    "rate",
    "receipt",
    "report",
    "similar_hint",
    "table",
    "tables",
    "track",
]
