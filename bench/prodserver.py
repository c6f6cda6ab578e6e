"""The production profile on 127.0.0.1 for the load script and the benches: gunicorn on PostgreSQL and Redis.

`production_server()` gives a running server on a free port: gunicorn (`workers` sync workers, DEBUG off,
triage of complaints left to the `task_workers` task workers it starts beside it, as `bin/serve` does,
collected static files, persistent connections) on an EMPTY PostgreSQL database it migrates (the one given, or a
throwaway cluster in a temporary folder: `inspectorate.testing.pgcluster`), with Redis as the shared cache when
it answers on `redis_url` (a key prefix of the run's own), else the local-memory cache. `prepare(env)` runs in
this process on the migrated database before the server starts (the cast, tokens, demo data) and its answer is
handed back. Everything is stopped and the throwaway cluster removed on leaving the block.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent


def server_env(database_url: str, redis_url: str, prefix: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        "INTAKE_TRIAGE": "worker",  # as bin/serve: triage in the task workers
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "INSPECTORATE_FIELD_KEY": Fernet.generate_key().decode(),
        "INSPECTORATE_AUDIT_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",  # plain http on 127.0.0.1: the CSRF cookie must come back
        "SECURE_SSL_REDIRECT": "0",
        "TRUSTED_PROXY_HEADER": "X-Forwarded-For",
        "TRUSTED_PROXY_COUNT": "1",
        "CACHE_KEY_PREFIX": prefix,
        "LOG_LEVEL": "ERROR",
    }
    env.pop("INSPECTORATE_CLOCK_SHIFT_DAYS", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def redis_answering(url: str) -> str:
    """The Redis URL when a server answers there, else "" (the local-memory cache)."""
    m = re.match(r"redis://([^:/]+)(?::(\d+))?", url)
    if not m:
        return ""
    try:
        with socket.create_connection((m.group(1), int(m.group(2) or 6379)), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return url if s.recv(16).startswith(b"+PONG") else ""
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    env: dict[str, str]
    prepared: Any
    database: str  # "throwaway cluster" or the URL given
    cache: str  # "Redis" or "local memory"
    setup_seconds: float


@contextmanager
def production_server(
    *,
    workers: int = 4,
    database_url: str = "",
    redis_url: str = "",
    prefix: str = "bench",
    prepare: Callable[[dict[str, str]], Any] | None = None,
    ready_path: str = "/public/",
    task_workers: int = 0,
) -> Iterator[Server]:
    from inspectorate.testing.pgcluster import Cluster

    started = time.perf_counter()
    cluster = None
    server: subprocess.Popen[str] | None = None
    helpers: list[subprocess.Popen[str]] = []
    redis = redis_answering(redis_url) if redis_url else ""
    try:
        if database_url:
            url = database_url
            env = server_env(url, redis, prefix)
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        else:
            cluster = Cluster.create()
            if cluster is None:
                raise SystemExit("PostgreSQL binaries (initdb, pg_ctl) are absent: give a database URL")
            url = cluster.url("bench")
            env = server_env(url, redis, prefix)
            cluster.migrated("bench", {**env, "DEBUG": "1"}, ROOT)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=900
        )
        prepared = prepare(env) if prepare is not None else None
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "inspectorate.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "120", "--backlog", "256"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        helpers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for _ in range(task_workers)
        ]
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(base + ready_path, timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start: {server.stderr.read()[-3000:] if server.stderr else ''}")
            time.sleep(0.5)
        yield Server(
            base,
            env,
            prepared,
            "throwaway cluster" if cluster else url,
            "Redis" if redis else "local memory",
            time.perf_counter() - started,
        )
    finally:
        for proc in [*helpers, *([server] if server is not None else [])]:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if cluster is not None:
            cluster.destroy()
