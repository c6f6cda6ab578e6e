"""Scheduled job of the portal (`core.scheduler`): the daily e-mail alerts, from 08:00 Beijing time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot


@scheduler.daily("portal_alerts", at=dt.time(8, 0))
def portal_alerts(slot: Slot) -> dict[str, Any]:
    from .alerts import send_digests

    return send_digests(now=slot.now)
