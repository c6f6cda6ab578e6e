"""One new complaint checked against a national year on PostgreSQL, through the intake's own path.

`python -m bench --only pgcheck` runs this module in a child process (Django is set up once per
process, and the rest of the bench uses its own SQLite file):

1. creates the database `--pg-url` names (dropping an earlier one), migrates it;
2. loads `n` generated complaints (`national_bench.national_round`) with what the product writes at
   intake — their stored score features (`dedup_store.stored_features`) and look-up keys
   (`dedup_store.keys_for_many`, the bulk form of `keys_for`), computed on two processes — with COPY;
   the tables' secondary indexes and constraints are dropped for the load and created again
   afterwards (the schema checked is the migrated one), then ANALYZE;
3. checks `checks` further complaints of the same generated year with `similarity.find_similar`, the
   function intake calls: keys queried in the database, candidates scored by `dedup_score`; prints the
   median and p95 time and the queries per check;
4. drops the database.

Prints "not measured: <reason>" when PostgreSQL cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 5.0
CHUNK = 20_000
WARMUP = 20
_ROUND: list[Any] = []


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, "")), name


def reachable(url: str) -> str:
    """ "" when the server answers, else why not."""
    import psycopg

    admin, _ = _admin_url(url)
    try:
        psycopg.connect(admin, connect_timeout=3, autocommit=True).close()
    except psycopg.OperationalError as err:
        return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return ""


def _recreate(url: str, drop_only: bool = False) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _chunk_prepared(bounds: tuple[int, int]) -> tuple[list[list[tuple[str, int]]], list[dict[str, Any]]]:
    """What intake writes for each complaint of a chunk: its look-up keys and its stored score features."""
    from inspectorate.complaints import dedup_store

    cs = _ROUND[bounds[0] : bounds[1]]
    keys = dedup_store.keys_for_many(
        [c.text for c in cs], lats=[c.lat for c in cs], lons=[c.lon for c in cs],
        polluter_names=[c.polluter for c in cs], enterprises=[None] * len(cs),
    )  # fmt: skip
    return keys, [dedup_store.stored_features(c.text, c.polluter) for c in cs]


def _secondary(cursor: Any, table: str) -> tuple[list[str], list[str]]:
    """(statements dropping, statements creating) the table's indexes and constraints other than its key."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype <> 'p'",
        [table],
    )
    cons = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    idx = cursor.fetchall()
    drop = [f'ALTER TABLE "{table}" DROP CONSTRAINT "{n}"' for n, _ in cons] + [f'DROP INDEX "{n}"' for n, _ in idx]
    create = [d for _, d in idx] + [f'ALTER TABLE "{table}" ADD CONSTRAINT "{n}" {d}' for n, d in cons]
    return drop, create


