"""The periodic runner behind `manage.py run_scheduler`: deadlines, reminders, the daily intake cut-off and
nightly maintenance run on their own, once per day each, whichever and however many schedulers are running.

Apps declare their jobs in a `periodic.py` module (found by `autodiscover_modules`):

    @scheduler.daily("complaint_deadlines", at=dt.time(0, 10))
    def complaint_deadlines(slot: Slot) -> dict[str, Any]:
        return {"red": 3, ...}        # what changed: stored with the run, shown in the admin

A job whose work is per target (a campaign's cut-off) gives `slots=`: a function from the current time to
the slots that are due. Each due slot is claimed by inserting its unique `SchedulerRun` (job, target, day)
row; the scheduler whose insert fails leaves it alone. A job that raises is logged and recorded as failed
with its traceback, and tried again after `RETRY_AFTER`, at most `MAX_ATTEMPTS` times in all; so is a run left
"running" by a scheduler that was killed, after `ABANDONED_AFTER`.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import SchedulerRun

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_AFTER = dt.timedelta(minutes=10)
# A run still "running" after this long is taken to be abandoned (its scheduler was killed) and is run again.
ABANDONED_AFTER = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Slot:
    day: dt.date  # the local (Asia/Shanghai) day the run is for
    now: dt.datetime
    target: str = ""


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Slot], dict[str, Any]]
    at: dt.time = dt.time(0, 0)  # local time of day from which the day's run is due
    slots: Callable[[dt.datetime], list[Slot]] | None = None

    def due(self, now: dt.datetime) -> list[Slot]:
        if self.slots is not None:
            return self.slots(now)
        local = timezone.localtime(now)
        return [Slot(local.date(), now)] if local.time() >= self.at else []


_jobs: dict[str, Job] = {}
_discovered = False


def register(job: Job) -> Job:
    _jobs[job.name] = job
    return job


def daily(
    name: str, *, at: dt.time = dt.time(0, 0), slots: Callable[[dt.datetime], list[Slot]] | None = None
) -> Callable[[Callable[[Slot], dict[str, Any]]], Callable[[Slot], dict[str, Any]]]:
    """Decorator: register the function as the job `name`, due every day from `at` (local time)."""

    def wrap(fn: Callable[[Slot], dict[str, Any]]) -> Callable[[Slot], dict[str, Any]]:
        register(Job(name, fn, at, slots))
        return fn

    return wrap


def hourly(now: dt.datetime) -> list[Slot]:
    """`slots=` for a job run every hour: one slot per local hour, the target naming the hour ("07h")."""
    local = timezone.localtime(now)
    return [Slot(local.date(), now, target=f"{local.hour:02d}h")]


def jobs() -> dict[str, Job]:
    global _discovered
    if not _discovered:
        autodiscover_modules("periodic")
        _discovered = True
    # By time of day, so that on a late start the day's jobs still run in their order (the anchor last).
    return dict(sorted(_jobs.items(), key=lambda kv: (kv[1].at, kv[0])))


def claim(job: Job, slot: Slot) -> SchedulerRun | None:
    """The run of this slot if this caller won it: a new row, or a failed one due for another attempt."""
    key = {"job": job.name, "target": slot.target, "day": slot.day}
    now = slot.now
    failed = Q(status=SchedulerRun.Status.FAILED, finished_at__lte=now - RETRY_AFTER)
    abandoned = Q(status=SchedulerRun.Status.RUNNING, started_at__lte=now - ABANDONED_AFTER)  # its scheduler died
    retry = SchedulerRun.objects.filter(failed | abandoned, **key, attempts__lt=MAX_ATTEMPTS).update(
        status=SchedulerRun.Status.RUNNING, attempts=F("attempts") + 1, started_at=now, finished_at=None
    )
    if retry:
        return SchedulerRun.objects.get(**key)
    if SchedulerRun.objects.filter(**key).exists():
        return None
    try:
        with transaction.atomic():
            return SchedulerRun.objects.create(**key, status=SchedulerRun.Status.RUNNING, started_at=now)
    except IntegrityError:  # another scheduler inserted it first
        return None


def execute(job: Job, slot: Slot, run: SchedulerRun) -> SchedulerRun:
    try:
        summary = job.run(slot)
    except Exception as exc:  # recorded as failed and logged: the other jobs still run
        log.exception("scheduled job %s %s %s failed", job.name, slot.target, slot.day)
        run.status = SchedulerRun.Status.FAILED
        run.error = "".join(traceback.format_exception(exc))[-8000:]
    else:
        run.status = SchedulerRun.Status.SUCCEEDED
        run.summary = summary or {}
        run.error = ""
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "error", "finished_at"])
    return run


def run_due(now: dt.datetime | None = None, only: list[str] | None = None) -> list[SchedulerRun]:
    """Run every job slot that is due and not yet claimed; the runs this call made, in order."""
    now = now or timezone.now()
    done: list[SchedulerRun] = []
    for name, job in jobs().items():
        if only and name not in only:
            continue
        for slot in job.due(now):
            run = claim(job, slot)
            if run is not None:
                done.append(execute(job, slot, run))
    return done
