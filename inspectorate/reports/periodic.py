"""Maintenance of reports (`core.scheduler`): export files older than `EXPORT_KEEP_DAYS` are removed from storage
(nightly; the job row stays, with its audit trail; its download then answers 404), and exports whose worker died
are marked failed (hourly, as `core.stale_tasks` does for the task rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from inspectorate import audit
from inspectorate.core import scheduler, stale_tasks
from inspectorate.core.scheduler import Slot

from .models import ExportJob, ExportStatus


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


def _fail_stale_exports(slot: Slot) -> dict[str, Any]:
    """Exports still "running" `TASK_STALE_MINUTES` after they were requested: their worker died mid-file."""
    failed = 0
    message = stale_tasks.bilingual(stale_tasks.WORKER_LOST)
    stale = ExportJob.objects.filter(status=ExportStatus.RUNNING, created_at__lt=stale_tasks.stale_before(slot.now))
    for job in stale.order_by("created_at"):
        with transaction.atomic():
            # Conditional: an export that finishes meanwhile keeps its result.
            if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
                status=ExportStatus.FAILED, error=message, finished_at=slot.now
            ):
                continue
            audit.record(
                "system:scheduler", "export.worker_lost", job, before={"status": ExportStatus.RUNNING},
                after={"status": ExportStatus.FAILED, "rows": job.progress},
            )  # fmt: skip
        failed += 1
    return {"failed": failed}


scheduler.register(scheduler.Job("fail_stale_exports", _fail_stale_exports, slots=scheduler.hourly))
