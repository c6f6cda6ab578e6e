"""Scheduled jobs of complaints (`core.scheduler`): the cases' deadline warnings and the daily intake cut-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.core import scheduler
from inspectorate.core.scheduler import Slot


@scheduler.daily("complaint_deadlines", at=dt.time(0, 10))
def complaint_deadlines(slot: Slot) -> dict[str, Any]:
    """Red/yellow/blue warnings for the open cases (`manage.py run_deadlines`)."""
    from .management.commands.run_deadlines import run

    return run(slot.day)


def _cutoff_slots(now: dt.datetime) -> list[Slot]:
    """One slot per campaign whose cut-off has passed with registered cases waiting for a batch: the slot's day
    is the last day whose intake is complete (before today's cut-off, yesterday)."""
    from inspectorate.campaigns.models import Campaign

    from .management.commands.close_intake import closable_day
    from .models import Case, CaseStatus

    waiting = Case.objects.filter(status=CaseStatus.REGISTERED, batch__isnull=True)
    slots = []
    for campaign in Campaign.objects.filter(pk__in=waiting.values("campaign_id")).order_by("code"):
        day = closable_day(campaign, now)
        if waiting.filter(campaign=campaign, intake_day__lte=day).exists():
            slots.append(Slot(day, now, target=campaign.code))
    return slots


def _close_intake(slot: Slot) -> dict[str, Any]:
    """Close the campaign's registered cases up to the slot's day into its next batch, as the first superuser
    (as `manage.py close_intake` does)."""
    from inspectorate.accounts.models import User
    from inspectorate.campaigns.models import Campaign

    from .actions import close_intake_day

    actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if actor is None:
        raise RuntimeError("close_intake: no active superuser to act as")
    batch = close_intake_day(Campaign.objects.get(code=slot.target), slot.day, actor=actor)
    return {"campaign": slot.target, "intake_day": slot.day.isoformat(), "batch": batch.number, "cases": batch.cases.count()}


scheduler.register(scheduler.Job("close_intake", _close_intake, slots=_cutoff_slots))
