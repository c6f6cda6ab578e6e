"""`make load`: several thousand complaints at once through the public form, the API and Open311, nothing lost.

    python -m bench.load                         # 1,000 per channel, 24 clients, 4 gunicorn workers
    python -m bench.load --per-channel 300 --clients 12
    python -m bench.load --database-url postgres://postgres@127.0.0.1:5432/loadrun   # an EMPTY database of yours

The production profile on 127.0.0.1 only: gunicorn (4 sync workers, DEBUG off, collected static files, persistent
connections) on PostgreSQL, with Redis as the shared cache when it answers on REDIS_URL (default
redis://127.0.0.1:6379/0; a key prefix of its own). By default the database is a throwaway PostgreSQL cluster in a
temporary folder (inspectorate.testing.pgcluster), so no development data is touched.

The public form is limited per client address (20 an hour): each submission comes from its own address through
the trusted proxy header (X-Forwarded-For, as behind the production reverse proxy). A tenth of the API and Open311
requests are resent with the same Idempotency-Key (half at once, racing the first, half after its answer); a
request that fails (5xx, connection error) is resent with the same key until it succeeds. Every complaint carries a
marker; at the end the database is read: sent, stored, lost (acknowledged but not stored), duplicates (a marker
stored twice), and p50/p95 latency and throughput per channel; then the run waits for the task worker(s) to triage
every complaint (classify, route, duplicate check: INTAKE_TRIAGE=worker, as `bin/serve`) and prints how long after
the last request that was done.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

CHANNELS = ("form", "api", "open311")
MARK = re.compile(r"LOAD-([0-9a-f]{8})-(form|api|open311)-(\d+)")


@dataclass
class Job:
    channel: str
    n: int
    text: str
    lat: float | None
    lon: float | None
    key: str = ""
    resend: str = ""  # "", "race" or "after"


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    acknowledged: dict[str, set[int]] = field(default_factory=lambda: collections.defaultdict(set))
    failed: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    resent: collections.Counter[str] = field(default_factory=collections.Counter)
    retried: collections.Counter[str] = field(default_factory=collections.Counter)
    answers: dict[tuple[str, int], set[str]] = field(default_factory=lambda: collections.defaultdict(set))
    lock: threading.Lock = field(default_factory=threading.Lock)


def _setup(env: dict[str, str]) -> dict[str, str]:
    """In this process, on the run's database: the cast, its campaign open today, an API token, an Open311 key."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone

    from inspectorate.accounts.models import ApiToken, hash_token
    from inspectorate.open311 import actions as o311
    from inspectorate.testing.cast import World

    world = World.build()
    today = timezone.localdate()
    campaign = world.campaign
    campaign.stationing_start = today - dt.timedelta(days=5)
    campaign.stationing_end = today + dt.timedelta(days=5)
    campaign.pre_notice_date = campaign.mobilisation_date = None
    campaign.save()
    token = ApiToken.new_key()
    ApiToken.objects.create(user=world.inspector, name="load", prefix=token[:12], key_hash=hash_token(token))
    _key, plain = o311.create_key(name="load", contact="bench", campaigns=[campaign], actor=world.admin, rate_limit=10_000)
    return {"token": token, "open311": plain, "campaign": campaign.code}


