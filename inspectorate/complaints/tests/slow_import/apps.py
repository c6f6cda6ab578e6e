from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.apps import AppConfig


class SlowImportConfig(AppConfig):
    name = "inspectorate.complaints.tests.slow_import"
    label = "slow_import"

    def ready(self) -> None:
        from inspectorate.complaints.actions import intake

        original = intake.submit_complaint
        marker = Path(os.environ["SLOW_IMPORT_MARKER"])
        pause = float(os.environ.get("SLOW_IMPORT_SECONDS", "1"))
        done = 0

        def slow(**kwargs: Any) -> Any:
            nonlocal done
            complaint = original(**kwargs)
            done += 1
            marker.write_text(str(done))
            time.sleep(pause)
            return complaint

        intake.submit_complaint = slow  # type: ignore[assignment]
