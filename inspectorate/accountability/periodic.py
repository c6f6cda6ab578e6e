"""Scheduled jobs of accountability (`core.scheduler`): interview report warnings, reminder e-mails for interview
reports and information-request items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot


@scheduler.daily("interview_deadlines", at=dt.time(0, 20))
def interview_deadlines(slot: Slot) -> dict[str, Any]:
    """Yellow (report due soon) and red (overdue) warnings for interview reports, each recorded once."""
    from .deadlines import run

    return run(slot.day)


@scheduler.daily("interview_reminders", at=dt.time(8, 0))
def interview_reminders(slot: Slot) -> dict[str, Any]:
    """E-mails to the interviewed units whose report is due soon or overdue (once per recipient and day)."""
    from .reminders import interview_reminders as run

    return run(slot.day)


@scheduler.daily("info_request_reminders", at=dt.time(8, 5))
def info_request_reminders(slot: Slot) -> dict[str, Any]:
    """E-mails to the coordinators and departments owing requested items due within a day or overdue."""
    from .reminders import item_reminders

    return item_reminders(slot.day, slot.now)
