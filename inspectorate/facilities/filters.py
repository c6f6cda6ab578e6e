"""List filters shared by the API and the pages (same parameters everywhere)."""

from __future__ import annotations

import uuid

import django_filters
from django.db.models import Q, QuerySet

from .models import (
    EnterpriseVisit,
    Facility,
    FacilityLog,
    FacilityType,
    FacilityWarning,
    LogStatus,
    MaintenanceRecord,
    Project,
    ProjectStatus,
    RequestStatus,
    ReviewState,
    VisitRequest,
    WarningKind,
)


def _subtree(qs: QuerySet, field: str, value: str) -> QuerySet:
    """Objects whose unit is `value` (id or code) or lies under it."""
    from inspectorate.orgs.models import OrgUnit

    try:
        unit = OrgUnit.objects.filter(pk=uuid.UUID(str(value))).first()
    except ValueError:
        unit = OrgUnit.objects.filter(code=value).first()
    if unit is None:
        return qs.none()
    return qs.filter(**{f"{field}__path__startswith": unit.path})


class FacilityFilter(django_filters.FilterSet):
    facility_type = django_filters.ChoiceFilter(choices=FacilityType.choices)
    unit = django_filters.CharFilter(method="filter_unit", label="unit or its subtree (id or code)")
    enterprise = django_filters.UUIDFilter(field_name="enterprise_id")
    active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Facility
        fields = ["facility_type", "unit", "enterprise", "active", "q"]

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "unit", value)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__icontains=value) | Q(unit__name_zh__icontains=value) | Q(unit__name_en__icontains=value))


class FacilityLogFilter(django_filters.FilterSet):
    facility = django_filters.UUIDFilter(field_name="facility_id")
    unit = django_filters.CharFilter(method="filter_unit", label="unit or its subtree (id or code)")
    status = django_filters.ChoiceFilter(choices=LogStatus.choices)
    review = django_filters.ChoiceFilter(choices=[c for c in ReviewState.choices if c[0]])
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte")
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte")

    class Meta:
        model = FacilityLog
        fields = ["facility", "unit", "status", "review", "day_from", "day_to"]

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "facility__unit", value)


class MaintenanceFilter(django_filters.FilterSet):
    facility = django_filters.UUIDFilter(field_name="facility_id")
    done_from = django_filters.DateFilter(field_name="done_on", lookup_expr="gte")
    done_to = django_filters.DateFilter(field_name="done_on", lookup_expr="lte")

    class Meta:
        model = MaintenanceRecord
        fields = ["facility", "done_from", "done_to"]


class WarningFilter(django_filters.FilterSet):
    facility = django_filters.UUIDFilter(field_name="facility_id")
    unit = django_filters.CharFilter(method="filter_unit", label="unit or its subtree (id or code)")
    kind = django_filters.ChoiceFilter(choices=WarningKind.choices)
    open = django_filters.BooleanFilter(field_name="resolved_at", lookup_expr="isnull", label="still open")

    class Meta:
        model = FacilityWarning
        fields = ["facility", "unit", "kind", "open"]

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "facility__unit", value)


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    unit = django_filters.CharFilter(method="filter_unit", label="unit or its subtree (id or code)")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ["status", "unit", "q"]

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "unit", value)


class VisitFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(method="filter_unit", label="visiting or visited unit, or its subtree (id or code)")
    visited_from = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte")
    visited_to = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte")

    class Meta:
        model = EnterpriseVisit
        fields = ["unit", "visited_from", "visited_to"]

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "government_unit", value) | _subtree(qs, "enterprise_unit", value)


class VisitRequestFilter(django_filters.FilterSet):
    visit = django_filters.UUIDFilter(field_name="visit_id")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    owner_unit = django_filters.CharFilter(method="filter_owner", label="owner unit or its subtree (id or code)")

    class Meta:
        model = VisitRequest
        fields = ["visit", "status", "owner_unit"]

    def filter_owner(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "owner_unit", value)
