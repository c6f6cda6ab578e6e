"""Write the duplicate-check keys (`DedupKey`) of complaints that have none, e.g. after a bulk load."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.dedup_store import backfill


class Command(BaseCommand):
    help = "Write the duplicate-check keys of complaints stored without them (all campaigns, or --campaign CODE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", default="", help="only this campaign (its code)")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.get(code=options["campaign"]) if options["campaign"] else None
        done = backfill(campaign)
        self.stdout.write(f"keys written for {done} complaint(s)")
