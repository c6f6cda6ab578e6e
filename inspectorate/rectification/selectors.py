"""Scoped reads for rectification."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from inspectorate.accounts.scoping import restrict

from .models import Evidence, Feedback, Flag, FlagStatus, Leader, Measure, Plan, Problem, Task


def problems_for(user: Any, action: str = "view") -> QuerySet[Problem]:
    return restrict(Problem.objects.select_related("campaign", "unit", "feedback", "enterprise", "origin_case"), user, action)


def feedback_for(user: Any, action: str = "view") -> QuerySet[Feedback]:
    return restrict(Feedback.objects.select_related("campaign", "target"), user, action)


def plans_for(user: Any, action: str = "view") -> QuerySet[Plan]:
    return restrict(Plan.objects.select_related("campaign", "target"), user, action)


def task_base() -> QuerySet[Task]:
    return Task.objects.select_related(
        "campaign", "campaign__ledger_settings", "problem", "lead_leader", "lead_unit", "acceptance_unit"
    ).prefetch_related("implementing_units", Prefetch("measures", queryset=Measure.objects.order_by("number")))


def tasks_for(user: Any, action: str = "view") -> QuerySet[Task]:
    return (
        restrict(task_base(), user, action)
        .annotate(open_flags=Count("flags", filter=Q(flags__status=FlagStatus.OPEN), distinct=True))
        .order_by("campaign_id", "sort_key")
    )


def task_detail_for(user: Any, action: str = "view") -> QuerySet[Task]:
    return restrict(task_base(), user, action).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by").order_by("uploaded_at")),
        "updates__reported_by",
        "objections",
        "reopenings__by",
        "flags",
        "warnings",
    )


def flags_for(user: Any, action: str = "view") -> QuerySet[Flag]:
    return restrict(Flag.objects.select_related("task", "task__lead_unit", "task__campaign", "reviewed_by"), user, action)


def leaders_for(user: Any, action: str = "view") -> Any:
    """Leaders of the units the user reaches (a LeaderQuerySet: `.active_on(day)` narrows to those in post)."""
    return restrict(Leader.objects.select_related("unit"), user, action)


def evidence_for(user: Any, action: str = "view") -> QuerySet[Evidence]:
    return restrict(Evidence.objects.select_related("task", "task__campaign", "measure", "uploaded_by"), user, action).order_by(
        "-uploaded_at"
    )
