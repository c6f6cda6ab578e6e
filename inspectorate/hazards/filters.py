"""The hidden-danger list filters, shared by the API and the page (same parameters everywhere)."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspectorate.orgs.models import OrgUnit

from .models import DangerCategory, DangerLevel, DangerStatus, HiddenDanger
from .selectors import escalated_to


class HiddenDangerFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(method="filter_unit", label=_("Unit (and the units below it)"))
    status = django_filters.ChoiceFilter(
        choices=DangerStatus.choices, label=pgettext_lazy("hidden danger", "Status"), empty_label=_("All statuses")
    )
    level = django_filters.ChoiceFilter(
        choices=DangerLevel.choices, label=pgettext_lazy("hidden danger", "Level"), empty_label=_("All levels")
    )
    category = django_filters.ChoiceFilter(choices=DangerCategory.choices, label=_("Category"), empty_label=_("All categories"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    escalated_to_me = django_filters.BooleanFilter(method="filter_escalated", label=_("Escalated to me"))
    found_from = django_filters.DateFilter(field_name="found_on", lookup_expr="gte", label=_("Found from"))
    found_to = django_filters.DateFilter(field_name="found_on", lookup_expr="lte", label=_("Found until"))
    q = django_filters.CharFilter(method="filter_q", label=_("Number, title or location"))

    class Meta:
        model = HiddenDanger
        fields = ["unit", "status", "level", "category", "overdue", "escalated_to_me", "found_from", "found_to", "q"]

    def filter_unit(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        try:
            unit = OrgUnit.objects.filter(pk=uuid.UUID(str(value))).first()
        except ValueError:
            unit = OrgUnit.objects.filter(code=value).first()
        if unit is None:
            return qs.none()
        return qs.filter(unit__path__startswith=unit.path)

    def filter_overdue(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(overdue_open=value)

    def filter_escalated(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return qs
        return escalated_to(getattr(self.request, "user", None), qs)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(location__icontains=value))
