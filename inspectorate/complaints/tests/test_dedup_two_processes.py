"""Issue 9 point 3: two long-lived processes on one database see each other's complaints as duplicates.

Both workers run `manage.py shell` (`twoproc.serve`) and stay alive between commands, as two gunicorn
workers (or the task worker and a web worker) would: each first answers a check (which, with the old
per-process index, built its in-memory index), then the other stores a complaint, then the first is asked
again.  On SQLite they share a database file; on PostgreSQL the test database (committed data).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[3]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

A = {"text": "长岭精细化工晚上往湖里排污，松阳湖的水都变黑了", "polluter_name": "长岭精细化工", "lat": 29.4601, "lon": 113.2801}
B = {
    "text": "云溪区长岭街道一家化工厂每天半夜偷偷往松阳湖排废水，请督察组尽快查处",
    "polluter_name": "岳阳市云溪区长岭精细化工有限公司",
    "lat": 29.4620,
    "lon": 113.2830,
}
C = {
    "text": "松阳湖边长岭化工厂凌晨排污水，湖水发黑发臭，死鱼一片",
    "polluter_name": "长岭化工厂",
    "lat": 29.4612,
    "lon": 113.2815,
}


SERVE = "from inspectorate.complaints.tests.twoproc import serve; serve()"


class Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", SERVE],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.pid = json.loads(self._line())["ready"]

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        while line and not line.startswith("{"):  # anything else the shell prints
            line = self.proc.stdout.readline()
        if not line:
            assert self.proc.stderr is not None
            raise AssertionError(f"worker ended: {self.proc.stderr.read()[-3000:]}")
        return line

    def ask(self, **cmd: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        out = json.loads(self._line())
        assert "error" not in out, out["error"]
        return out

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def _ids(hits: list[list[Any]]) -> list[str]:
    return [h[0] for h in hits]


def _run(env: dict[str, str], *, setup: bool) -> None:
    env = {**env, "DEBUG": "1", "TWOPROC_NOW": str(timezone.now().timestamp())}
    web = Worker(env)
    task = Worker(env)
    try:
        assert web.pid != task.pid
        if setup:
            web.ask(do="setup")
        assert web.ask(do="check", body=B, day=2)["similar"] == []  # the web process has looked once
        a = task.ask(do="submit", body=A, day=1)  # the task worker imports A
        assert _ids(web.ask(do="check", body=B, day=2)["similar"]) == [a["id"]]
        b = web.ask(do="submit", body=B, day=2)  # the web process takes B: A is its duplicate
        assert _ids(b["similar"]) == [a["id"]]
        c = task.ask(do="submit", body=C, day=3)  # and the task worker sees B, which it never added
        assert set(_ids(c["similar"])) == {a["id"], b["id"]}
    finally:
        web.close()
        task.close()


@pytest.mark.slow
@pytest.mark.skipif(POSTGRES, reason="the SQLite variant (a shared database file); PostgreSQL runs the other")
def test_two_processes_share_one_sqlite_file(migrated_sqlite, tmp_path):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{migrated_sqlite}", "MEDIA_ROOT": str(tmp_path / "media")}
    env.pop("INSPECTORATE_CLOCK_SHIFT_DAYS", None)
    _run(env, setup=True)


@pytest.mark.slow
@pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL variant (the committed test database)")
def test_two_processes_share_the_postgresql_database(live_world, tmp_path):
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "media")}
    env.pop("INSPECTORATE_CLOCK_SHIFT_DAYS", None)
    _run(env, setup=False)
