"""Nightly maintenance of reports (`core.scheduler`): export files older than `EXPORT_KEEP_DAYS` are removed
from storage (the job row stays, with its audit trail; its download then answers 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from inspectorate import audit
from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot

from .models import ExportJob


@scheduler.daily("purge_export_files", at=dt.time(2, 0))
def purge_export_files(slot: Slot) -> dict[str, Any]:
    cutoff = slot.now - dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    removed = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file="").order_by("finished_at"):
        name = job.file.name
        with transaction.atomic():
            # Claim the row first: of two purges only one clears it and records the event.
            if not ExportJob.objects.filter(pk=job.pk, file=name).update(file=""):
                continue
            audit.record("system:scheduler", "export.file_expired", job, before={"file": name}, after={"file": ""})
        job.file.storage.delete(name)
        removed += 1
    return {"files_removed": removed}
