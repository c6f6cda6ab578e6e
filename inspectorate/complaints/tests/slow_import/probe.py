"""Run as ``manage.py shell -c "from inspectorate.complaints.tests.slow_import.probe import main; main()"`` with
``PROBE`` set: ``setup`` builds the cast and enqueues a background import of the workbook at ``PROBE_FILE``;
``state`` reports the rows of that import and the job's status. One JSON line on stdout."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _setup() -> dict[str, Any]:
    from inspectorate.complaints.tasks import import_calls_task
    from inspectorate.testing.cast import World

    world = World.build()
    data = Path(os.environ["PROBE_FILE"]).read_bytes()
    result = import_calls_task.enqueue(str(world.campaign.pk), int(world.inspector.pk), "slow-calls.xlsx", data.hex())
    return {"task": str(result.id)}


def _state() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from inspectorate.complaints.models import Complaint

    job = DBTaskResult.objects.get(pk=os.environ["PROBE_TASK"])
    return {
        "imported": Complaint.objects.filter(extra__import="slow-calls.xlsx").count(),
        "complaints": Complaint.objects.count(),
        "status": job.status,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "error": job.traceback,
        "exception": job.exception_class_path,
    }


def main() -> None:
    out = {"setup": _setup, "state": _state}[os.environ["PROBE"]]()
    print(json.dumps(out, ensure_ascii=False), flush=True)
    from django.db import connections

    connections.close_all()
