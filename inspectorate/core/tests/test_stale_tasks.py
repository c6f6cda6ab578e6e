"""Background jobs left "running" by a dead worker are failed by the hourly scheduler runs, once each hour;
jobs still within `TASK_STALE_MINUTES`, and finished ones, are left alone. (The end-to-end case, a real worker
killed mid-import, is `complaints/tests/test_worker_killed.py`.)"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.tasks import generate_notices
from inspectorate.core.models import SchedulerRun
from inspectorate.reports.models import ExportJob, ExportStatus
from inspectorate.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _once(now: dt.datetime, *jobs: str) -> None:
    args = [a for j in jobs for a in ("--job", j)]
    call_command("run_scheduler", "--once", "--now", now.isoformat(), *args, stdout=io.StringIO(), stderr=io.StringIO())


def _running(started: dt.datetime) -> DBTaskResult:
    result = generate_notices.enqueue("00000000-0000-0000-0000-000000000000")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=started, worker_ids=["gone"])
    return DBTaskResult.objects.get(pk=result.id)


def test_running_tasks_past_the_limit_are_failed_with_the_message(settings):
    settings.TASK_STALE_MINUTES = 60
    now = timezone.now().replace(minute=10, second=0, microsecond=0)  # "+10 minutes" below stays in the same hour
    old, recent = _running(now - dt.timedelta(minutes=61)), _running(now - dt.timedelta(minutes=59))
    done = _running(now - dt.timedelta(hours=5))
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL", finished_at=now)
    _once(now, "fail_stale_tasks")
    old.refresh_from_db(), recent.refresh_from_db(), done.refresh_from_db()
    assert (old.status, recent.status, done.status) == ("FAILED", "RUNNING", "SUCCESSFUL")
    assert old.exception_class_path == "inspectorate.core.stale_tasks.WorkerLost"
    assert "进程" in old.traceback and "worker running this job stopped" in old.traceback
    assert old.task_result.errors[0].traceback == old.traceback  # what the task API shows
    run = SchedulerRun.objects.get(job="fail_stale_tasks")
    assert run.summary == {"failed": 1} and run.target.endswith("h")
    _once(now + dt.timedelta(minutes=10), "fail_stale_tasks")  # same hour: not run again
    assert SchedulerRun.objects.filter(job="fail_stale_tasks").count() == 1
    _once(now + dt.timedelta(hours=1), "fail_stale_tasks")  # the next hour: the other one is stale by then
    recent.refresh_from_db()
    assert recent.status == "FAILED"


def test_exports_left_running_are_failed_and_audited(settings):
    settings.TASK_STALE_MINUTES = 60
    user = UserFactory()
    now = timezone.now()
    stuck = ExportJob.objects.create(user=user, kind="ledger", status=ExportStatus.RUNNING, progress=40, total=100)
    fresh = ExportJob.objects.create(user=user, kind="ledger", status=ExportStatus.RUNNING)
    ExportJob.objects.filter(pk=stuck.pk).update(created_at=now - dt.timedelta(hours=2))
    _once(now, "fail_stale_exports")
    stuck.refresh_from_db(), fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == (ExportStatus.FAILED, ExportStatus.RUNNING)
    assert "worker running this job stopped" in stuck.error and stuck.finished_at == now
    ev = AuditEvent.objects.get(verb="export.worker_lost")
    assert ev.object_id == str(stuck.pk) and ev.after == {"status": "failed", "rows": 40}
