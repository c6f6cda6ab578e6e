"""Form pages for keeping the ledger: feedback, problems, plans, tasks with measures, progress reports.

Each page works without JavaScript; HTMX only fills the complaint-case picker. Saving goes through `actions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import can
from inspectorate.complaints.selectors import cases_for
from inspectorate.core.formpages import apply_errors

from . import actions, selectors
from .common import form_page, require_role
from .forms import FeedbackForm, MeasureFormSet, PlanForm, ProblemForm, ProgressForm, TaskForm

CASE_OPTIONS = 20


@login_required
def feedback_new(request: HttpRequest) -> HttpResponse:
    require_role(request, "problems.manage")
    form = FeedbackForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_feedback(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Feedback recorded."))
            return redirect("rectification:plans")
    return form_page(request, form, _("Record feedback"), back=reverse("rectification:plans"), status=400 if form.errors else 200)


@login_required
def problem_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    problem = None
    if pk is not None:
        problem = get_object_or_404(selectors.problems_for(request.user), pk=pk)
        if not can(request.user, "problems.manage", problem):
            raise PermissionDenied("problems.manage")
    else:
        require_role(request, "problems.manage")
    form = ProblemForm(request.POST or None, user=request.user, instance=problem)
    if request.method == "POST" and form.is_valid():
        try:
            if problem is None:
                problem = actions.create_problem(
                    actor=request.user, campaign=form.cleaned_data["campaign"], **form.model_fields()
                )
            else:
                actions.update_problem(problem, actor=request.user, **form.model_fields())
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"origin_case": "case"})
        else:
            messages.success(request, _("Problem saved."))
            return redirect(reverse("rectification:plans") + "#problems")
    title = _("Edit problem %(n)s") % {"n": problem.number} if problem else _("New problem")
    return form_page(
        request,
        form,
        title,
        back=reverse("rectification:plans"),
        status=400 if form.errors else 200,
        case_picker=True,
        audit_obj=problem,
    )


@login_required
def case_options(request: HttpRequest) -> HttpResponse:
    """<option>s for the case picker: cases the user can see, in the chosen campaign, matching the typed number."""
    qs = cases_for(request.user).select_related(None).prefetch_related(None)
    campaign = request.GET.get("campaign") or ""
    if campaign:
        qs = qs.filter(campaign_id=campaign) if _is_uuid(campaign) else qs.none()
    typed = (request.GET.get("case") or "").strip()
    if typed:
        qs = qs.filter(number__icontains=typed)
    cases = list(qs.order_by("number").only("number", "summary")[:CASE_OPTIONS])
    return render(request, "rectification/_case_options.html", {"cases": cases})


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
def plan_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    plan = None
    if pk is not None:
        plan = get_object_or_404(selectors.plans_for(request.user), pk=pk)
        if not can(request.user, "plans.manage", plan):
            raise PermissionDenied("plans.manage")
    else:
        require_role(request, "plans.manage")
    form = PlanForm(request.POST or None, user=request.user, instance=plan)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if plan is None:
                plan = actions.create_plan(actor=request.user, **d)
            else:
                actions.update_plan(
                    plan, actor=request.user, title=d["title"], body=d["body"], public_summary=d["public_summary"]
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("rectification:plan", pk=plan.pk)
    title = _("Edit plan") if plan else _("New rectification plan")
    back = reverse("rectification:plan", args=[plan.pk]) if plan else reverse("rectification:plans")
    return form_page(request, form, title, back=back, status=400 if form.errors else 200)


@login_required
def task_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    task = None
    if pk is not None:
        task = get_object_or_404(selectors.task_detail_for(request.user), pk=pk)
        if not can(request.user, "tasks.manage", task):
            raise PermissionDenied("tasks.manage")
    else:
        require_role(request, "tasks.manage")
    data = request.POST if request.method == "POST" else None
    initial_problem = request.GET.get("problem") if task is None else None
    form = TaskForm(
        data, user=request.user, instance=task, **({"initial": {"problem": initial_problem}} if initial_problem else {})
    )
    measures_initial = (
        [{"number": m.number, "text": m.text, "milestone": m.milestone} for m in task.measures.all()] if task else None
    )
    formset = MeasureFormSet(data, initial=measures_initial, prefix="m")
    if data is not None and "add_row" in data:
        # Without JavaScript: redisplay what was typed with more empty measure rows, saving nothing.
        typed = {k: (data.getlist(k) if k == "implementing_units" else data.get(k)) for k in form.fields}
        form = TaskForm(user=request.user, instance=task, initial=typed)
        total = int(data.get("m-TOTAL_FORMS") or 0)
        rows = [
            {k: data.get(f"m-{i}-{k}", "") for k in ("number", "text", "milestone")}
            for i in range(total)
            if not data.get(f"m-{i}-DELETE") and any(data.get(f"m-{i}-{k}") for k in ("text", "milestone"))
        ]
        return _task_page(request, form, MeasureFormSet(initial=rows, prefix="m"), task, status=200)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            task = _save_task(request, form, formset, task)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Task saved."))
            return redirect("rectification:task", pk=task.pk)
    return _task_page(request, form, formset, task, status=400 if data is not None else 200)


def _save_task(request: HttpRequest, form: TaskForm, formset: Any, task: Any) -> Any:
    fields, units, measures = form.model_fields(), form.cleaned_data["implementing_units"], formset.measures()
    if task is None:
        problem = form.cleaned_data["problem"]
        return actions.create_task(
            actor=request.user,
            campaign=problem.campaign,
            problem=problem,
            implementing_units=list(units),
            measures=measures,
            **fields,
        )
    from django.db import transaction

    with transaction.atomic():
        actions.update_task(task, actor=request.user, implementing_units=list(units), **fields)
        actions.set_measures(task, actor=request.user, measures=measures)
    return task


def _task_page(request: HttpRequest, form: Any, formset: Any, task: Any, *, status: int) -> HttpResponse:
    title = _("Edit task %(n)s") % {"n": task.number} if task else _("New ledger task")
    back = reverse("rectification:task", args=[task.pk]) if task else reverse("rectification:ledger")
    return render(
        request,
        "rectification/task_form.html",
        {"form": form, "formset": formset, "title": title, "back": back, "task": task},
        status=status,
    )


@login_required
def progress_form(request: HttpRequest, pk: str) -> HttpResponse:
    task = get_object_or_404(selectors.task_detail_for(request.user), pk=pk)
    if not can(request.user, "tasks.progress", task):
        raise PermissionDenied("tasks.progress")
    form = ProgressForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.record_progress(
                task,
                actor=request.user,
                percent=d["percent"],
                note=d["note"],
                measures_done=d["measures_done"],
                period=d["period"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("rectification:task", pk=task.pk)
    title = _("Report progress: task %(n)s") % {"n": task.number}
    return form_page(request, form, title, back=reverse("rectification:task", args=[task.pk]), status=400 if form.errors else 200)
