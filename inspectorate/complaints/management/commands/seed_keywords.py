"""Add the default classification keywords that are missing (idempotent; never changes edited entries)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Add missing default classification keywords (bilingual dictionary)."

    def handle(self, *args: Any, **options: Any) -> None:
        from inspectorate.complaints.keywords import seed
        from inspectorate.complaints.models import KeywordRule

        self.stdout.write(f"added {seed(KeywordRule)} keywords")
