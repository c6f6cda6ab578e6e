"""Triage the complaints still waiting for it (`actions.triage`): after a task-worker outage, or to drain the queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.actions.triage import pending, triage_pending


class Command(BaseCommand):
    help = (
        "Classify, route and check for duplicates every complaint not triaged yet, oldest first "
        "(all campaigns, or --campaign CODE). Safe beside running task workers: each complaint is triaged once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", default="", help="only this campaign (its code)")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.get(code=options["campaign"]) if options["campaign"] else None
        done = triage_pending(campaign)
        self.stdout.write(f"triaged {done} complaint(s); {pending(campaign).count()} still waiting")
