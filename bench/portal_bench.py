"""The public results pages under 20 concurrent clients on the production profile (issue 13's read target).

`python -m bench --only portal` runs this module in a child process (Django is set up once per process, and the
rest of the bench uses its own SQLite file). The child starts the production profile (`bench.prodserver`: gunicorn
with 4 workers on a throwaway PostgreSQL cluster, Redis as the shared cache when it answers), loads the demo
scenario into it (published handling tables, notices, plans), and then, one after another, sends `clients`
concurrent clients (threads with keep-alive sessions, anonymous, Chinese) for `seconds` each at:

* a static file served through the same WSGI stack (WhiteNoise): the baseline of this machine, server and client;
* the public results list `/public/results/`;
* one published handling table `/public/results/<id>/`;
* the portal's front page `/public/`.

It prints requests per second, p50 and p95 latency and the ratio to the baseline; the target is ≥ 200 requests/s
on the results pages.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_RPS = 200.0


def _prepare(env: dict[str, str]) -> dict[str, str]:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from inspectorate.complaints.selectors import published_tables

    call_command("load_demo", verbosity=0, stdout=io.StringIO())  # its list of demo logins is not for the bench
    table = published_tables().order_by("-published_at").first()
    if table is None:
        raise SystemExit("the demo scenario has no published handling table")
    return {"table": f"/public/results/{table.pk}/"}


def hammer(url: str, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` threads GET `url` for `seconds`: requests/s, p50/p95 ms, errors."""
    import requests

    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    times: list[float] = []
    errors = [0]

    def client() -> None:
        s = requests.Session()
        s.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                ok = s.get(url, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - t)
            bad += not ok
        with lock:
            times.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(times, n=100) if len(times) >= 2 else [0.0] * 99
    return {"rps": len(times) / wall, "p50": q[49] * 1000, "p95": q[94] * 1000, "n": len(times), "errors": errors[0]}


def measure(clients: int, seconds: float, workers: int) -> dict[str, Any]:
    from bench.prodserver import production_server

    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    with production_server(workers=workers, redis_url=redis, prefix=f"portal-{os.getpid()}", prepare=_prepare) as srv:
        pages = {
            "static file (baseline)": "/static/css/app.css",
            "results list /public/results/": "/public/results/",
            "one handling table": srv.prepared["table"],
            "portal front page /public/": "/public/",
        }
        out: dict[str, Any] = {"server": f"gunicorn {workers} workers, PostgreSQL {srv.database}, cache {srv.cache}"}
        for name, path in pages.items():
            hammer(srv.base + path, clients, 1.0)  # warm-up: every worker renders it once
            out[name] = hammer(srv.base + path, clients, seconds)
        return out


def run(report: Any, *, clients: int = 20, seconds: float = 8.0, workers: int = 4) -> None:
    """In the bench process: run `measure` in a child process and print its figures."""
    report.section(f"Public results pages, {clients} concurrent clients, production profile (gunicorn {workers} workers)")
    out = Path(tempfile.gettempdir()) / f"portal-{os.getpid()}.json"
    cmd = [sys.executable, "-m", "bench.portal_bench", "--clients", str(clients), "--seconds", str(seconds)]
    done = subprocess.run([*cmd, "--workers", str(workers), "--out", str(out)], cwd=ROOT, check=False)
    if done.returncode != 0 or not out.exists():
        report.figure("public results pages, requests/s", f"not measured: the child failed ({done.returncode})")
        return
    res = json.loads(out.read_text())
    out.unlink()
    report.note(res.pop("server"))
    base = res["static file (baseline)"]["rps"]
    for name, r in res.items():
        text = f"{r['rps']:.0f}/s (p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms; {r['errors']} errors of {r['n']})"
        if name.startswith("static"):
            report.figure(f"{name}, requests/s", text)
        elif "results" in name or "table" in name:
            report.figure(f"{name}, requests/s", text, f"≥ {TARGET_RPS:.0f}/s", r["rps"] >= TARGET_RPS and not r["errors"])
            report.note(f"   {name}: {r['rps'] / base:.2f}× the static-file baseline of the same run")
        else:
            report.figure(f"{name}, requests/s", f"{text}; {r['rps'] / base:.2f}× the baseline")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.portal_bench")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    Path(args.out).write_text(json.dumps(measure(args.clients, args.seconds, args.workers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
