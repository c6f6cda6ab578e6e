from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.accounts.models import User
from inspectorate.campaigns.models import Campaign
from inspectorate.core.tabular import TableError
from inspectorate.orgs.selectors import units_for
from inspectorate.rectification.actions import import_allowed
from inspectorate.rectification.ledger import import_ledger


class Command(BaseCommand):
    help = "Import a ledger workbook into a campaign (all-or-nothing; re-import updates tasks by number)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("path", help=".xlsx file (the export / template layout)")
        parser.add_argument("--as", dest="username", required=True, help="the user the import is done as (scope and audit)")

    def handle(self, *args: Any, **opts: Any) -> None:
        campaign = Campaign.objects.get(code=opts["campaign"])
        user = User.objects.get(username=opts["username"])
        import_allowed(user, campaign)
        try:
            report = import_ledger(Path(opts["path"]).read_bytes(), campaign=campaign, actor=user, units=units_for(user))
        except TableError as exc:
            raise CommandError(str(exc)) from None
        if not report.ok:
            for e in report.errors:
                self.stderr.write(f"row {e.row} {e.column}: {e.message}")
            raise CommandError(f"{len(report.errors)} error(s); nothing was saved")
        self.stdout.write(f"created {report.created}, updated {report.updated}")
