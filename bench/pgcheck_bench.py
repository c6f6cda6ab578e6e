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
   median and p95 time, the queries per check, and the precision and recall (of the best 5 answered) against the
   duplicates the generator planted among the stored complaints; then the same checks again, with the database
   pages they read in memory (the disk reads of the first pass apart);
4. drops the database (with `--keep`, run directly, it is kept, and a later `--keep` run that finds it holding
   `n` complaints measures again without loading: `python -m bench.pgcheck_bench --pg-url URL --n 1000000
   --out /tmp/pgcheck.json --keep`).

Prints "not measured: <reason>" when PostgreSQL cannot be reached.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import pgdb  # noqa: E402  (after the path set-up above)

TARGET_MS = 5.0
CHUNK = 20_000
WARMUP = 20
_ROUND: list[Any] = []


def _chunk_prepared(bounds: tuple[int, int]) -> tuple[list[list[tuple[str, int]]], list[dict[str, Any]]]:
    """What intake writes for each complaint of a chunk: its look-up keys and its stored score features."""
    from inspectorate.complaints import dedup_store

    cs = _ROUND[bounds[0] : bounds[1]]
    keys = dedup_store.keys_for_many(
        [c.text for c in cs], lats=[c.lat for c in cs], lons=[c.lon for c in cs],
        polluter_names=[c.polluter for c in cs], enterprises=[None] * len(cs),
    )  # fmt: skip
    return keys, [dedup_store.stored_features(c.text, c.polluter) for c in cs]


def ids_of(k: int) -> uuid.UUID:
    """The id of the `k`-th loaded complaint."""
    return uuid.UUID(int=k + 1)


def load(n: int, campaign: Any, note: Any) -> None:
    """COPY the first `n` complaints of the round with what intake writes: their stored features and keys."""
    from django.db import connection
    from django.utils import timezone

    from inspectorate.complaints.models import Complaint, DedupKey

    cs = _ROUND[:n]
    ktab = DedupKey._meta.db_table
    template = Complaint(campaign=campaign, channel="phone", text="", intake_day=timezone.localdate())
    tz = timezone.get_current_timezone()
    ids = [ids_of(k) for k in range(n)]
    bounds = [(s, min(s + CHUNK, n)) for s in range(0, n, CHUNK)]
    key_rows = 0

    def complaints(pool: Any, spool: Any) -> Iterator[dict[str, Any]]:
        # One pass computes what intake writes (2 processes); the complaints are copied as they come, their key
        # rows are spooled to a file and copied afterwards (one COPY at a time on a connection).
        nonlocal key_rows
        for (s, e), (keys, stored) in zip(bounds, pool.imap(_chunk_prepared, bounds), strict=True):
            for k, (c, kr, st) in enumerate(zip(cs[s:e], keys, stored, strict=True)):
                cid = ids[s + k]
                for kind, key in dict.fromkeys(kr):
                    spool.write(f"{cid}\t{campaign.pk}\t{kind}\t{key}\t{c.at.isoformat()}\n".encode())
                    key_rows += 1
                yield {
                    "id": cid, "received_at": c.at, "intake_day": c.at.astimezone(tz).date(), "text": c.text,
                    "lat": c.lat, "lon": c.lon, "polluter_name": c.polluter, "receipt_code": f"B{s + k:014d}", **st,
                }  # fmt: skip

    t = time.perf_counter()
    with (
        pgdb.bulk_load([Complaint._meta.db_table, ktab]),
        multiprocessing.get_context("fork").Pool(2) as pool,
        tempfile.TemporaryFile() as spool,
    ):
        pgdb.copy_rows(Complaint, template, complaints(pool, spool))
        note(f"{n:,} complaints with their stored features computed (2 processes) and copied in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        spool.seek(0)
        with (
            connection.connection.cursor() as cur,
            cur.copy(f'COPY "{ktab}" (complaint_id, campaign_id, kind, key, received_at) FROM STDIN') as copy,
        ):
            while block := spool.read(1 << 20):
                copy.write(block)
    note(f"{key_rows:,} key rows copied in {time.perf_counter() - t:.0f} s")


def measure(url: str, n: int, checks: int, keep: bool = False) -> dict[str, Any]:
    pgdb.django_on(url)
    from inspectorate.complaints.models import Complaint

    reuse = keep and pgdb.rows_in(url, Complaint._meta.db_table) == n
    if not reuse:
        pgdb.fresh_database(url)
    from django.db import connection, transaction

    from bench.national_bench import national_round
    from inspectorate.complaints import dedup_keys, dedup_score, dedup_store
    from inspectorate.complaints.similarity import find_similar
    from inspectorate.testing.cast import World

    note = pgdb.note
    t = time.perf_counter()
    _ROUND[:] = national_round(n + WARMUP + checks).complaints
    note(f"{n + WARMUP + checks:,} complaints generated in {time.perf_counter() - t:.0f} s")
    if reuse:
        from inspectorate.campaigns.models import Campaign

        campaign = Campaign.objects.get(pk=Complaint.objects.values("campaign_id")[:1])
        note(f"the database kept by an earlier run holds {n:,} complaints: not loaded again")
    else:
        with transaction.atomic():
            campaign = World.build().campaign
        load(n, campaign, note)
    asked = _ROUND[n:]
    # The planted duplicates of each checked complaint among the loaded ones (its incident's earlier reports; loaded
    # complaint k has the id uuid(k + 1)), to print the check's precision and recall at this scale.
    wanted = {c.incident for c in asked}
    stored_of: dict[int, set[str]] = {}
    for k, c in enumerate(_ROUND[:n]):
        if c.incident in wanted:
            stored_of.setdefault(c.incident, set()).add(str(ids_of(k)))
    times, queries, cands, found = [], [], [], 0
    tp = fp = fn = 0
    executed = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed[0] += 1  # counted without recording them (DEBUG's query log costs time per query)
        return execute(sql, params, many, context)

    for k, c in enumerate(asked):
        executed[0] = 0
        with connection.execute_wrapper(count):
            t = time.perf_counter()
            hits = find_similar(campaign, c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter, at=c.at)
            spent = time.perf_counter() - t
        if k >= WARMUP:
            times.append(spent * 1000)
            queries.append(executed[0])
            keys = dedup_store.query_keys(c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter)
            cands.append(len(dedup_store.candidates(campaign, keys, at=c.at)))
            found += bool(hits)
            truth, got = stored_of.get(c.incident, set()), {pk for pk, _score in hits}
            tp, fp = tp + len(got & truth), fp + len(got - truth)
            fn += max(0, min(len(truth), 5) - len(got & truth))  # `find_similar` answers the best 5: recall at 5
    # Again, with the text caches emptied (the new complaints' own work is done again) but the database pages these
    # checks read now in memory: what the check costs on a server whose working set is cached, apart from disk reads.
    for cached in (dedup_keys.words, dedup_keys.polluter_key, dedup_score._grams, dedup_store.band_keys):
        cached.cache_clear()
    again = []
    for c in asked[WARMUP:]:
        t = time.perf_counter()
        find_similar(campaign, c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter, at=c.at)
        again.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "again_median_ms": statistics.median(again),
        "n": n, "checks": len(times), "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))], "queries": sorted(set(queries)), "found": found,
        "candidates": statistics.median(cands), "max_candidates": max(cands),
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "planted": tp + fn,
    }  # fmt: skip