def load(n: int, campaign: Any, note: Any) -> None:
    """COPY the first `n` complaints of the round and their keys."""
    from django.db import connection
    from django.utils import timezone

    from inspectorate.complaints.models import Complaint, DedupKey

    cs = _ROUND[:n]
    ctab, ktab = Complaint._meta.db_table, DedupKey._meta.db_table
    fields = Complaint._meta.concrete_fields
    template = Complaint(campaign=campaign, channel="phone", text="", intake_day=timezone.localdate())
    constant = {f.column: f.get_db_prep_save(f.pre_save(template, True), connection) for f in fields}
    columns = [f.column for f in fields]
    tz = timezone.get_current_timezone()
    t = time.perf_counter()
    with connection.cursor() as cur:
        drops, creates = [], []
        for table in (ktab, ctab):
            d, c = _secondary(cur, table)
            drops += d
            creates = c + creates
        for sql in drops:
            cur.execute(sql)
    raw = connection.connection  # the psycopg 3 connection under Django's
    ids = [uuid.UUID(int=k + 1) for k in range(n)]
    quoted = ", ".join(f'"{col}"' for col in columns)
    bounds = [(s, min(s + CHUNK, n)) for s in range(0, n, CHUNK)]
    ctx = multiprocessing.get_context("fork")
    rows = 0
    # One pass computes what intake writes (2 processes); the complaints are copied as they come, their key
    # rows are spooled to a file and copied afterwards (one COPY at a time on a connection).
    with ctx.Pool(2) as pool, tempfile.TemporaryFile() as spool:
        with raw.cursor() as cur, cur.copy(f'COPY "{ctab}" ({quoted}) FROM STDIN') as copy:
            for (s, _e), (keys, stored) in zip(bounds, pool.imap(_chunk_prepared, bounds), strict=True):
                for k, (c, kr, st) in enumerate(zip(cs[s:_e], keys, stored, strict=True)):
                    cid = ids[s + k]
                    row = dict(constant)
                    row.update(
                        id=cid, received_at=c.at, intake_day=c.at.astimezone(tz).date(), text=c.text, lat=c.lat,
                        lon=c.lon, polluter_name=c.polluter, receipt_code=f"B{s + k:014d}", **st,
                    )  # fmt: skip
                    copy.write_row([row[col] for col in columns])
                    for kind, key in dict.fromkeys(kr):
                        spool.write(f"{cid}\t{campaign.pk}\t{kind}\t{key}\t{c.at.isoformat()}\n".encode())
                        rows += 1
        note(f"{n:,} complaints with their stored features computed (2 processes) and copied in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        spool.seek(0)
        with (
            raw.cursor() as cur,
            cur.copy(f'COPY "{ktab}" (complaint_id, campaign_id, kind, key, received_at) FROM STDIN') as copy,
        ):
            while block := spool.read(1 << 20):
                copy.write(block)
    note(f"{rows:,} key rows copied in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    with connection.cursor() as cur:
        for sql in creates:
            cur.execute(sql)
        cur.execute(f'ANALYZE "{ctab}"')
        cur.execute(f'ANALYZE "{ktab}"')
    raw.commit()
    note(f"indexes and constraints created again, ANALYZE: {time.perf_counter() - t:.0f} s")


def measure(url: str, n: int, checks: int) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.national_bench import national_round
    from inspectorate.complaints import dedup_store
    from inspectorate.complaints.similarity import find_similar
    from inspectorate.testing.cast import World

    def note(text: str) -> None:
        print(f"   {text}", flush=True)

    t = time.perf_counter()
    _recreate(url)
    call_command("migrate", verbosity=0, interactive=False)
    note(f"database created and migrated in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    _ROUND[:] = national_round(n + WARMUP + checks).complaints
    note(f"{n + WARMUP + checks:,} complaints generated in {time.perf_counter() - t:.0f} s")
    with transaction.atomic():
        campaign = World.build().campaign
    load(n, campaign, note)
    asked = _ROUND[n:]
    times, queries, cands, found = [], [], [], 0
    for k, c in enumerate(asked):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            hits = find_similar(campaign, c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter, at=c.at)
            spent = time.perf_counter() - t
        if k >= WARMUP:
            keys = dedup_store.query_keys(c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter)
            cands.append(len(dedup_store.candidates(campaign, keys, at=c.at)))
            times.append(spent * 1000)
            queries.append(len(ctx.captured_queries))
            found += bool(hits)
    times.sort()
    return {
        "n": n, "checks": len(times), "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))], "queries": sorted(set(queries)), "found": found,
        "candidates": statistics.median(cands), "max_candidates": max(cands),
    }  # fmt: skip


def run(report: Any, *, url: str, n: int, checks: int) -> None:
    """In the bench process: run `measure` in a child process and print its figures."""
    import subprocess

    report.section(f"One new complaint checked against {n:,} on PostgreSQL (dedup_store: keys in the database)")
    why = reachable(url)
    if why:
        report.figure("single check on PostgreSQL, median / p95", f"not measured: PostgreSQL not reachable ({why})")
        return
    with_out = Path(tempfile.gettempdir()) / f"pgcheck-{os.getpid()}.json"
    cmd = [sys.executable, "-m", "bench.pgcheck_bench", "--pg-url", url, "--n", str(n), "--checks", str(checks)]
    done = subprocess.run([*cmd, "--out", str(with_out)], cwd=ROOT, check=False)
    if done.returncode != 0 or not with_out.exists():
        report.figure("single check on PostgreSQL, median / p95", f"not measured: the child failed ({done.returncode})")
        return
    res = json.loads(with_out.read_text())
    with_out.unlink()
    report.figure(
        f"check one complaint against {n:,} on PostgreSQL, median (p95) of {res['checks']}",
        f"{res['median_ms']:.2f} ms (p95 {res['p95_ms']:.2f} ms)", f"median ≤ {TARGET_MS:.0f} ms",
        res["median_ms"] <= TARGET_MS,
    )  # fmt: skip
    report.note(
        f"queries per check: {', '.join(map(str, res['queries']))}; {res['found']} of {res['checks']} checks found a duplicate;"
        f" candidates scored per check: median {res['candidates']:.0f}, max {res['max_candidates']};"
        f" load average now {os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pgcheck_bench")
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    try:
        res = measure(args.pg_url, args.n, args.checks)
    finally:
        from django.db import connections

        connections.close_all()
        _recreate(args.pg_url, drop_only=True)
    Path(args.out).write_text(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
