"""Issue 13 point 5: PostgreSQL stopped during requests. A clean 503 (bilingual page, JSON for the API, Open311's
error list) with Retry-After, nothing half-written, and recovery when the database returns.

The test never touches the shared server: it creates its own throwaway cluster (initdb into a temporary folder, a
free port, trust authentication; see `inspectorate.testing.pgcluster`), migrates it (the migrated database is
dumped once per set of migrations into the temporary folder, so later runs restore it in a second), and runs the
app in a gunicorn subprocess against it. Complaints go in through the API with Idempotency-Keys from four
threads; the cluster is stopped with `pg_ctl -m immediate` (as if the server died) in the middle; afterwards the
database holds only whole complaints (each with its key and its audit event), and resending every key creates
each complaint exactly once. Skips where the PostgreSQL binaries are absent (fails under INSPECTORATE_STRICT=1).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from conftest import need
from inspectorate.testing.pgcluster import Cluster, binaries, free_port

ROOT = Path(__file__).resolve().parents[3]
DB = "outage"
SETUP = "from inspectorate.core.tests.outage_setup import main; main()"


def _env(url: str) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url, "DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "CRITICAL"}
    env.pop("INSPECTORATE_CLOCK_SHIFT_DAYS", None)  # the subprocesses run on the wall clock (setup dates the stay by it)
    env.pop("REDIS_URL", None)
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class Server:
    def __init__(self, cluster: Cluster, info: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.info = info
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "inspectorate.wsgi", "--bind", f"127.0.0.1:{self.port}",
                "--workers", "2", "--timeout", "60", "--graceful-timeout", "2",
            ],
            cwd=ROOT, env=_env(cluster.url(DB)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.proc.stderr.read()[-3000:] if self.proc.stderr else ""
            try:
                if requests.get(self.base + "/public/", timeout=30).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        raise AssertionError("gunicorn did not answer within 60 s")

    def complaint(self, n: int, language: str = "zh-hans") -> requests.Response:
        body = {
            "campaign": self.info["campaign"], "channel": "phone", "address": "湖南省岳阳市平江县",
            "text": f"平江县工业园第{n}号化工厂夜间偷排废水，河水发黑发臭，编号 OUTAGE-{n:04d}",
        }  # fmt: skip
        return requests.post(
            self.base + "/api/v1/complaints/", json=body, timeout=30,
            headers={"Authorization": f"Token {self.info['token']}", "Idempotency-Key": f"outage-{n}",
                     "Accept-Language": language},
        )  # fmt: skip

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def outage() -> Iterator[tuple[Cluster, Server]]:
    need(binaries() is not None, "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = Cluster.create()
    assert cluster is not None
    server = None
    try:
        t = time.monotonic()
        cluster.migrated(DB, _env(cluster.url(DB)), ROOT)
        print(f"cluster and migrated database: {time.monotonic() - t:.1f} s")
        line = [x for x in _manage(_env(cluster.url(DB)), "shell", "--no-imports", "-c", SETUP).splitlines() if x.startswith("{")]
        print(f"cast: {time.monotonic() - t:.1f} s")
        server = Server(cluster, json.loads(line[-1]))
        print(f"gunicorn answering: {time.monotonic() - t:.1f} s")
        yield cluster, server
    finally:
        if server is not None:
            server.stop()
        cluster.destroy()


def _rows(cluster: Cluster, query: str) -> list[list[str]]:
    return [line.split("\t") for line in cluster.sql(DB, query).splitlines() if line]


def _check_whole(cluster: Cluster) -> dict[str, str]:
    """Every stored complaint has its Idempotency-Key row and its audit event: {key: complaint id}."""
    keys = dict(_rows(cluster, "select k.key, k.complaint_id from complaints_idempotencykey k where k.key like 'outage-%'"))  # type: ignore[arg-type]
    complaints = {r[0] for r in _rows(cluster, "select id from complaints_complaint where text like '%OUTAGE-%'")}
    audited = [
        r[0]
        for r in _rows(cluster, "select object_id from audit_auditevent where verb = 'complaint.receive'")
        if r[0] in complaints
    ]
    assert set(keys.values()) == complaints, "a complaint without its key, or a key without its complaint"
    assert sorted(audited) == sorted(complaints), "a complaint without exactly one audit event"
    return keys


@pytest.mark.wall_clock
@pytest.mark.slow
def test_postgres_stopped_mid_flight_answers_503_keeps_nothing_half_written_and_recovers(outage):  # type: ignore[no-untyped-def]
    cluster, server = outage
    t0 = time.monotonic()
    first = server.complaint(0)
    assert first.status_code == 201, first.text[:500]
    form_page = requests.Session()
    got = form_page.get(f"{server.base}/public/report/{server.info['campaign']}/", timeout=30)
    assert got.status_code == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', got.text)
    assert csrf is not None

    # Four clients send complaints 1..40; the database dies after the first few answers.
    answers: dict[int, int] = {}
    done = threading.Event()

    def send(n: int) -> None:
        answers[n] = server.complaint(n).status_code
        if len(answers) >= 6:
            done.set()

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(send, n) for n in range(1, 41)]
        assert done.wait(60), "no answers before the stop"
        cluster.stop("immediate")
        for f in futures:
            f.result()
    assert set(answers.values()) <= {201, 503}, answers
    assert list(answers.values()).count(503) >= 10, answers  # everything sent after the stop

    # While it is down: the API (both languages), a page, the public form and Open311 all answer 503 with Retry-After.
    zh, en = server.complaint(41, "zh-hans"), server.complaint(42, "en")
    for r in (zh, en):
        assert r.status_code == 503, r.text[:300]
        assert r.headers["Retry-After"].isdigit()
        assert r.headers["Content-Type"].startswith("application/json")
        assert r.json()["code"] == "database_unavailable"
    assert "temporarily unavailable" in en.json()["detail"]
    assert "数据库" in zh.json()["detail"]
    page = requests.get(server.base + "/public/", timeout=30)
    assert page.status_code == 503 and page.headers["Retry-After"].isdigit()
    assert "服务暂时不可用" in page.text and "temporarily unavailable" in page.text
    posted = form_page.post(
        f"{server.base}/public/report/{server.info['campaign']}/",
        data={"csrfmiddlewaretoken": csrf.group(1), "text": "化工厂夜间偷排废水 OUTAGE-FORM", "address": "岳阳市平江县"},
        headers={"Referer": got.url}, timeout=30,
    )  # fmt: skip
    assert posted.status_code == 503 and "服务暂时不可用" in posted.text, posted.text[:500]
    o311 = requests.get(server.base + "/open311/v2/requests.json", timeout=30)
    assert o311.status_code == 503 and o311.headers["Retry-After"].isdigit()
    assert o311.json()[0]["code"] == 503
    assert server.proc.poll() is None, "the app server died with the database"

    # Back up: only whole complaints are stored, each 201 answer among them.
    cluster.start()
    stored = _check_whole(cluster)
    accepted = {f"outage-{n}" for n, code in answers.items() if code == 201} | {"outage-0"}
    assert accepted <= set(stored), accepted - set(stored)
    assert not any("OUTAGE-FORM" in r[0] for r in _rows(cluster, "select text from complaints_complaint"))

    # Recovery without restarting the app: pages answer again, and resending every key creates each complaint once.
    assert requests.get(server.base + "/public/", timeout=30).status_code == 200
    again = {n: server.complaint(n) for n in range(43)}
    assert {r.status_code for r in again.values()} == {201}, {n: r.status_code for n, r in again.items()}
    assert again[0].json()["id"] == first.json()["id"]
    stored = _check_whole(cluster)
    assert len(stored) == 43
    for n, r in again.items():
        assert stored[f"outage-{n}"] == r.json()["id"]
    assert time.monotonic() - t0 < 120
