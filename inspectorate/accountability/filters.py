"""List filters shared by the API and the pages (same parameters everywhere)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.orgs.models import OrgUnit

from .models import (
    AccountabilityIssue,
    AccountabilityRecord,
    Interview,
    InterviewReason,
    InterviewStatus,
    IssueStatus,
    Measure,
    Rank,
)

WARNINGS = [("yellow", _("Report due soon")), ("red", _("Report overdue"))]
SOON_DAYS = 7


def _by_id_or_code(qs: QuerySet, field: str, value: str) -> QuerySet:
    try:
        return qs.filter(**{f"{field}__pk": uuid.UUID(str(value))})
    except ValueError:
        return qs.filter(**{f"{field}__code": value})


class InterviewFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(method="filter_campaign", label="campaign (id or code)")
    status = django_filters.ChoiceFilter(choices=InterviewStatus.choices)
    reason = django_filters.ChoiceFilter(choices=InterviewReason.choices)
    published = django_filters.BooleanFilter()
    warning = django_filters.ChoiceFilter(choices=WARNINGS, method="filter_warning", label="report warning")

    class Meta:
        model = Interview
        fields: list[str] = []

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "campaign", value)

    def filter_warning(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        pending = qs.filter(status__in=[InterviewStatus.SCHEDULED, InterviewStatus.HELD])
        if value == "red":
            return pending.filter(report_due__lt=today)
        return pending.filter(report_due__gte=today, report_due__lte=today + dt.timedelta(days=SOON_DAYS))


class IssueFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(method="filter_campaign", label="campaign (id or code)")
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices)
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = AccountabilityIssue
        fields = ["number"]

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "campaign", value)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(title__icontains=value) | Q(facts__icontains=value))


class RecordFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(method="filter_campaign", label="campaign (id or code)")
    issue = django_filters.UUIDFilter(field_name="issue_id")
    rank = django_filters.ChoiceFilter(choices=Rank.choices)
    measure = django_filters.ChoiceFilter(choices=Measure.choices)
    unit = django_filters.CharFilter(method="filter_unit", label="unit (id or code), with its subtree")

    class Meta:
        model = AccountabilityRecord
        fields: list[str] = []

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "issue__campaign", value)

    def filter_unit(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        try:
            unit = OrgUnit.objects.filter(pk=uuid.UUID(str(value))).first()
        except ValueError:
            unit = OrgUnit.objects.filter(code=value).first()
        if unit is None:
            return qs.none()
        return qs.filter(unit__path__startswith=unit.path)
