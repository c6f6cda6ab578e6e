"""Nightly maintenance of accounts (`core.scheduler`): failed logins long past every lock-out window (they hold
client addresses, which are kept no longer than needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot

from .models import LoginFailure


@scheduler.daily("purge_login_failures", at=dt.time(2, 0))
def purge_login_failures(slot: Slot) -> dict[str, Any]:
    keep = dt.timedelta(days=settings.LOGIN_FAILURE_KEEP_DAYS)
    deleted, _by_model = LoginFailure.objects.filter(at__lt=slot.now - keep).delete()
    return {"deleted": deleted}
