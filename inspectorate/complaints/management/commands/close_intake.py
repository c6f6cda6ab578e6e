"""Daily cut-off: close each stationed campaign's registered cases into its next batch (idempotent).

A day's intake is complete once its cut-off (campaign.daily_cutoff, Asia/Shanghai) has passed; complaints
after the cut-off already belong to the next day. Run it from cron shortly after the cut-off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.actions import close_intake_day
from inspectorate.complaints.models import Case, CaseStatus

SH = ZoneInfo("Asia/Shanghai")


def closable_day(campaign: Campaign, now: dt.datetime) -> dt.date:
    local = now.astimezone(SH)
    return local.date() if local.time() >= campaign.daily_cutoff else local.date() - dt.timedelta(days=1)


def run(actor: Any, now: dt.datetime | None = None, codes: list[str] | None = None) -> list[tuple[str, int, int]]:
    now = now or timezone.now()
    out = []
    qs = Campaign.objects.all() if not codes else Campaign.objects.filter(code__in=codes)
    for campaign in qs:
        day = closable_day(campaign, now)
        waiting = Case.objects.filter(campaign=campaign, status=CaseStatus.REGISTERED, batch__isnull=True, intake_day__lte=day)
        n = waiting.count()
        if not n:
            continue
        batch = close_intake_day(campaign, day, actor=actor)
        out.append((campaign.code, batch.number, n))
    return out


class Command(BaseCommand):
    help = "Close the day's registered cases into the next batch for every campaign whose cut-off has passed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", help="Act as this user (default: the first superuser).")
        parser.add_argument("--campaign", action="append", help="Only these campaign codes.")
        parser.add_argument("--now", help="Pretend it is this ISO time (Asia/Shanghai if naive).")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = User.objects.filter(username=options["user"]) if options.get("user") else User.objects.filter(is_superuser=True)
        actor = qs.order_by("pk").first()
        if actor is None:
            raise CommandError("no user to act as (give --user)")
        now = None
        if options.get("now"):
            now = dt.datetime.fromisoformat(options["now"])
            if now.tzinfo is None:
                now = now.replace(tzinfo=SH)
        closed = run(actor, now, options.get("campaign"))
        for code, number, n in closed:
            self.stdout.write(f"{code}: batch {number} closed with {n} cases")
        if not closed:
            self.stdout.write("nothing to close")
