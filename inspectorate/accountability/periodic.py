"""Scheduled job of accountability (`core.scheduler`): interview report warnings."""

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
