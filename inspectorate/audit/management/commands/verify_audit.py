from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspectorate.audit.chain import verify


class Command(BaseCommand):
    help = "Walk the audit chain and name the first broken link."

    def handle(self, *args: object, **options: object) -> None:
        result = verify()
        if not result.ok:
            raise CommandError(
                _("Audit chain broken at event #%(seq)s: %(problem)s (%(n)s events verified before it)")
                % {"seq": result.broken_seq, "problem": result.problem, "n": result.checked}
            )
        self.stdout.write(_("Audit chain intact: %(n)s events verified.") % {"n": result.checked})
