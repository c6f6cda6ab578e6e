import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from inspectorate.campaigns.models import Campaign
from inspectorate.reports.consistency import KINDS, find


class Command(BaseCommand):
    help = (
        "List figures and links that contradict themselves: problems linked to a missing case or one of another "
        "campaign or area, untrue verdicts with sanctions and no explanation, published rows likewise, bulletins "
        "whose parts exceed the whole, tasks filed without their sign-off steps. Exits non-zero when any is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", action="append", default=[], help="Campaign code (repeatable); all by default.")
        parser.add_argument("--as-of", default="", help="Date of the bulletins checked (YYYY-MM-DD); today by default.")
        parser.add_argument("--kind", action="append", default=[], choices=KINDS, help="Only these kinds of check.")
        parser.add_argument("--json", action="store_true", help="Write the findings as a JSON list.")
        parser.add_argument("--quiet", action="store_true", help="Write nothing when all is consistent.")

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = None
        if options["campaign"]:
            campaigns = list(Campaign.objects.filter(code__in=options["campaign"]).order_by("code"))
            unknown = sorted(set(options["campaign"]) - {c.code for c in campaigns})
            if unknown:
                raise CommandError(_("Unknown campaign: %(codes)s") % {"codes": ", ".join(unknown)})
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        found = find(campaigns, as_of=as_of)
        if options["kind"]:
            found = [c for c in found if c.kind in options["kind"]]
        if options["json"]:
            self.stdout.write(json.dumps([c.as_dict() for c in found], ensure_ascii=False, indent=2))
        else:
            for c in found:
                self.stdout.write(str(c))
        if found:
            raise CommandError(_("%(n)s contradictions found.") % {"n": len(found)})
        if not options["quiet"] and not options["json"]:
            self.stdout.write(_("No contradictions found."))
