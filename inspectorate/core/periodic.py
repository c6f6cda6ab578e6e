"""Maintenance of core (`core.scheduler`): counted attempts that have left every throttle window (nightly);
background jobs whose worker died, marked failed (hourly, `stale_tasks`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import scheduler, stale_tasks
from .models import ThrottleHit
from .scheduler import Slot

# Longer than any `throttle.Limit` window in use (the longest is an hour).
THROTTLE_KEEP = dt.timedelta(days=1)


@scheduler.daily("purge_throttle_hits", at=dt.time(2, 0))
def purge_throttle_hits(slot: Slot) -> dict[str, Any]:
    deleted, _by_model = ThrottleHit.objects.filter(at__lt=slot.now - THROTTLE_KEEP).delete()
    return {"deleted": deleted}


def _fail_stale_tasks(slot: Slot) -> dict[str, Any]:
    return {"failed": stale_tasks.fail_stale_tasks(slot.now)}


scheduler.register(scheduler.Job("fail_stale_tasks", _fail_stale_tasks, slots=scheduler.hourly))
