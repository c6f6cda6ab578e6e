"""Scheduled job of the audit log (`core.scheduler`): the day's anchor of the chain head."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot


@scheduler.daily("audit_anchor", at=dt.time(0, 15))  # after the deadline jobs: it anchors their events
def audit_anchor(slot: Slot) -> dict[str, Any]:
    """Sign and publish the chain head for the day (`manage.py anchor_audit`); a chain that does not verify fails."""
    from .anchors import make_anchor

    anchor, created = make_anchor(slot.day)
    return {"anchor": str(anchor), "created": created}
