"""Compile the .po catalogues to .mo with polib, so set-up needs no GNU gettext on the machine."""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po into .mo (pure Python)."

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        roots += [Path(app.path) / "locale" for app in apps.get_app_configs() if app.name.startswith("inspectorate.")]
        for root in roots:
            for po_path in root.glob("*/LC_MESSAGES/*.po"):
                po = polib.pofile(str(po_path))
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
