"""Background jobs whose worker died: no job stays "running" for ever.

A django-tasks worker (`manage.py db_worker`) that is killed in the middle of a job leaves the job's row
"RUNNING". The job's own work is transactional (an import is one transaction, so a killed import leaves no
row behind), but the job row itself would never change again. The hourly scheduler job `fail_stale_tasks`
(`core/periodic.py`) marks every job that has been running for more than `TASK_STALE_MINUTES` as FAILED with
`WORKER_LOST` as its error; the user who started it sees it failed and can start it again. Jobs are not
re-enqueued automatically: an import or export that dies part-way may die again on the same input, and
running it again is the user's decision.

The database backend keeps no heartbeat, so a job legitimately running longer than `TASK_STALE_MINUTES` would
be marked too: keep the setting above the longest import or export.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

WORKER_LOST = gettext_noop(
    "The worker running this job stopped before it finished (killed or restarted); nothing of it was saved. Start it again."
)


class WorkerLost(Exception):
    """The exception class recorded for a job whose worker died (no traceback exists)."""


def bilingual(message: str) -> str:
    """A message stored for later readers in either language: the Chinese and the English text."""
    with translation.override("zh-hans"):
        zh = _(message)
    return f"{zh}\n{message}"


def stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.TASK_STALE_MINUTES)


def fail_stale_tasks(now: dt.datetime) -> int:
    """Mark the jobs running since before the cut-off as failed; the number marked.

    One conditional UPDATE: a job that finishes meanwhile is no longer RUNNING and is left alone.
    """
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale_before(now)).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=bilingual(WORKER_LOST),
        return_value=None,
    )
