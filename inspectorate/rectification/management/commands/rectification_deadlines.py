from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inspectorate.rectification.deadlines import run


class Command(BaseCommand):
    help = "Record ledger deadline warnings (blue/yellow/red) and remind the responsible people once; safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Pretend today is YYYY-MM-DD.")

    def handle(self, *args: Any, **opts: Any) -> None:
        today = dt.date.fromisoformat(opts["today"]) if opts.get("today") else None
        c = run(today)
        self.stdout.write(
            f"new warnings: red {c['red']}, yellow {c['yellow']}, blue {c['blue']}; reminders sent {c['reminders']}"
        )
