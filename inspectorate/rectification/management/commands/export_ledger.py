from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from inspectorate.campaigns.models import Campaign
from inspectorate.rectification.ledger import write_ledger
from inspectorate.rectification.models import Task


class Command(BaseCommand):
    help = "Export a campaign's ledger to an .xlsx workbook (sheets: tasks, measures, audit; Chinese 台账 layout by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("path", help="output .xlsx file")
        parser.add_argument(
            "--language", default="zh-hans", choices=["zh-hans", "en"], help="headers and labels (default zh-hans)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        campaign = Campaign.objects.get(code=opts["campaign"])
        with open(opts["path"], "wb") as fh, translation.override(opts["language"]):
            n = write_ledger(Task.objects.filter(campaign=campaign), fh)
        self.stdout.write(f"{n} task(s) written to {opts['path']}")