def run(report: Any, *, url: str, n: int, checks: int) -> None:
    """In the bench process: run `measure` in a child process and print its figures."""

    report.section(f"One new complaint checked against {n:,} on PostgreSQL (dedup_store: keys in the database)")
    why = pgdb.reachable(url)
    if why:
        report.figure("single check on PostgreSQL, median / p95", f"not measured: PostgreSQL not reachable ({why})")
        return
    res = pgdb.run_child("bench.pgcheck_bench", ["--pg-url", url, "--n", str(n), "--checks", str(checks)])
    if isinstance(res, str):
        report.figure("single check on PostgreSQL, median / p95", f"not measured: {res}")
        return
    report.figure(
        f"check one complaint against {n:,} on PostgreSQL, median (p95) of {res['checks']}",
        f"{res['median_ms']:.2f} ms (p95 {res['p95_ms']:.2f} ms)", f"median ≤ {TARGET_MS:.0f} ms",
        res["median_ms"] <= TARGET_MS,
    )  # fmt: skip
    report.note(
        f"the same checks again, the database pages they read now in memory (the texts' own work done again):"
        f" median {res['again_median_ms']:.2f} ms; the first pass read pages from disk as it met them"
    )
    report.note(
        f"queries per check: {', '.join(map(str, res['queries']))}; {res['found']} of {res['checks']} checks found a duplicate;"
        f" candidates scored per check: median {res['candidates']:.0f}, max {res['max_candidates']};"
        f" against the planted duplicates ({res['planted']} among the stored): precision {res['precision']:.4f},"
        f" recall {res['recall']:.4f};"
        f" load average now {os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pgcheck_bench")
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--out", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the database, and reuse one kept with n complaints")
    args = parser.parse_args()
    return pgdb.child_main(args.pg_url, args.out, lambda: measure(args.pg_url, args.n, args.checks, args.keep), keep=args.keep)


if __name__ == "__main__":
    raise SystemExit(main())
