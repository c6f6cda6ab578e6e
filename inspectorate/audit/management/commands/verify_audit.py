from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspectorate.audit.anchors import Anchor, AnchorError, read_anchors_file, verify_anchored


class Command(BaseCommand):
    help = (
        "Walk the audit chain and name the first broken link; check every stored daily anchor (the event it names "
        "still has its hash, its HMAC verifies with INSPECTORATE_AUDIT_KEY) and any anchors published earlier."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="DATE:SEQ:HASH[:HMAC]",
            help="An anchor you kept (from the public anchors page or an exported file); may be repeated.",
        )
        parser.add_argument(
            "--anchors-file",
            action="append",
            default=[],
            type=Path,
            help="The anchors CSV downloaded earlier from the public anchors page (or DATE:SEQ:HASH lines).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            external = [Anchor.parse(a) for a in options["anchor"]]
            for path in options["anchors_file"]:
                external += read_anchors_file(path)
        except AnchorError as exc:
            raise CommandError(str(exc)) from None
        result = verify_anchored(external)
        if not result.ok:
            raise CommandError(
                _("Audit chain broken at event #%(seq)s: %(problem)s (%(n)s events verified before it)")
                % {"seq": result.broken_seq, "problem": result.problem, "n": result.checked}
            )
        self.stdout.write(_("Audit chain intact: %(n)s events verified.") % {"n": result.checked})
        if external:
            self.stdout.write(_("%(n)s published anchors match.") % {"n": len(external)})
