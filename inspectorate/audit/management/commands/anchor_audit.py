import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspectorate.audit.anchors import AnchorError, make_anchor


class Command(BaseCommand):
    help = (
        "Anchor today's audit chain head: sign date|sequence|hash with INSPECTORATE_AUDIT_KEY and publish it "
        "(public anchors page, exported files). Safe to run repeatedly: one anchor per day."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Pretend today is YYYY-MM-DD (for testing and replays).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = dt.date.fromisoformat(options["today"]) if options.get("today") else None
        try:
            anchor, created = make_anchor(day)
        except AnchorError as exc:
            raise CommandError(str(exc)) from None
        msg = _("Anchored %(anchor)s") if created else _("Already anchored today: %(anchor)s")
        self.stdout.write(msg % {"anchor": f"{anchor}:{anchor.hmac}"})
