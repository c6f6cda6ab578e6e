"""Deadline warnings for transferred cases: blue (due soon), yellow (due within a day), red (overdue).

Idempotent: each (case, level, due date) warning is created once; running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from inspectorate import audit
from inspectorate.complaints.actions.screening import config_for
from inspectorate.complaints.models import Case, CaseStatus, DeadlineWarning

OPEN = [CaseStatus.TRANSFERRED, CaseStatus.DISPATCHED, CaseStatus.RETURNED]


def run(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"red": 0, "yellow": 0, "blue": 0, "checked": 0}
    existing = set(DeadlineWarning.objects.filter(case__status__in=OPEN).values_list("case_id", "level", "due_date"))
    for case in Case.objects.filter(status__in=OPEN, due_date__isnull=False).select_related("campaign"):
        counts["checked"] += 1
        cfg = config_for(case.campaign)
        level = case.urgency(today, due_soon=cfg.due_soon_days, notice=cfg.notice_days)
        if not level or (case.pk, level, case.due_date) in existing:
            continue
        try:
            with transaction.atomic():
                w = DeadlineWarning.objects.create(case=case, level=level, due_date=case.due_date)  # type: ignore[misc]
                audit.record(
                    "system:run_deadlines", "case.deadline_warning", case, after={"level": level, "due_date": case.due_date}
                )
        except IntegrityError:
            continue
        counts[w.level] += 1
    return counts


class Command(BaseCommand):
    help = (
        "Record deadline warnings (red/yellow/blue) for open cases and for the rectification ledger "
        "(milestones, tasks, plans, reports; reminders e-mailed once); anchors the audit chain for the day; "
        "safe to run repeatedly."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Pretend today is YYYY-MM-DD (for testing and replays).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
        counts = run(today)
        self.stdout.write(
            f"checked {counts['checked']} open cases; new warnings: "
            f"red {counts['red']}, yellow {counts['yellow']}, blue {counts['blue']}"
        )
        from inspectorate.rectification.deadlines import run as run_ledger

        ledger = run_ledger(today)
        self.stdout.write(
            f"rectification ledger: new warnings red {ledger['red']}, yellow {ledger['yellow']}, blue {ledger['blue']}; "
            f"reminders sent {ledger['reminders']}"
        )
        if today is None:
            # The daily audit anchor rides along with the daily run (a replay of another day anchors nothing).
            from inspectorate.audit.anchors import AnchorError, make_anchor

            try:
                anchor, created = make_anchor()
            except AnchorError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"audit anchor {'made' if created else 'already made'}: {anchor}:{anchor.hmac}")