class Runner:
    def __init__(self, base: str, info: dict[str, str], run: str, tally: Tally) -> None:
        self.base, self.info, self.run, self.tally = base, info, run, tally
        self.local = threading.local()

    def _session(self) -> requests.Session:
        s = getattr(self.local, "session", None)
        if s is None:
            s = requests.Session()
            got = s.get(f"{self.base}/public/report/{self.info['campaign']}/", timeout=120)
            got.raise_for_status()
            m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', got.text)
            assert m, "no CSRF token on the form"
            self.local.session, self.local.csrf, self.local.referer = s, m.group(1), got.url
        return s

    def _send(self, job: Job) -> tuple[bool, str]:
        """One try: (acknowledged, what came back)."""
        s = self._session()
        if job.channel == "form":
            addr = f"10.{(job.n >> 16) & 255}.{(job.n >> 8) & 255}.{job.n & 255}"
            data: dict[str, Any] = {"csrfmiddlewaretoken": self.local.csrf, "text": job.text, "address": "湖南省岳阳市平江县"}
            if job.lat is not None:
                data |= {"lat": f"{job.lat:.6f}", "lon": f"{job.lon:.6f}"}
            r = s.post(
                f"{self.base}/public/report/{self.info['campaign']}/", data=data, allow_redirects=False, timeout=120,
                headers={"Referer": self.local.referer, "X-Forwarded-For": addr},
            )  # fmt: skip
            return r.status_code == 302 and "/receipt/" in r.headers.get("Location", ""), f"{r.status_code}"
        if job.channel == "api":
            body = {"campaign": self.info["campaign"], "channel": "phone", "text": job.text, "address": "湖南省岳阳市平江县"}
            if job.lat is not None:
                body |= {"lat": job.lat, "lon": job.lon}
            r = s.post(
                f"{self.base}/api/v1/complaints/", json=body, timeout=120,
                headers={"Authorization": f"Token {self.info['token']}", "Idempotency-Key": job.key},
            )  # fmt: skip
            return r.status_code == 201, (r.json().get("id", "") if r.status_code == 201 else f"{r.status_code}")
        form = {
            "api_key": self.info["open311"], "jurisdiction_id": self.info["campaign"], "service_code": "water",
            "description": job.text, "address_string": "湖南省岳阳市平江县",
        }  # fmt: skip
        if job.lat is not None:
            form |= {"lat": f"{job.lat:.6f}", "long": f"{job.lon:.6f}"}
        r = s.post(f"{self.base}/open311/v2/requests.json", data=form, timeout=120, headers={"Idempotency-Key": job.key})
        ok = r.status_code == 200
        return ok, (r.json()[0]["service_request_id"] if ok else f"{r.status_code}")

    def do(self, job: Job) -> None:
        """Send until acknowledged: a keyed request is resent with its key; a form post only on a connection
        failure before any answer (the form has no key: a resend after an answer could file it twice)."""
        for attempt in range(6):
            t0 = time.perf_counter()
            try:
                ok, what = self._send(job)
            except requests.RequestException as exc:
                ok, what = False, type(exc).__name__
            spent = time.perf_counter() - t0
            with self.tally.lock:
                self.tally.latencies[job.channel].append(spent)
                if ok:
                    self.tally.acknowledged[job.channel].add(job.n)
                    if job.channel != "form":
                        self.tally.answers[(job.channel, job.n)].add(what)
                else:
                    self.tally.failed[job.channel].append(what)
                if attempt:
                    self.tally.retried[job.channel] += 1
            if ok or (job.channel == "form" and not what.endswith("Error")):
                return
            time.sleep(0.5 * (attempt + 1))


def _jobs(per_channel: int, run: str, resend_share: float, seed: int) -> list[Job]:
    from bench.generator import generate

    rnd = random.Random(seed)
    texts = generate(3 * per_channel, seed=seed).complaints
    jobs: list[Job] = []
    k = 0
    for channel in CHANNELS:
        for n in range(per_channel):
            c = texts[k]
            k += 1
            job = Job(channel, n, f"{c.text}（编号 LOAD-{run}-{channel}-{n}）", c.lat, c.lon)
            if channel != "form":
                job.key = f"load-{run}-{channel}-{n}"
                if rnd.random() < resend_share:
                    job.resend = rnd.choice(["race", "after"])
            jobs.append(job)
    rnd.shuffle(jobs)
    return jobs


