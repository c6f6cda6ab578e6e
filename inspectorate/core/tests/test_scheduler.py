"""The scheduler (`manage.py run_scheduler`): each job once per (target, local day), failures recorded and
retried, the runs readable by superusers in the admin."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from inspectorate.complaints.actions import accept_complaint
from inspectorate.complaints.models import Case, CaseStatus, TransferBatch
from inspectorate.complaints.tests.conftest import at, submit
from inspectorate.core import scheduler
from inspectorate.core.models import SchedulerRun
from inspectorate.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _once(*args: str) -> str:
    out = io.StringIO()
    call_command("run_scheduler", "--once", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_two_runs_on_one_day_run_each_job_once(world):
    case = accept_complaint(submit(world), actor=world.inspector)
    assert case.status == CaseStatus.REGISTERED and case.batch_id is None
    with time_machine.travel(at(3, 21), tick=False):  # after the campaign's 20:00 cut-off
        first = _once()
        second = _once()
    daily = [name for name, job in scheduler.jobs().items() if job.slots is None]
    hourly = [(name, "21h") for name, job in scheduler.jobs().items() if job.slots is scheduler.hourly]
    runs = list(SchedulerRun.objects.all())
    expected = [(n, "") for n in daily] + hourly + [("close_intake", world.campaign.code)]
    assert sorted((r.job, r.target) for r in runs) == sorted(expected)
    assert {r.status for r in runs} == {SchedulerRun.Status.SUCCEEDED}
    assert {r.day for r in runs} == {at(3).date()}
    assert all(r.finished_at is not None for r in runs)
    assert "close_intake" in first and second == ""
    close = next(r for r in runs if r.job == "close_intake")
    assert close.summary["cases"] == 1 and close.summary["intake_day"] == at(3).date().isoformat()
    assert TransferBatch.objects.filter(campaign=world.campaign).count() == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.BATCHED
    deadlines = next(r for r in runs if r.job == "complaint_deadlines")
    assert set(deadlines.summary) >= {"red", "yellow", "blue", "checked"}


def test_before_the_cut_off_nothing_closes(world):
    accept_complaint(submit(world), actor=world.inspector)
    with time_machine.travel(at(3, 15), tick=False):
        _once("--job", "close_intake")
    assert not SchedulerRun.objects.filter(job="close_intake").exists()
    assert not TransferBatch.objects.exists()


def test_the_day_is_the_shanghai_day(world):
    # 00:20 in Shanghai is 16:20 UTC of the day before: the run belongs to the Shanghai day.
    with time_machine.travel(at(5, 0, 20), tick=False):
        assert timezone.now().astimezone(dt.UTC).date() == at(4).date()
        _once("--job", "audit_anchor", "--job", "purge_throttle_hits")
    runs = {r.job: r for r in SchedulerRun.objects.all()}
    assert set(runs) == {"audit_anchor"}  # the maintenance job is due from 02:00 only
    assert runs["audit_anchor"].day == at(5).date()


def test_a_failing_job_is_recorded_logged_and_retried(db, monkeypatch, caplog):
    scheduler.jobs()

    def boom(slot: scheduler.Slot) -> dict[str, int]:
        raise RuntimeError("storage unreachable")

    monkeypatch.setitem(scheduler._jobs, "zz_failing", scheduler.Job("zz_failing", boom))
    with time_machine.travel(at(3, 12), tick=False):
        caplog.set_level(logging.ERROR, logger="inspectorate.core.scheduler")
        with pytest.raises(CommandError, match="zz_failing"):
            _once("--job", "zz_failing")
        run = SchedulerRun.objects.get(job="zz_failing")
        assert run.status == SchedulerRun.Status.FAILED and run.attempts == 1
        assert "RuntimeError: storage unreachable" in run.error
        assert any("zz_failing" in r.getMessage() for r in caplog.records)
        assert scheduler.run_due(only=["zz_failing"]) == []  # not again at once
    monkeypatch.setitem(scheduler._jobs, "zz_failing", scheduler.Job("zz_failing", lambda slot: {"fixed": 1}))
    with time_machine.travel(at(3, 12) + scheduler.RETRY_AFTER + dt.timedelta(minutes=1), tick=False):
        (again,) = scheduler.run_due(only=["zz_failing"])
    assert again.pk == run.pk and again.attempts == 2
    assert again.status == SchedulerRun.Status.SUCCEEDED and again.summary == {"fixed": 1} and again.error == ""


def test_a_claimed_slot_is_not_claimed_again(db):
    job = scheduler.Job("zz_once", lambda slot: {})
    slot = scheduler.Slot(timezone.localdate(), timezone.now())
    assert scheduler.claim(job, slot) is not None
    assert scheduler.claim(job, slot) is None
    assert SchedulerRun.objects.filter(job="zz_once").count() == 1


def test_runs_are_visible_to_superusers_and_read_only(world):
    run = SchedulerRun.objects.create(
        job="complaint_deadlines", day=timezone.localdate(), status="succeeded", started_at=timezone.now(), summary={"red": 3}
    )
    c = Client()
    c.force_login(world.admin)
    listing = c.get("/admin/core/schedulerrun/")
    assert listing.status_code == 200 and "complaint_deadlines" in listing.content.decode()
    page = c.get(f"/admin/core/schedulerrun/{run.pk}/change/")
    assert page.status_code == 200 and "red" in page.content.decode()
    assert c.get("/admin/core/schedulerrun/add/").status_code == 403
    assert c.post(f"/admin/core/schedulerrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SchedulerRun.objects.filter(pk=run.pk).exists()
    staff = Client()
    staff.force_login(UserFactory(username="staff_only", is_staff=True))
    assert staff.get("/admin/core/schedulerrun/").status_code == 403


def test_unknown_job_is_refused(db):
    with pytest.raises(CommandError, match="unknown job"):
        _once("--job", "no_such_job")


def test_nightly_maintenance_removes_what_has_expired(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from inspectorate.accounts.models import LoginFailure
    from inspectorate.audit.models import AuditEvent
    from inspectorate.core.models import ThrottleHit
    from inspectorate.reports.models import ExportJob, ExportStatus

    settings.MEDIA_ROOT = tmp_path
    now = at(3, 12)
    ThrottleHit.objects.create(scope="portal-submit", key_hash="a" * 64, at=now - dt.timedelta(days=2))
    ThrottleHit.objects.create(scope="portal-submit", key_hash="b" * 64, at=now - dt.timedelta(minutes=5))
    LoginFailure.objects.create(username="x", ip="198.51.100.7", at=now - dt.timedelta(days=settings.LOGIN_FAILURE_KEEP_DAYS + 1))
    LoginFailure.objects.create(username="x", ip="198.51.100.7", at=now)
    old, fresh = (
        ExportJob.objects.create(
            user=world.admin, kind="ledger", status=ExportStatus.DONE, finished_at=now - dt.timedelta(days=d)
        )
        for d in (settings.EXPORT_KEEP_DAYS + 1, 1)
    )
    for job in (old, fresh):
        job.file.save(f"ledger-{job.pk}.xlsx", ContentFile(b"x"), save=True)
    old_path = Path(old.file.path)
    with time_machine.travel(now, tick=False):  # noon: the 02:00 jobs are due
        _once("--job", "purge_throttle_hits", "--job", "purge_login_failures", "--job", "purge_export_files")
    runs = {r.job: r.summary for r in SchedulerRun.objects.all()}
    assert runs == {
        "purge_throttle_hits": {"deleted": 1},
        "purge_login_failures": {"deleted": 1},
        "purge_export_files": {"files_removed": 1},
    }
    assert ThrottleHit.objects.count() == 1 and LoginFailure.objects.count() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.file and not old_path.exists() and fresh.file
    assert AuditEvent.objects.filter(verb="export.file_expired", object_id=str(old.pk)).count() == 1


def test_a_run_abandoned_by_a_killed_scheduler_is_run_again(db):
    scheduler.jobs()
    with time_machine.travel(at(3, 12), tick=False):
        slot = scheduler.Slot(timezone.localdate(), timezone.now())
        SchedulerRun.objects.create(job="purge_throttle_hits", day=slot.day, started_at=timezone.now())  # left "running"
        assert scheduler.run_due(only=["purge_throttle_hits"]) == []
    with time_machine.travel(at(3, 12) + scheduler.ABANDONED_AFTER + dt.timedelta(minutes=1), tick=False):
        (run,) = scheduler.run_due(only=["purge_throttle_hits"])
    assert run.status == SchedulerRun.Status.SUCCEEDED and run.attempts == 2 and run.day == at(3).date()
