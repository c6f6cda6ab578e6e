"""`make bench`: dedup of a 135,000-complaint round and intake throughput, printed as ratios measured in this run.

    python -m bench                   # everything (about 15 minutes on 2 idle cores)
    python -m bench --only dedup      # or: datasketch, brute, intake, ledger, retell, national, pgcheck, portal
    python -m bench --n 20000         # a smaller round
    python -m bench --only national --national-n 1000000   # a national year deduplicated (≤ 90 s, ≤ 4 GB)
    python -m bench --only pgcheck --pg-url postgres://postgres@127.0.0.1:5432/bench_dedup
    python -m bench --only portal     # public results pages, 20 clients, gunicorn on a throwaway PostgreSQL
    python -m bench --only scale      # bulletin and dashboard over 1,000,000 cases / 10,000,000 audit events

Uses a throwaway SQLite database in a temporary folder (never the development database); the
PostgreSQL check creates the database --pg-url names and drops it afterwards (it must be a throwaway
name: an existing database of that name is dropped first).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--n", type=int, default=135_000, help="complaints in the synthetic round (default 135000)")
    everything = ["dedup", "datasketch", "brute", "intake", "ledger", "retell", "national", "pgcheck", "portal", "scale"]
    parser.add_argument("--only", choices=everything, action="append")
    parser.add_argument("--brute-n", type=int, default=10_000, help="subset for exact brute force (default 10000)")
    parser.add_argument("--datasketch-budget", type=float, default=300.0, help="seconds allowed for datasketch on the full round")
    parser.add_argument("--intake-requests", type=int, default=300)
    parser.add_argument("--national-n", type=int, default=1_000_000, help="complaints of the national year (default 1000000)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/bench_dedup", help="throwaway database")
    parser.add_argument("--pg-checks", type=int, default=300, help="single checks timed on PostgreSQL (default 300)")
    parser.add_argument("--scale-n", type=int, default=1_000_000, help="cases of the scale part (default 1000000)")
    parser.add_argument(
        "--scale-pg-url", default="postgres://postgres@127.0.0.1:5432/bench_scale", help="throwaway database (scale)"
    )
    parser.add_argument("--portal-clients", type=int, default=20, help="concurrent clients of the portal bench (default 20)")
    parser.add_argument("--portal-seconds", type=float, default=8.0, help="seconds per page of the portal bench (default 8)")
    args = parser.parse_args(argv)
    parts = set(args.only or everything)

    tmp = tempfile.TemporaryDirectory(prefix="inspectorate-bench-")
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(Path(tmp.name) / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()

    from bench import dedup_bench, intake_bench
    from bench.report import Report

    report = Report()
    started = time.perf_counter()
    print(
        f"inspectorate bench · {time.strftime('%Y-%m-%d %H:%M:%S')} · {os.cpu_count()} CPU"
        f" · load average {os.getloadavg()[0]:.1f} · database {os.environ['DATABASE_URL']}"
    )
    if parts & {"dedup", "datasketch", "brute"}:
        dedup_bench.run(report, n=args.n, parts=parts, brute_n=args.brute_n, datasketch_budget=args.datasketch_budget)
    if "retell" in parts:
        from bench import retell_bench

        retell_bench.run(report)
    if "national" in parts:
        from bench import national_bench

        national_bench.run(report, n=args.national_n)
    if "pgcheck" in parts:
        from bench import pgcheck_bench

        pgcheck_bench.run(report, url=args.pg_url, n=args.national_n, checks=args.pg_checks)
    if "intake" in parts:
        intake_bench.run(report, requests=args.intake_requests)
    if "portal" in parts:
        from bench import portal_bench

        portal_bench.run(report, clients=args.portal_clients, seconds=args.portal_seconds)
    if "scale" in parts:
        from bench import scale_bench

        scale_bench.run(report, url=args.scale_pg_url, n=args.scale_n)
    if "ledger" in parts and (ROOT / "bench" / "ledger.py").exists():
        from bench import ledger  # the ledger export bench (issue 5), kept in its own module

        report.section("Ledger export (bench/ledger.py)")
        for line in ledger.run():
            report.note(line)
    report.summary(time.perf_counter() - started)
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
