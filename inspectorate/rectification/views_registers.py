"""Pages the target's liaison office uses to keep its own ledger: responsible leaders, implementing departments
(org units of type "department", changed through `orgs.actions`) and the evidence library.

Both lists are scoped like everything else; saving goes through `actions` (authorize, atomic, audit).
"""

from __future__ import annotations

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

from inspectorate.accounts.scoping import can, has_role_anywhere, restrict
from inspectorate.core.pages import paginate
from inspectorate.core.storage import StorageUnavailable
from inspectorate.orgs import actions as org_actions
from inspectorate.orgs.selectors import departments_for, units_for

from . import actions, selectors
from .common import apply_errors, errors_text, form_page, require_role
from .filters import EvidenceFilter, LeaderFilter
from .forms import DepartmentForm, EvidenceForm, LeaderForm
from .models import UPLOAD_KINDS, Measure, SignOffStep, Task, TaskStatus


@login_required
def leaders_page(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("active", "true")
    filt = LeaderFilter(params, queryset=selectors.leaders_for(request.user).order_by("unit__path", "name"))
    page = paginate(request, filt.qs, per_page=100)
    manage = set(selectors.leaders_for(request.user, "tasks.manage").values_list("pk", flat=True))
    return render(
        request,
        "rectification/leaders.html",
        {
            "filter": filt,
            "page": page,
            "today": timezone.localdate(),
            "active": params["active"],
            "manageable": manage,
            "can_add": has_role_anywhere(request.user, "tasks.manage"),
            "units": units_for(request.user).select_related(None)[:200],
        },
    )


@login_required
def leader_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    leader = None
    if pk is not None:
        leader = get_object_or_404(selectors.leaders_for(request.user), pk=pk)
        if not can(request.user, "tasks.manage", leader):
            raise PermissionDenied("tasks.manage")
    else:
        require_role(request, "tasks.manage")
    form = LeaderForm(request.POST or None, user=request.user, instance=leader)
    if request.method == "POST" and form.is_valid():
        try:
            if leader is None:
                actions.create_leader(actor=request.user, **form.cleaned_data)
            else:
                actions.update_leader(leader, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Leader saved."))
            return redirect("rectification:leaders")
    title = _("Edit leader %(name)s") % {"name": leader.name} if leader else _("New responsible leader")
    back = reverse("rectification:leaders")
    return form_page(request, form, title, back=back, status=400 if form.errors else 200, audit_obj=leader)


@login_required
@require_POST
def leader_end(request: HttpRequest, pk: str) -> HttpResponse:
    leader = get_object_or_404(selectors.leaders_for(request.user), pk=pk)
    try:
        actions.end_leader(leader, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("%(name)s has left the post; the tasks keep the record.") % {"name": leader.name})
    return redirect("rectification:leaders")


@login_required
def departments_page(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("active", "true")
    qs = departments_for(request.user).order_by("path")
    if params["active"] in ("true", "false"):
        qs = qs.filter(active=params["active"] == "true")
    manageable = set(departments_for(request.user, "departments.manage").values_list("pk", flat=True))
    return render(
        request,
        "rectification/departments.html",
        {
            "page": paginate(request, qs, per_page=100),
            "active": params["active"],
            "manageable": manageable,
            "can_add": has_role_anywhere(request.user, "departments.manage"),
        },
    )


@login_required
def department_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    unit = None
    if pk is not None:
        unit = get_object_or_404(departments_for(request.user), pk=pk)
        if not can(request.user, "departments.manage", unit):
            raise PermissionDenied("departments.manage")
    else:
        require_role(request, "departments.manage")
    form = DepartmentForm(request.POST or None, user=request.user, instance=unit)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        parent = d.pop("parent")
        try:
            if unit is None:
                org_actions.create_department(actor=request.user, parent=parent, **d)
            else:
                org_actions.update_department(unit, actor=request.user, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Department saved."))
            return redirect("rectification:departments")
    title = _("Edit department %(name)s") % {"name": unit} if unit else _("New implementing department")
    back = reverse("rectification:departments")
    return form_page(request, form, title, back=back, status=400 if form.errors else 200, audit_obj=unit)


@login_required
@require_POST
def department_end(request: HttpRequest, pk: str) -> HttpResponse:
    unit = get_object_or_404(departments_for(request.user), pk=pk)
    try:
        org_actions.end_department(unit, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("%(name)s has been ended; the tasks keep the record.") % {"name": unit})
    return redirect("rectification:departments")


def _upload_measures(user: Any) -> Any:
    """Measures of open tasks the user may add evidence to."""
    tasks = restrict(Task.objects.all(), user, "tasks.progress").exclude(status=TaskStatus.CLOSED)
    tasks = tasks.exclude(signoff_step__in=(SignOffStep.SIGNED, SignOffStep.UNDER_NOTICE, SignOffStep.FILED))
    return Measure.objects.filter(task__in=tasks.values("pk")).select_related("task").order_by("task__sort_key", "number")


@login_required
def evidence_library(request: HttpRequest) -> HttpResponse:
    can_upload = has_role_anywhere(request.user, "tasks.progress")
    form = None
    status = 200
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied("tasks.progress")
        form = EvidenceForm(request.POST, request.FILES, measures=_upload_measures(request.user))
        if form.is_valid():
            d = form.cleaned_data
            upload = d["file"]
            try:
                actions.add_evidence(
                    d["measure"].task,
                    actor=request.user,
                    measure=d["measure"],
                    content=upload.read(),
                    filename=upload.name or "evidence",
                    kind=d["kind"],
                    captured_on=d["captured_on"],
                    note=d["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except StorageUnavailable as exc:  # nothing stored: no row, no audit event
                form.add_error(None, str(exc.detail))
                status = 503
            else:
                messages.success(request, _("Evidence stored."))
                return redirect("rectification:evidence-library")
        status = status if status != 200 else 400
    elif can_upload:
        form = EvidenceForm(measures=_upload_measures(request.user))
    filt = EvidenceFilter(request.GET, queryset=selectors.evidence_for(request.user))
    return render(
        request,
        "rectification/evidence_library.html",
        {
            "filter": filt,
            "page": paginate(request, filt.qs, per_page=50),
            "form": form,
            "kinds": filt.form.fields["kind"].choices,
            "tasks": restrict(Task.objects.only("pk", "number", "campaign_id"), request.user, "view").order_by("sort_key")[:300],
            "upload_kinds": UPLOAD_KINDS,
        },
        status=status,
    )
