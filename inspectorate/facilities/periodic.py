"""Scheduled job of the facilities app (`core.scheduler`): at 10:00 every day, warn for each facility in service
without a running log for the day before; at 08:00, warn for each maintenance plan whose due date has passed
without a record. Claimed once per day by the scheduler; the warnings are unique per facility and day (per plan
and missed due date), so a rerun raises nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot

LOG_DEADLINE = dt.time(10, 0)


@scheduler.daily("facility_log_check", at=LOG_DEADLINE)
def facility_log_check(slot: Slot) -> dict[str, Any]:
    from .actions import check_missing_logs

    return check_missing_logs(slot.day - dt.timedelta(days=1), now=slot.now)


MAINTENANCE_CHECK = dt.time(8, 0)


@scheduler.daily("maintenance_check", at=MAINTENANCE_CHECK)
def maintenance_check(slot: Slot) -> dict[str, Any]:
    from .actions import check_overdue_maintenance

    return check_overdue_maintenance(slot.day, now=slot.now)
