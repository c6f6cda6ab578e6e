"""Pages: construction projects and their three-simultaneities steps (三同时)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.core.formpages import apply_errors, require_role, save_form
from inspectorate.core.pages import paginate

from . import actions, selectors
from .filters import ProjectFilter
from .forms import OperateForm, ProjectForm, StepForm
from .models import ProjectStatus, StepKind
from .views import form_page


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    filt = ProjectFilter(request.GET, queryset=selectors.projects_for(request.user).prefetch_related("steps"))
    page = paginate(request, filt.qs)
    rows = [(p, actions.missing_steps(p)) for p in page]
    return render(
        request,
        "facilities/projects.html",
        {"filter": filt, "page": page, "rows": rows, "statuses": ProjectStatus.choices,
         "can_add": has_role_anywhere(request.user, "projects.manage")},
    )  # fmt: skip


@login_required
def project_form(request: HttpRequest) -> HttpResponse:
    require_role(request, "projects.manage")
    form = ProjectForm(request.POST or None, user=request.user)
    done = save_form(
        request, form, lambda data: actions.create_project(actor=request.user, **data),
        success=_("Project saved."), then=lambda project: reverse("facilities:project", args=[project.pk]),
    )  # fmt: skip
    return done or form_page(request, form, _("New construction project"), back=reverse("facilities:projects"))


@login_required
def project_detail(request: HttpRequest, pk: str, step_form: StepForm | None = None, operate_form: OperateForm | None = None,
                   status: int = 200) -> HttpResponse:  # fmt: skip
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    steps = {s.kind: s for s in project.steps.all()}
    return render(
        request,
        "facilities/project.html",
        {
            "project": project,
            "steps": [(kind, label, steps.get(kind)) for kind, label in StepKind.choices],
            "missing": [str(StepKind(k).label) for k in actions.missing_steps(project)],
            "can_manage": can(request.user, "projects.manage", project),
            "can_override": can(request.user, "projects.override", project),
            "step_form": step_form or StepForm(),
            "operate_form": operate_form or OperateForm(),
        },
        status=status,
    )


@login_required
@require_POST
def project_step(request: HttpRequest, pk: str) -> HttpResponse:
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    if not can(request.user, "projects.manage", project):
        raise PermissionDenied("projects.manage")
    form = StepForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_step(project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("facilities:project", pk=project.pk)
    return project_detail(request, pk, step_form=form, status=400)


@login_required
@require_POST
def project_operate(request: HttpRequest, pk: str) -> HttpResponse:
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    if not can(request.user, "projects.manage", project):
        raise PermissionDenied("projects.manage")
    form = OperateForm(request.POST)
    if form.is_valid():
        try:
            actions.start_operation(project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The project is in operation."))
            return redirect("facilities:project", pk=project.pk)
    return project_detail(request, pk, operate_form=form, status=400)
