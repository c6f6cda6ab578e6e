from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inspectorate.campaigns.models import Campaign
from inspectorate.rectification.fakecheck import compute_flags


class Command(BaseCommand):
    help = "Compute fake-rectification flags (idempotent); reviewers decide on them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", help="campaign code (default: all campaigns)")

    def handle(self, *args: Any, **opts: Any) -> None:
        campaign = Campaign.objects.get(code=opts["campaign"]) if opts.get("campaign") else None
        counts = compute_flags(campaign)
        total = sum(counts.values())
        self.stdout.write(f"{total} new flag(s)" + "".join(f"\n  {k}: {v}" for k, v in sorted(counts.items())))
