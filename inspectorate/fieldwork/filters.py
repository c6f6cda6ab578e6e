"""List filters shared by the API and the pages."""

from __future__ import annotations

import uuid

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import OWED, InfoRequest, ItemStatus, Rank, SiteVisit, Talk, VisitKind, VisitStatus


def _by_id_or_code(qs: QuerySet, field: str, value: str) -> QuerySet:
    try:
        return qs.filter(**{f"{field}__pk": uuid.UUID(str(value))})
    except ValueError:
        return qs.filter(**{f"{field}__code": value})


class CampaignMixin(django_filters.FilterSet):
    campaign = django_filters.CharFilter(method="filter_campaign", label="campaign (id or code)")
    unit = django_filters.CharFilter(method="filter_unit", label="unit (id or code)")

    unit_field = "unit"

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, "campaign", value)

    def filter_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _by_id_or_code(qs, self.unit_field, value)


class InfoRequestFilter(CampaignMixin):
    unit_field = "target_unit"
    item_status = django_filters.ChoiceFilter(choices=ItemStatus.choices, method="filter_item_status", label="item status")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="has overdue items")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = InfoRequest
        fields = ["number"]

    def filter_item_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(pk__in=InfoRequest.objects.filter(items__status=value).values("pk"))

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        late = InfoRequest.objects.filter(items__status__in=OWED, due_at__lt=timezone.now()).values("pk")
        return qs.filter(pk__in=late) if value else qs.exclude(pk__in=late)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(title__icontains=value) | Q(items__description__icontains=value)).distinct()


class TalkFilter(CampaignMixin):
    rank = django_filters.ChoiceFilter(choices=Rank.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Talk
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        # Never the notes: a search must not reveal what only some readers may see.
        return qs.filter(Q(person_name__icontains=value) | Q(post__icontains=value) | Q(topics__icontains=value))


class SiteVisitFilter(CampaignMixin):
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices)
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices)
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = SiteVisit
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(location__icontains=value) | Q(summary__icontains=value))
