"""`manage.py backup PATH`: one archive with the database, every stored file and a manifest of hashes
(`core.backup`); restore it with `manage.py restore PATH`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from inspectorate.core.backup import write_backup


class Command(BaseCommand):
    help = "Write one backup archive (database of every app, every stored file, a manifest with sha256 hashes) to PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The archive to write (a .tar file; replaced if it exists).")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = write_backup(options["path"])
        for name in summary.missing_files:
            self.stderr.write(_("Warning: %(name)s is referenced in the database but absent from storage.") % {"name": name})
        self.stdout.write(
            _("Backup written to %(path)s: %(rows)s rows in %(tables)s tables, %(files)s files.")
            % {
                "path": summary.path,
                "rows": sum(summary.rows.values()),
                "tables": sum(1 for n in summary.rows.values() if n),
                "files": summary.files,
            }
        )
