"""Scoped reads: each one line through restrict()."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone

from inspectorate.accounts.scoping import active_memberships, restrict

from .models import ChecklistRun, ChecklistTemplate, DangerStatus, HiddenDanger, SelfInspection


def dangers_for(user: Any, action: str = "view") -> QuerySet[HiddenDanger]:
    """Hidden dangers the user sees, overdue flagged (`overdue`) and first, then by deadline."""
    today = timezone.localdate()
    return (
        restrict(HiddenDanger.objects.all(), user, action)
        .select_related("unit", "supervising_unit", "found_by", "problem")
        .annotate(
            overdue=Case(
                When(deadline__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .annotate(
            overdue_open=Case(
                When(
                    deadline__lt=today, status__in=[s for s in DangerStatus.values if s != DangerStatus.CLOSED], then=Value(True)
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-overdue_open", "deadline", "number")
    )


def escalated_to(user: Any, qs: QuerySet[HiddenDanger]) -> QuerySet[HiddenDanger]:
    """The dangers escalated to one of the units the user holds a membership on."""
    units = [m.org_unit_id for m in active_memberships(user) if m.org_unit_id is not None]
    if getattr(user, "is_superuser", False):
        return qs.filter(supervising_unit__isnull=False)
    return qs.filter(supervising_unit_id__in=units)


def checklists_for(user: Any, action: str = "view") -> QuerySet[ChecklistTemplate]:
    return restrict(ChecklistTemplate.objects.all(), user, action).select_related("owner_unit")


def self_inspections_for(user: Any, action: str = "view") -> QuerySet[SelfInspection]:
    return restrict(SelfInspection.objects.all(), user, action).select_related("organiser", "checklist", "campaign")


def runs_for(user: Any, action: str = "view") -> QuerySet[ChecklistRun]:
    return restrict(ChecklistRun.objects.all(), user, action).select_related("unit", "inspection", "inspector")
