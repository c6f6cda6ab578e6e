"""`manage.py restore PATH`: a `manage.py backup` archive into a freshly migrated, empty database
(`core.restore`): hashes checked first, one transaction, files restored, sequences reset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError
from django.utils.translation import gettext as _

from inspectorate.core.restore import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into a freshly migrated, empty database: every hash is checked before anything is "
        "written; refuses a database that already holds data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The archive written by `manage.py backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore(options["path"])
        except RestoreError as exc:
            raise CommandError(str(exc)) from None
        except IntegrityError as exc:
            raise CommandError(
                _("The backup's rows do not fit together (%(error)s); nothing was restored.") % {"error": exc}
            ) from None
        for label, count in sorted(summary.rows.items()):
            if count:
                self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            _("Restored %(rows)s rows in %(tables)s tables and %(files)s files.")
            % {"rows": sum(summary.rows.values()), "tables": sum(1 for n in summary.rows.values() if n), "files": summary.files}
        )
