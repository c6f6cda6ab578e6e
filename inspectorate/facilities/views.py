"""Pages: the facility registry, a facility with its last 30 days of logs, the phone-sized log form, maintenance,
and the warnings (missing logs, flagged logs for review)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.core.formpages import apply_errors, errors_text, require_role, save_form
from inspectorate.core.formpages import form_page as _form_page
from inspectorate.core.pages import paginate

from . import actions, selectors
from .filters import FacilityFilter, WarningFilter
from .forms import FacilityForm, LogForm, MaintenanceForm, PlanForm
from .models import FacilityType, LogStatus, ReviewState

CALENDAR_DAYS = 30


form_page = partial(_form_page, template="facilities/form.html")


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    filt = FacilityFilter(request.GET, queryset=selectors.facilities_for(request.user))
    return render(
        request,
        "facilities/list.html",
        {
            "filter": filt,
            "page": paginate(request, filt.qs),
            "types": FacilityType.choices,
            "can_add": has_role_anywhere(request.user, "facilities.manage"),
            "can_log": has_role_anywhere(request.user, "facilities.log"),
        },
    )


def calendar(facility: Any, today: dt.date) -> list[dict[str, Any]]:
    """The last CALENDAR_DAYS days, oldest first: each day's log or "missing"."""
    start = today - dt.timedelta(days=CALENDAR_DAYS - 1)
    logs = {log.day: log for log in facility.logs.filter(day__gte=start, day__lte=today)}
    days = []
    for i in range(CALENDAR_DAYS):
        day = start + dt.timedelta(days=i)
        log = logs.get(day)
        before = facility.commissioned_on is not None and day < facility.commissioned_on
        if log is not None:
            state, label = log.status, log.get_status_display()
        elif before:
            state, label = "none", _("Not commissioned")
        elif day == today:
            state, label = "pending", _("Not yet entered")
        else:
            state, label = "missing", _("Missing")
        days.append({"day": day, "state": state, "label": label, "log": log})
    return days


@login_required
def facility_detail(request: HttpRequest, pk: str) -> HttpResponse:
    facility = get_object_or_404(selectors.facilities_for(request.user), pk=pk)
    today = timezone.localdate()
    plans = [(p, actions.next_due(p)) for p in facility.plans.all()]
    return render(
        request,
        "facilities/detail.html",
        {
            "facility": facility,
            "days": calendar(facility, today),
            "today": today,
            "plans": plans,
            "records": facility.maintenance.select_related("plan")[:20],
            "warnings": facility.warnings.filter(resolved_at__isnull=True).select_related("plan"),
            "can_manage": can(request.user, "facilities.manage", facility),
            "can_log": can(request.user, "facilities.log", facility),
            "statuses": LogStatus.choices,
        },
    )


@login_required
def facility_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    facility = None
    if pk is not None:
        facility = get_object_or_404(selectors.facilities_for(request.user), pk=pk)
        if not can(request.user, "facilities.manage", facility):
            raise PermissionDenied("facilities.manage")
    else:
        require_role(request, "facilities.manage")
    initial = None
    if facility is not None:
        initial = {f: getattr(facility, f) for f in ("name", "facility_type", "unit", "enterprise", "lat", "lon",
                                                     "commissioned_on", "capacity", "capacity_unit", "active")}  # fmt: skip
    form = FacilityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if facility is None:
                facility = actions.create_facility(actor=request.user, **form.cleaned_data)
            else:
                facility = actions.update_facility(facility, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Facility saved."))
            return redirect("facilities:detail", pk=facility.pk)
    title = _("Edit facility %(name)s") % {"name": facility.name} if facility else _("New facility")
    return form_page(request, form, title, back=reverse("facilities:list"), audit_obj=facility)


@login_required
def log_form(request: HttpRequest) -> HttpResponse:
    """The daily log, sized for a phone: facility, date (today), status, reason."""
    require_role(request, "facilities.log")
    initial = {"facility": request.GET.get("facility")} if request.GET.get("facility") else None
    form = LogForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        facility = data.pop("facility")
        try:
            log = actions.record_log(facility, actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if log.review == ReviewState.PENDING:
                messages.warning(request, _("Log saved; it is flagged for review (see the warnings)."))
            else:
                messages.success(request, _("Log saved."))
            return redirect("facilities:detail", pk=facility.pk)
    return render(request, "facilities/log_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_form(request: HttpRequest, pk: str) -> HttpResponse:
    facility = get_object_or_404(selectors.facilities_for(request.user), pk=pk)
    if not can(request.user, "facilities.manage", facility):
        raise PermissionDenied("facilities.manage")
    form = PlanForm(request.POST or None)
    back = reverse("facilities:detail", args=[facility.pk])
    done = save_form(
        request, form, lambda data: actions.create_plan(facility, actor=request.user, **data),
        success=_("Maintenance plan saved."), then=back,
    )  # fmt: skip
    return done or form_page(request, form, _("New maintenance plan for %(name)s") % {"name": facility.name}, back=back)


@login_required
def maintenance_form(request: HttpRequest, pk: str) -> HttpResponse:
    facility = get_object_or_404(selectors.facilities_for(request.user), pk=pk)
    if not can(request.user, "facilities.log", facility):
        raise PermissionDenied("facilities.log")
    form = MaintenanceForm(request.POST or None, facility=facility)
    back = reverse("facilities:detail", args=[facility.pk])
    done = save_form(
        request, form, lambda data: actions.record_maintenance(facility, actor=request.user, **data),
        success=_("Maintenance recorded."), then=back,
    )  # fmt: skip
    return done or form_page(request, form, _("Record maintenance of %(name)s") % {"name": facility.name}, back=back)


@login_required
def warnings_page(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("open", "true")
    filt = WarningFilter(params, queryset=selectors.warnings_for(request.user))
    flagged = selectors.logs_for(request.user).filter(review=ReviewState.PENDING).order_by("-day")
    reviewable = set(
        selectors.logs_for(request.user, "facilities.review").filter(review=ReviewState.PENDING).values_list("pk", flat=True)
    )
    return render(
        request,
        "facilities/warnings.html",
        {"filter": filt, "page": paginate(request, filt.qs), "flagged": flagged[:100], "reviewable": reviewable,
         "open": params["open"]},
    )  # fmt: skip


@login_required
@require_POST
def log_review(request: HttpRequest, pk: str) -> HttpResponse:
    log = get_object_or_404(selectors.logs_for(request.user), pk=pk)
    try:
        actions.review_log(log, actor=request.user, accept=request.POST.get("accept") == "1", note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Review saved."))
    return redirect("facilities:warnings")
