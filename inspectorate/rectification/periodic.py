"""Scheduled job of rectification (`core.scheduler`): the ledger's deadline warnings and reminder e-mails."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot


@scheduler.daily("ledger_deadlines", at=dt.time(0, 10))
def ledger_deadlines(slot: Slot) -> dict[str, Any]:
    """Warnings for milestones, tasks, plans and reports, each reminder e-mailed once (`rectification_deadlines`)."""
    from .deadlines import run

    return run(slot.day)
