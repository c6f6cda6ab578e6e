"""List filters shared by the API and the pages (same parameters everywhere)."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from inspectorate.core.listing import ListFilterSet, sort_filter, unit_subtree

from .models import (
    Evidence,
    EvidenceKind,
    Flag,
    FlagKind,
    FlagStatus,
    Leader,
    LeaderRank,
    Nature,
    Plan,
    PlanStatus,
    Problem,
    ScheduleState,
    Source,
    Task,
    TaskStatus,
    TaskWarning,
    Urgency,
    WarningLevel,
)
from .schedule import filter_schedule
from .schedule import overdue_q as filter_schedule_q


def _by_id_or_code(qs: QuerySet, field: str, value: str) -> QuerySet:
    try:
        return qs.filter(**{f"{field}__pk": uuid.UUID(str(value))})
    except ValueError:
        return qs.filter(**{f"{field}__code": value})


class CampaignMixin(django_filters.FilterSet):
    campaign = django_filters.CharFilter(method="filter_campaign", label="campaign (id or code)")

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "campaign", value)


class TaskFilter(CampaignMixin, ListFilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    schedule = django_filters.ChoiceFilter(choices=ScheduleState.choices, method="filter_schedule")
    lead_unit = django_filters.CharFilter(method="filter_lead_unit", label="lead unit (id or code)")
    unit = django_filters.CharFilter(method="filter_unit", label="lead or implementing unit (id or code)")
    leader = django_filters.UUIDFilter(field_name="lead_leader_id")
    problem = django_filters.UUIDFilter(field_name="problem_id")
    source = django_filters.ChoiceFilter(field_name="problem__source", choices=Source.choices)
    urgency = django_filters.ChoiceFilter(field_name="problem__urgency", choices=Urgency.choices)
    nature = django_filters.ChoiceFilter(field_name="problem__nature", choices=Nature.choices)
    flagged = django_filters.BooleanFilter(method="filter_flagged")
    q = django_filters.CharFilter(method="filter_q")
    region = django_filters.CharFilter(method="filter_region", label=_("Region"))
    date_from = django_filters.DateFilter(field_name="deadline", lookup_expr="gte", label=_("Deadline from"))
    date_to = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("Deadline to"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=BooleanWidget())
    warning = django_filters.ChoiceFilter(choices=WarningLevel.choices, method="filter_warning", label=_("Warning"))
    sort = sort_filter(["number", "unit", "deadline", "progress", "status"])

    sort_fields = {
        "number": ("campaign__code", "sort_key"),
        "unit": ("lead_unit__code", "sort_key"),
        "deadline": ("deadline", "sort_key"),
        "progress": ("progress", "sort_key"),
        "status": ("status", "sort_key"),
    }

    class Meta:
        model = Task
        fields = ["number", "long_term"]

    def default_order(self) -> list[Any]:
        # Overdue first, then in ledger order.
        late = Case(When(filter_schedule_q(), then=Value(0)), default=Value(1))
        return [late.asc(), "campaign__code", "sort_key"]

    def filter_region(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return unit_subtree(qs, "lead_unit", value)

    def filter_warning(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(pk__in=TaskWarning.objects.filter(level=value, task__isnull=False).values("task_id"))

    def filter_overdue(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return filter_schedule(qs, ScheduleState.OVERDUE) if value else qs.exclude(filter_schedule_q())

    def filter_schedule(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return filter_schedule(qs, value)

    def filter_lead_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "lead_unit", value)

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        try:
            key = uuid.UUID(str(value))
            return qs.filter(Q(lead_unit_id=key) | Q(implementing_units__id=key)).distinct()
        except ValueError:
            return qs.filter(Q(lead_unit__code=value) | Q(implementing_units__code=value)).distinct()

    def filter_flagged(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        flagged = Flag.objects.filter(status=FlagStatus.OPEN).values("task_id")
        return qs.filter(pk__in=flagged) if value else qs.exclude(pk__in=flagged)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(goal__icontains=value) | Q(problem__title__icontains=value) | Q(number=value))


class ProblemFilter(CampaignMixin, ListFilterSet):
    """The problems of the plans page and of `/api/v1/problems/`: search, filters, sortable columns."""

    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("urgency class"))
    nature = django_filters.ChoiceFilter(choices=Nature.choices, label=_("Class"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region"))
    sort = sort_filter(["number", "unit", "source"])

    search_fields = ("title", "description", "number", "origin_case_number")
    sort_fields = {
        "number": ("campaign__code", "sort_key"),
        "unit": ("unit__code", "campaign__code", "sort_key"),
        "source": ("source", "campaign__code", "sort_key"),
    }

    class Meta:
        model = Problem
        fields = ["number", "unit"]

    def default_order(self) -> list[Any]:
        return ["campaign__code", "sort_key"]

    def filter_region(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return unit_subtree(qs, "unit", value)


class PlanFilter(CampaignMixin):
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = Plan
        fields = ["target"]


class FlagFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=FlagKind.choices)
    status = django_filters.ChoiceFilter(choices=FlagStatus.choices)
    campaign = django_filters.CharFilter(method="filter_campaign")
    task = django_filters.UUIDFilter(field_name="task_id")

    class Meta:
        model = Flag
        fields: list[str] = []

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "campaign", value)


class LeaderFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(method="filter_unit", label="unit (id or code), with its subtree")
    active = django_filters.BooleanFilter(method="filter_active", label="in post today")
    rank = django_filters.ChoiceFilter(choices=LeaderRank.choices)
    q = django_filters.CharFilter(method="filter_q", label="name or post contains")

    class Meta:
        model = Leader
        fields: list[str] = []

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        from inspectorate.orgs.models import OrgUnit

        try:
            unit = OrgUnit.objects.filter(pk=uuid.UUID(str(value))).first()
        except ValueError:
            unit = OrgUnit.objects.filter(code=value).first()
        return qs.filter(unit__path__startswith=unit.path) if unit is not None else qs.none()

    def filter_active(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        current = Leader.objects.active_on(timezone.localdate()).values("pk")
        return qs.filter(pk__in=current) if value else qs.exclude(pk__in=current)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__icontains=value) | Q(post__icontains=value))


class EvidenceFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(method="filter_campaign", label="campaign (id or code)")
    task = django_filters.UUIDFilter(field_name="task_id")
    kind = django_filters.ChoiceFilter(choices=EvidenceKind.choices)
    captured_from = django_filters.DateFilter(field_name="captured_on", lookup_expr="gte")
    captured_to = django_filters.DateFilter(field_name="captured_on", lookup_expr="lte")
    located = django_filters.BooleanFilter(field_name="lat", lookup_expr="isnull", exclude=True, label="carries a location")

    class Meta:
        model = Evidence
        fields: list[str] = []

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "task__campaign", value)
