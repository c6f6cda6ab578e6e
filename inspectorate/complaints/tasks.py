"""Background work (django-tasks): transfer notices, bulk imports, the triage of complaints received."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django_tasks import task


@task()
def generate_notices(batch_id: str) -> int:
    """Store the xlsx and docx notice of every receiving unit of a transferred batch."""
    from .models import TransferNotice
    from .notices import notice_docx, notice_xlsx

    count = 0
    for n in TransferNotice.objects.filter(batch__pk=batch_id).select_related("batch", "batch__campaign", "unit"):
        stem = f"batch{n.batch.number}-{n.unit.code}"
        n.xlsx.save(f"{stem}.xlsx", ContentFile(notice_xlsx(n.batch, n.unit)), save=False)
        n.docx.save(f"{stem}.docx", ContentFile(notice_docx(n.batch, n.unit)), save=False)
        n.save(update_fields=["xlsx", "docx"])
        count += 1
    return count


@task()
def import_calls_task(campaign_id: str, user_id: int, filename: str, data_hex: str) -> dict[str, Any]:
    """Import a day's calls in the background; the result is the row-level report."""
    from inspectorate.accounts.models import User
    from inspectorate.campaigns.models import Campaign

    from .actions import import_calls

    report = import_calls(
        Campaign.objects.get(pk=campaign_id), bytes.fromhex(data_hex), filename, actor=User.objects.get(pk=user_id)
    )
    return report.as_dict()


@task()
def triage_complaint(complaint_id: str) -> bool:
    """Classify, route and check one received complaint for duplicates (`actions.triage`); False when it was
    triaged already (by a screener's action or another worker)."""
    from .actions.triage import triage

    return triage(complaint_id)
