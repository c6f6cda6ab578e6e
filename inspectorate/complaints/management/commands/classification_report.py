"""Print precision and recall of the keyword-dictionary suggestions on the labelled set."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Precision/recall of pollution-type suggestions on the labelled set (complaints/labelled.py)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--misses", action="store_true", help="List the texts whose suggestion differs.")

    def handle(self, *args: Any, **options: Any) -> None:
        from inspectorate.complaints.labelled import evaluate

        score, misses = evaluate()
        self.stdout.write(
            f"items {score.n}: precision {score.precision:.3f} ({score.tp}/{score.tp + score.fp}), "
            f"recall {score.recall:.3f} ({score.tp}/{score.tp + score.fn}), "
            f"sector accuracy {score.sector_accuracy:.3f} ({score.sector_hits}/{score.n})"
        )
        if options["misses"]:
            for text, expected, got in misses:
                self.stdout.write(f"  {text}\n    expected {sorted(expected)} got {sorted(got)}")
