"""The periodic runner: `manage.py run_scheduler` looks every SCHEDULER_INTERVAL_SECONDS for due jobs
(`core.scheduler`) and runs each once per day; `--once` looks once and exits (tests, cron)."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from inspectorate.core import scheduler
from inspectorate.core.models import SchedulerRun

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs when due (deadline warnings and reminders, the audit anchor, the daily intake "
        "cut-off, nightly maintenance), each once per day however many schedulers run; every run is recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due now and exit (non-zero if a job failed).")
        parser.add_argument("--interval", type=int, help="Seconds between looks (default SCHEDULER_INTERVAL_SECONDS).")
        parser.add_argument("--job", action="append", help="Only these jobs (repeatable).")
        parser.add_argument("--list", action="store_true", help="List the registered jobs and exit.")
        parser.add_argument("--now", help="With --once: pretend it is this ISO time (Asia/Shanghai if naive), for replays.")

    def handle(self, *args: Any, **options: Any) -> None:
        known = scheduler.jobs()
        if options["list"]:
            for name, job in known.items():
                self.stdout.write(f"{name}: {'per target' if job.slots else 'daily from ' + job.at.strftime('%H:%M')}")
            return
        unknown = sorted(set(options.get("job") or []) - set(known))
        if unknown:
            raise CommandError(f"unknown job(s): {', '.join(unknown)} (see --list)")
        now = None
        if options.get("now"):
            if not options["once"]:
                raise CommandError("--now needs --once")
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(f"--now: not an ISO date-time: {options['now']!r}") from None
            if now.tzinfo is None:
                now = timezone.make_aware(now)
        if options["once"]:
            failed = self._tick(options.get("job"), now)
            if failed:
                raise CommandError(f"failed: {', '.join(failed)}")
            return
        interval = options.get("interval") or settings.SCHEDULER_INTERVAL_SECONDS
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_a: stop.set())
        self.stdout.write(f"scheduler: {len(known)} jobs, looking every {interval} s (Ctrl-C stops)")
        while not stop.is_set():
            close_old_connections()
            try:
                self._tick(options.get("job"))
            except DatabaseError:  # the database is away: logged, and the next look tries again
                log.exception("scheduler: the database is unavailable; trying again in %s s", interval)
            stop.wait(interval)

    def _tick(self, only: list[str] | None, now: dt.datetime | None = None) -> list[str]:
        failed = []
        for run in scheduler.run_due(now, only=only):
            label = f"{run.job}{' ' + run.target if run.target else ''} {run.day.isoformat()}"
            if run.status == SchedulerRun.Status.FAILED:
                failed.append(label)
                self.stderr.write(f"{label}: failed: {run.error.strip().splitlines()[-1] if run.error else ''}")
            else:
                self.stdout.write(f"{label}: {run.summary}")
        return failed