def _stored(run: str) -> collections.Counter[tuple[str, int]]:
    from inspectorate.complaints.models import Complaint

    found: collections.Counter[tuple[str, int]] = collections.Counter()
    for text in Complaint.objects.filter(text__contains=f"LOAD-{run}-").values_list("text", flat=True).iterator():
        m = MARK.search(text)
        if m and m.group(1) == run:
            found[(m.group(2), int(m.group(3)))] += 1
    return found


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) >= 2 else (values[0] if values else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--per-channel", type=int, default=1000, help="complaints per channel (default 1000)")
    parser.add_argument("--clients", type=int, default=24, help="concurrent clients (default 24)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--resend-share", type=float, default=0.1, help="share of keyed requests sent twice (default 0.1)")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--task-workers", type=int, default=1, help="task workers triaging what arrives (default 1)")
    parser.add_argument("--seed", type=int, default=4242)
    args = parser.parse_args(argv)
    if args.per_channel > 20_000 or args.clients > 64:
        parser.error("bounded: at most 20000 per channel and 64 clients")

    from bench.prodserver import production_server

    run = uuid.uuid4().hex[:8]
    with production_server(
        workers=args.workers, database_url=args.database_url, redis_url=args.redis_url, prefix=f"load-{run}",
        prepare=_setup, task_workers=args.task_workers,
    ) as srv:  # fmt: skip
        base, info = srv.base, srv.prepared
        print(
            f"inspectorate load · run {run} · {time.strftime('%Y-%m-%d %H:%M:%S')} · {os.cpu_count()} CPU · load average"
            f" {os.getloadavg()[0]:.1f} · gunicorn {args.workers} workers on {base} · PostgreSQL {srv.database}"
            f" · cache {srv.cache} · set-up {srv.setup_seconds:.0f} s",
            flush=True,
        )
        tally = Tally()
        runner = Runner(base, info, run, tally)
        jobs = _jobs(args.per_channel, run, args.resend_share, args.seed)
        # Warm-up, not counted: every worker loads the classifier's dictionary and builds the dedup index once.
        warm = Runner(base, info, "warmup00", Tally())
        with ThreadPoolExecutor(args.workers) as pool:
            list(pool.map(warm.do, _jobs(3 * args.workers, "warmup00", 0.0, args.seed + 1)))

        def one(job: Job) -> None:
            runner.do(job)
            if job.resend == "after":
                with tally.lock:
                    tally.resent[job.channel] += 1
                runner.do(job)

        work: list[tuple[Job, bool]] = []
        for job in jobs:
            work.append((job, False))
            if job.resend == "race":
                work.append((job, True))

        def step(item: tuple[Job, bool]) -> None:
            job, second = item
            if second:
                with tally.lock:
                    tally.resent[job.channel] += 1
                runner.do(job)
            else:
                one(job)

        t0 = time.perf_counter()
        done = 0
        with ThreadPoolExecutor(args.clients) as pool:
            for _ in pool.map(step, work):
                done += 1
                if done % 500 == 0:
                    print(f"   … {done}/{len(work)} requests, {time.perf_counter() - t0:.0f} s", flush=True)
        wall = time.perf_counter() - t0
        stored = _stored(run)
        status = _report(args, jobs, tally, stored, wall)
        return status or _await_triage(args, t0 + wall)


def _await_triage(args: Any, last_request: float, limit: float = 900.0) -> int:
    """Wait for the task workers to triage everything received (classify, route, duplicate check); print when."""
    from inspectorate.complaints.actions.triage import pending

    waiting = pending().count()
    while waiting and time.perf_counter() - last_request < limit:
        time.sleep(0.5)
        waiting = pending().count()
    lag = time.perf_counter() - last_request
    if waiting:
        print(f"   !! triage: {waiting:,} complaints still waiting {lag:.0f} s after the last request")
        return 1
    print(f"   triage: every complaint classified, routed and checked for duplicates by {args.task_workers} task"
          f" worker(s), {lag:.0f} s after the last request")  # fmt: skip
    return 0


def _report(args: Any, jobs: list[Job], tally: Tally, stored: collections.Counter[tuple[str, int]], wall: float) -> int:
    print(
        f"\n== Load: {len(jobs):,} complaints in {wall:.0f} s with {args.clients} clients; load average {os.getloadavg()[0]:.1f}"
    )
    head = f"   {'channel':<8} {'sent':>6} {'resent':>6} {'retries':>7} {'acked':>6} {'stored':>6} {'lost':>5} {'dupl.':>5}"
    print(head + f" {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'stored/s':>8}")
    bad = 0
    for channel in CHANNELS:
        mine = [j for j in jobs if j.channel == channel]
        acked = tally.acknowledged[channel]
        kept = {n for (c, n) in stored if c == channel}
        lost = len(acked - kept)
        dupl = sum(v - 1 for (c, _n), v in stored.items() if c == channel and v > 1)
        split = sum(1 for (c, _n), ids in tally.answers.items() if c == channel and len(ids) > 1)
        unacked = len(mine) - len(acked)
        bad += lost + dupl + split + unacked
        lat = tally.latencies[channel]
        print(
            f"   {channel:<8} {len(mine):>6} {tally.resent[channel]:>6} {tally.retried[channel]:>7} {len(acked):>6}"
            f" {len(kept):>6} {lost:>5} {dupl:>5} {1000 * _pct(lat, 50):>8.0f} {1000 * _pct(lat, 95):>8.0f}"
            f" {len(lat) / wall:>7.1f} {len(kept) / wall:>8.1f}"
        )
        if split:
            print(f"   !! {channel}: {split} keys answered with two different complaint ids")
        if unacked:
            print(f"   !! {channel}: {unacked} never acknowledged ({collections.Counter(tally.failed[channel]).most_common(5)})")
    print(f"   failed tries (then retried): { {c: collections.Counter(v).most_common(4) for c, v in tally.failed.items()} }")
    total = sum(stored.values())
    verdict = "NOTHING LOST, NOTHING DUPLICATED" if not bad else "PROBLEMS ABOVE"
    print(f"   total stored {total:,} of {len(jobs):,} sent: {verdict}")
    return 0 if not bad else 1


if __name__ == "__main__":
    raise SystemExit(main())
