"""Issue 13 point 5: a task worker killed in the middle of an import leaves nothing of it, and the job does not
stay "running": the hourly `fail_stale_tasks` run marks it failed with its message.

A real `manage.py db_worker` process runs the background import of a 12-row workbook, slowed by the test-only
settings of `slow_import` (a pause after every row, a marker file counting the rows done). Once three rows are
in (inside the import's transaction), the worker gets SIGKILL. On SQLite the processes share a database file;
on PostgreSQL the test database (committed data).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[3]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
PROBE = "from inspectorate.complaints.tests.slow_import.probe import main; main()"
ROWS = 12


def _wall_clock_stay_day_3() -> dt.date:
    """Day 3 of the cast's stay on the wall clock: the subprocesses (probe, worker) run unshifted even when this
    session's clock is moved ahead (INSPECTORATE_CLOCK_SHIFT_DAYS), so the workbook must be dated by their clock."""
    import time_machine

    hatch = time_machine.escape_hatch
    wall = hatch.time.time() if hatch.is_travelling() else time.time()
    today = dt.datetime.fromtimestamp(wall, tz=dt.timezone(dt.timedelta(hours=8))).date()
    anchor = today - dt.timedelta(days=9)
    return anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(days=3)  # as `stay_day(3)`


def _workbook(path: Path) -> None:
    day = _wall_clock_stay_day_3()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["received_at", "text", "address", "reporter_name", "reporter_phone"])
    for i in range(ROWS):
        ws.append([f"{day:%Y-%m-%d} 09:{i:02d}", f"平江县第{i}家化工厂夜间偷排废水", "岳阳市平江县", "张三", "13900000001"])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def _manage(env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _probe(env: dict[str, str], what: str, **extra: str) -> dict[str, Any]:
    done = _manage({**env, "PROBE": what, **extra}, "shell", "--no-imports", "-c", PROBE)
    assert done.returncode == 0, done.stderr[-3000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def _run(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "DEBUG": "1"}
    env.pop("INSPECTORATE_CLOCK_SHIFT_DAYS", None)  # the subprocesses share the wall clock; `--now` below is theirs
    _workbook(tmp_path / "calls.xlsx")
    task = _probe(env, "setup", PROBE_FILE=str(tmp_path / "calls.xlsx"))["task"]
    marker = tmp_path / "rows-done"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={
            **env, "DJANGO_SETTINGS_MODULE": "inspectorate.complaints.tests.slow_import.settings",
            "SLOW_IMPORT_MARKER": str(marker), "SLOW_IMPORT_SECONDS": "1",
        },
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not (marker.exists() and marker.read_text() and int(marker.read_text()) >= 3):
            if worker.poll() is not None:
                raise AssertionError(f"the worker ended early: {worker.stderr.read()[-3000:] if worker.stderr else ''}")
            assert time.monotonic() < deadline, "the worker never started the import"
            time.sleep(0.1)
        assert int(marker.read_text()) < ROWS  # in the middle of it
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        if worker.stderr:
            worker.stderr.close()

    state = _probe(env, "state", PROBE_TASK=task)
    assert state["imported"] == 0 and state["complaints"] == 0  # nothing half-applied
    assert state["status"] == "RUNNING"  # as the killed worker left it

    # Within the hour it is still taken as running; once TASK_STALE_MINUTES have passed, the hourly run fails it.
    started = dt.datetime.fromisoformat(state["started_at"])
    soon = _manage(
        env, "run_scheduler", "--once", "--job", "fail_stale_tasks", "--now", (started + dt.timedelta(minutes=5)).isoformat()
    )
    assert soon.returncode == 0, soon.stderr[-3000:]
    assert _probe(env, "state", PROBE_TASK=task)["status"] == "RUNNING"
    later = (started + dt.timedelta(hours=2)).isoformat()
    swept = _manage(env, "run_scheduler", "--once", "--job", "fail_stale_tasks", "--now", later)
    assert swept.returncode == 0, swept.stderr[-3000:]
    state = _probe(env, "state", PROBE_TASK=task)
    assert state["status"] == "FAILED" and state["exception"] == "inspectorate.core.stale_tasks.WorkerLost"
    assert "The worker running this job stopped" in state["error"] and "执行此任务的进程" in state["error"]
    assert state["imported"] == 0


@pytest.mark.wall_clock
@pytest.mark.slow
@pytest.mark.skipif(POSTGRES, reason="the SQLite variant (a shared database file); PostgreSQL runs the other")
def test_a_killed_worker_leaves_no_rows_and_its_job_is_failed_sqlite(migrated_sqlite, tmp_path):
    db = migrated_sqlite
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db}", "MEDIA_ROOT": str(tmp_path / "media")}
    _run(env, tmp_path)


@pytest.mark.wall_clock
@pytest.mark.slow
@pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL variant (the committed test database)")
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_no_rows_and_its_job_is_failed_postgresql(tmp_path):
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "media")}
    connection.close()  # the test process holds no session while the others work
    _run(env, tmp_path)
