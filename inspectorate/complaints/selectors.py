"""Scoped reads for complaints, cases, batches and published tables."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspectorate.accounts.scoping import restrict

from .models import Attachment, Case, Complaint, DisclosureTable, HandlingResult, Rating, TransferBatch, TransferNotice


def complaints_for(user: Any, action: str = "view") -> QuerySet[Complaint]:
    return restrict(Complaint.objects.select_related("campaign", "jurisdiction", "case", "operator"), user, action)


def attachments_for(user: Any, action: str = "view") -> QuerySet[Attachment]:
    """Photos and videos sent with complaints: scoped like their complaint (the inspection team only)."""
    return restrict(Attachment.objects.select_related("complaint"), user, action)


def cases_for(user: Any, action: str = "view") -> QuerySet[Case]:
    return restrict(
        Case.objects.select_related("campaign", "region", "lead_unit", "handler_unit", "batch").prefetch_related("co_units"),
        user,
        action,
    )


def batches_for(user: Any, action: str = "view") -> QuerySet[TransferBatch]:
    return restrict(TransferBatch.objects.select_related("campaign", "transferred_by"), user, action)


def notices_for(user: Any, action: str = "view") -> QuerySet[TransferNotice]:
    return restrict(TransferNotice.objects.select_related("batch", "unit", "acknowledged_by"), user, action)


def results_for(user: Any, action: str = "view") -> QuerySet[HandlingResult]:
    return restrict(HandlingResult.objects.select_related("case").prefetch_related("penalties", "evidence"), user, action)


def disclosures_for(user: Any, action: str = "view") -> QuerySet[DisclosureTable]:
    return restrict(DisclosureTable.objects.select_related("batch", "batch__campaign"), user, action)


def batch_disclosures_for(user: Any, batch: TransferBatch) -> list[DisclosureTable]:
    """The batch's results tables (newest first) as `user` may read them: each table's rows cut down to the
    cases in the user's scope (a handling unit sees its own cases' rows, the team sees all). For reading
    only: the returned objects carry the cut rows and are never saved."""
    tables = list(disclosures_for(user).filter(batch=batch).order_by("-version"))
    visible = set(cases_for(user).filter(batch=batch).values_list("number", flat=True))
    for table in tables:
        table.rows = [row for row in table.rows if row.get("number") in visible]
    return tables


def ratings_for(user: Any, action: str = "view") -> QuerySet[Rating]:
    return restrict(Rating.objects.select_related("case"), user, action)


def published_tables() -> QuerySet[DisclosureTable]:
    """What the public may read: published versions only."""
    return DisclosureTable.objects.filter(status=DisclosureTable.Status.PUBLISHED).select_related("batch", "batch__campaign")


def latest_published(batch: TransferBatch) -> DisclosureTable | None:
    return published_tables().filter(batch=batch).order_by("-version").first()
