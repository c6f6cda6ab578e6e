"""Public pages (no login): published plans and closures under notice with the objection form.

Only public fields are shown: never leaders' names, evidence, flags, internal plan text,
objections or the people who signed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.publiccache import cached_public_page

from . import actions
from .models import Plan, PlanStatus, SignOffStep, Task

PUBLIC_TASK_FIELDS = (
    "id", "number", "goal", "deadline", "long_term", "status", "progress", "closed_on", "notice_start", "notice_end",
    "lead_unit__name_zh", "lead_unit__name_en", "acceptance_unit__name_zh", "acceptance_unit__name_en",
    "problem__number", "problem__title", "problem__nature", "campaign__name_zh", "campaign__code",
)  # fmt: skip


def _published_plans():  # type: ignore[no-untyped-def]
    return Plan.objects.filter(status=PlanStatus.PUBLISHED).select_related("campaign", "target")


def public_plan_tasks(plan: Plan):  # type: ignore[no-untyped-def]
    """The tasks a published plan shows the public: the campaign's tasks led within the plan's target."""
    return (
        Task.objects.filter(campaign=plan.campaign, lead_unit__path__startswith=plan.target.path)
        .select_related("lead_unit", "acceptance_unit", "problem")
        .order_by("sort_key")
    )


@cached_public_page
def public_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    notices = (
        Task.objects.filter(signoff_step=SignOffStep.UNDER_NOTICE, notice_end__gte=today)
        .select_related("lead_unit", "acceptance_unit", "campaign", "problem")
        .prefetch_related("implementing_units")
        .order_by("notice_end", "sort_key")[:200]
    )
    return render(request, "rectification/public/index.html", {"plans": _published_plans()[:100], "notices": notices})


@cached_public_page
def public_plan(request: HttpRequest, pk: str) -> HttpResponse:
    plan = get_object_or_404(_published_plans(), pk=pk)
    tasks = public_plan_tasks(plan)
    return render(request, "rectification/public/plan.html", {"plan": plan, "tasks": tasks})


def public_notice(request: HttpRequest, pk: str) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.filter(signoff_step=SignOffStep.UNDER_NOTICE)
        .select_related("lead_unit", "acceptance_unit", "campaign", "problem")
        .prefetch_related("implementing_units"),
        pk=pk,
    )
    if request.method == "POST":
        try:
            actions.raise_objection(task, text=request.POST.get("text", ""), contact=request.POST.get("contact", "")[:200])
        except ValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.messages))
        else:
            messages.success(
                request, _("Thank you. Your objection has been recorded and will be reviewed before the task is filed.")
            )
        return HttpResponseRedirect(reverse("rectification:public-notice", args=[task.pk]))
    hotline = getattr(getattr(task.campaign, "team", None), "hotline", "")
    return render(request, "rectification/public/notice.html", {"t": task, "hotline": hotline, "today": timezone.localdate()})
