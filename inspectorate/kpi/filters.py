"""List filters shared by the API and the pages."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from inspectorate.facilities.filters import _subtree

from .models import Scheme, Score, ScoreStatus


class SchemeFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(method="filter_owner", label="owner unit (id or code; its subtree)")
    year = django_filters.NumberFilter(field_name="period_start", lookup_expr="year", min_value=1900, max_value=9999)
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains")

    class Meta:
        model = Scheme
        fields = ["owner", "year", "q"]

    def filter_owner(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "owner_unit", value)


class ScoreFilter(django_filters.FilterSet):
    scheme = django_filters.UUIDFilter(field_name="scheme_id")
    unit = django_filters.CharFilter(method="filter_unit", label="unit (id or code; its subtree)")
    status = django_filters.ChoiceFilter(choices=ScoreStatus.choices)
    vetoed = django_filters.BooleanFilter()

    class Meta:
        model = Score
        fields = ["scheme", "unit", "status", "vetoed"]

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _subtree(qs, "unit", value)
