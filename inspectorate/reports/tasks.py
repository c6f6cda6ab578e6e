"""django-tasks entry points for background exports."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from inspectorate import audit
from inspectorate.core.storage import cleanup_on_error, storage_guard


@task()
def run_export(job_id: str) -> str:
    """Run one export job; the file lands in default storage and the job records progress and outcome."""
    from .exports import EXPORTERS
    from .models import ExportJob, ExportStatus

    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    if not claimed:
        return "skipped"  # already run (a retried task does not export twice)
    job = ExportJob.objects.select_related("user").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=done, total=total)

    try:
        with tempfile.TemporaryFile() as fh:
            filename, _content_type = EXPORTERS[job.kind](job, fh, progress)
            fh.seek(0)
            job.refresh_from_db(fields=["progress", "total"])
            # A full or unreachable store: the job fails with a message in words, no file is left half-recorded.
            with cleanup_on_error(job.file.storage) as stored, transaction.atomic():
                with storage_guard():
                    job.file.save(f"{job.kind}-{timezone.now():%Y%m%d-%H%M%S}-{filename}", File(fh), save=False)
                stored.append(job.file.name)
                job.status, job.finished_at = ExportStatus.DONE, timezone.now()
                job.save(update_fields=["file", "status", "finished_at"])
                audit.record("system:worker", "export.done", job, after={"file": job.file.name, "rows": job.progress})
    except Exception as exc:  # the job records the failure; the worker logs the traceback
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    return job.file.name
