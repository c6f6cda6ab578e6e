"""List filters shared by the API and the pages: complaints, cases, transfer batches (same parameters everywhere).

Every list takes `campaign` (id or code), `q` (text search), `sort` (a whitelisted column, `-` for
descending), `date_from`/`date_to` (the intake day) and its own filters; the older API names
(`campaign_code`, `day`, `batch_number`) still work.
"""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django.db.models import Case as When_
from django.db.models import Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from inspectorate.core.listing import ListFilterSet, by_id_or_code, sort_filter, unit_subtree

from .models import Case, CaseStatus, Channel, Complaint, ComplaintStatus, PollutionType, ResultStatus, TransferBatch, Verdict

# A case is overdue when its due date has passed and the reply is still owed.
OPEN_STATES = (CaseStatus.TRANSFERRED, CaseStatus.DISPATCHED, CaseStatus.RETURNED)


def overdue_q(today: Any = None) -> Q:
    return Q(due_date__lt=today or timezone.localdate(), status__in=OPEN_STATES)


def _batch(qs: QuerySet, field: str, value: str) -> QuerySet:
    """A batch by id, or by its number within the campaign(s) listed."""
    try:
        return qs.filter(**{f"{field}__pk": uuid.UUID(str(value))})
    except ValueError:
        return qs.filter(**{f"{field}__number": value}) if str(value).isdigit() else qs.none()


class CampaignFilterMixin(ListFilterSet):
    campaign = django_filters.CharFilter(method="filter_campaign", label=_("Campaign"))
    date_from = django_filters.DateFilter(field_name="intake_day", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="intake_day", lookup_expr="lte", label=_("To"))

    def filter_campaign(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return by_id_or_code(qs, "campaign", value)


class ComplaintFilter(CampaignFilterMixin):
    campaign_code = django_filters.CharFilter(field_name="campaign__code", label=_("Campaign"))
    day = django_filters.DateFilter(field_name="intake_day", label=_("Intake day"))
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    type = django_filters.ChoiceFilter(choices=PollutionType.choices, method="filter_type", label=_("Type"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region"))
    batch = django_filters.CharFilter(method="filter_batch", label=_("Batch"))
    sort = sort_filter(["received", "receipt", "status", "channel", "jurisdiction"])

    search_fields = ("receipt_code", "text", "address", "polluter_name", "case__number")
    sort_fields = {
        "received": ("received_at",),
        "receipt": ("receipt_code",),
        "status": ("status",),
        "channel": ("channel",),
        "jurisdiction": ("jurisdiction__code",),
    }

    class Meta:
        model = Complaint
        fields = ["jurisdiction", "route_method"]

    def default_order(self) -> list[Any]:
        return ["-received_at"]

    def filter_type(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(pollution_types__icontains=f'"{value}"')

    def filter_region(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return unit_subtree(qs, "jurisdiction", value)

    def filter_batch(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _batch(qs, "case__batch", value)


class CaseFilter(CampaignFilterMixin):
    batch = django_filters.CharFilter(method="filter_batch", label=_("Batch"))
    batch_number = django_filters.NumberFilter(field_name="batch__number", label=_("Batch"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region"))
    type = django_filters.ChoiceFilter(choices=PollutionType.choices, method="filter_type", label=_("Type"))
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("Status"))
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices, label=_("Verdict"))
    result_status = django_filters.ChoiceFilter(choices=ResultStatus.choices, label=_("Result"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=BooleanWidget())
    sort = sort_filter(["number", "region", "due", "status", "intake", "handler"])

    search_fields = ("number", "summary", "origin__address", "origin__polluter_name")
    sort_fields = {
        "number": ("number",),
        "region": ("region__code",),
        "due": ("due_date",),
        "status": ("status",),
        "intake": ("intake_day",),
        "handler": ("handler_unit__code",),
    }

    class Meta:
        model = Case
        fields = ["is_key", "lead_unit", "handler_unit"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # A merged case lives on in the case it was merged into: listed only when asked for by status.
        if not (getattr(self.form, "cleaned_data", None) or {}).get("status"):
            queryset = queryset.exclude(status=CaseStatus.MERGED)
        return super().filter_queryset(queryset)

    def default_order(self) -> list[Any]:
        # Overdue first, then by due date (none last), then by number.
        late = When_(When(overdue_q(), then=Value(0)), default=Value(1))
        return [late.asc(), When_(When(due_date__isnull=True, then=Value(1)), default=Value(0)).asc(), "due_date", "number"]

    def filter_batch(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _batch(qs, "batch", value)

    def filter_region(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return unit_subtree(qs, "region", value)

    def filter_type(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(pollution_types__icontains=f'"{value}"')

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())


class BatchFilter(CampaignFilterMixin):
    status = django_filters.ChoiceFilter(choices=TransferBatch.Status.choices, label=_("Status"))
    number = django_filters.NumberFilter(label=_("Batch"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("With overdue cases"), widget=BooleanWidget())
    sort = sort_filter(["number", "intake", "status", "transferred", "campaign"])

    search_fields = ("campaign__code", "campaign__name_zh", "campaign__name_en")
    sort_fields = {
        "number": ("number",),
        "intake": ("intake_day",),
        "status": ("status",),
        "transferred": ("transferred_at",),
        "campaign": ("campaign__code", "number"),
    }

    class Meta:
        model = TransferBatch
        fields: list[str] = []

    def default_order(self) -> list[Any]:
        return ["-intake_day", "-number"]

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        late = Case.objects.filter(overdue_q()).values("batch_id")
        return qs.filter(pk__in=late) if value else qs.exclude(pk__in=late)
