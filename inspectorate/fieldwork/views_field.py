"""Pages: individual talks (notes only for the team and the discipline body) and site visits with their findings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere, restrict
from inspectorate.core.formpages import save_form
from inspectorate.core.pages import paginate

from . import actions, selectors
from .filters import SiteVisitFilter, TalkFilter
from .forms import CompleteForm, FindingForm, PhotosForm, TalkForm, ToCaseForm, ToProblemForm, VisitForm
from .models import VisitPhoto, VisitStatus
from .views import errors_text, form_page, require_role


@login_required
def talks_page(request: HttpRequest) -> HttpResponse:
    filt = TalkFilter(request.GET, queryset=selectors.talks_for(request.user))
    page = paginate(request, filt.qs, per_page=50)
    return render(
        request,
        "fieldwork/talks.html",
        {"filter": filt, "page": page, "can_add": has_role_anywhere(request.user, "fieldwork.record")},
    )


@login_required
def talk_new(request: HttpRequest) -> HttpResponse:
    require_role(request, "fieldwork.record")
    form = TalkForm(request.POST or None, user=request.user)
    done = save_form(
        request, form, lambda data: actions.create_talk(actor=request.user, **data),
        success=_("Talk recorded."), then=lambda talk: reverse("fieldwork:talk", args=[talk.pk]),
    )  # fmt: skip
    return done or form_page(request, form, _("Record an individual talk"), back="/fieldwork/talks/")


@login_required
def talk_page(request: HttpRequest, pk: Any) -> HttpResponse:
    talk = get_object_or_404(selectors.talks_for(request.user), pk=pk)
    notes_ok = can(request.user, "talks.notes", talk)
    return render(request, "fieldwork/talk.html", {"talk": talk, "notes_ok": notes_ok})


@login_required
def visits_page(request: HttpRequest) -> HttpResponse:
    filt = SiteVisitFilter(request.GET, queryset=selectors.visits_for(request.user))
    page = paginate(request, filt.qs, per_page=50)
    pins = [
        {"lat": v.lat, "lon": v.lon, "label": f"{v.number} · {v.location}", "url": f"/fieldwork/visits/{v.pk}/"}
        for v in page
        if v.lat is not None and v.lon is not None
    ]
    return render(
        request,
        "fieldwork/visits.html",
        {
            "filter": filt,
            "page": page,
            "pins": pins,
            "map_tiles": settings.INSPECTORATE_MAP_TILES,
            "can_add": has_role_anywhere(request.user, "fieldwork.record"),
        },
    )


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    require_role(request, "fieldwork.record")
    form = VisitForm(request.POST or None, user=request.user)
    done = save_form(
        request, form, lambda data: actions.create_visit(actor=request.user, **data),
        success=lambda visit: _("Visit %(n)s planned.") % {"n": visit.number},
        then=lambda visit: reverse("fieldwork:visit", args=[visit.pk]),
    )  # fmt: skip
    return done or form_page(request, form, _("Plan a site visit"), back="/fieldwork/visits/")


@login_required
def visit_page(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = get_object_or_404(selectors.visits_for(request.user), pk=pk)
    may_record = can(request.user, "fieldwork.record", visit)
    pins = []
    if visit.lat is not None and visit.lon is not None:
        pins = [{"lat": visit.lat, "lon": visit.lon, "label": visit.location, "url": ""}]
    return render(
        request,
        "fieldwork/visit.html",
        {
            "visit": visit,
            "findings": visit.findings.select_related("case", "problem", "enterprise"),
            "photos": visit.photos.all(),
            "enterprises": visit.enterprises.all(),
            "may_record": may_record,
            "complete_form": CompleteForm() if may_record and visit.status == VisitStatus.PLANNED else None,
            "finding_form": FindingForm() if may_record and visit.status == VisitStatus.DONE else None,
            "photos_form": PhotosForm() if may_record else None,
            "case_form": ToCaseForm(),
            "problem_form": ToProblemForm(),
            "pins": pins,
            "map_tiles": settings.INSPECTORATE_MAP_TILES,
        },
    )


def _visit_for_record(request: HttpRequest, pk: Any) -> Any:
    visit = get_object_or_404(selectors.visits_for(request.user), pk=pk)
    if not can(request.user, "fieldwork.record", visit):
        raise PermissionDenied("fieldwork.record")
    return visit


@login_required
@require_POST
def visit_complete(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = _visit_for_record(request, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the visit."))
        return redirect("fieldwork:visit", pk=visit.pk)
    try:
        actions.complete_visit(visit, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Visit recorded as done."))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    return redirect("fieldwork:visit", pk=visit.pk)


@login_required
@require_POST
def visit_finding(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = _visit_for_record(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            actions.add_finding(visit, actor=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Finding added."))
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
    else:
        messages.error(request, _("Describe the finding."))
    return redirect("fieldwork:visit", pk=visit.pk)


@login_required
@require_POST
def visit_photos(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = _visit_for_record(request, pk)
    try:
        actions.add_photos(visit, actor=request.user, files=request.FILES.getlist("attachments"))
        messages.success(request, _("Photos added."))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    return redirect("fieldwork:visit", pk=visit.pk)


@login_required
@require_POST
def finding_convert(request: HttpRequest, pk: Any, to: str) -> HttpResponse:
    finding = get_object_or_404(selectors.findings_for(request.user), pk=pk)
    if not can(request.user, "fieldwork.record", finding):
        raise PermissionDenied("fieldwork.record")
    try:
        if to == "case":
            form: Any = ToCaseForm(request.POST)
            form.is_valid()
            case = actions.finding_to_case(
                finding,
                actor=request.user,
                is_key=form.cleaned_data.get("is_key", False),
                pollution_types=form.cleaned_data.get("pollution_types") or [],
            )
            messages.success(request, _("Case %(n)s registered from the finding.") % {"n": case.number})
        else:
            form = ToProblemForm(request.POST)
            form.is_valid()
            problem = actions.finding_to_problem(
                finding, actor=request.user, number=form.cleaned_data.get("number", ""), title=form.cleaned_data.get("title", "")
            )
            messages.success(request, _("Problem %(n)s created from the finding.") % {"n": problem.number})
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    return redirect("fieldwork:visit", pk=finding.visit_id)


@login_required
def photo_file(request: HttpRequest, pk: Any) -> FileResponse:
    photo = get_object_or_404(
        restrict(VisitPhoto.objects.all(), request.user).filter(visit__in=selectors.visits_for(request.user).values("pk")), pk=pk
    )
    return FileResponse(photo.file.open("rb"), filename=photo.name, content_type=photo.content_type)
