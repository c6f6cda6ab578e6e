"""`make bench` keeps working: small runs end to end (figures are not asserted as timings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
ON_PG = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _bench(*args: str, timeout: int = 300) -> str:
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "bench", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _summary(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.strip().startswith(("ok ", "MISSED "))]


@pytest.mark.skipif(ON_PG, reason="the bench uses its own SQLite file; once is enough")
def test_small_dedup_bench_runs_and_finds_the_planted_duplicates():
    out = _bench("--only", "dedup", "--n", "3000")
    quality = [line for line in _summary(out) if "precision against" in line or "recall against" in line]
    assert len(quality) == 2, out[-2000:]
    assert all(line.startswith("ok") for line in quality), quality


@pytest.mark.skipif(ON_PG, reason="the bench uses its own SQLite file; once is enough")
def test_small_national_bench_prints_time_and_peak_memory_with_targets():
    out = _bench("--only", "national", "--national-n", "4000")
    lines = _summary(out)
    assert any("dedup of 4,000 complaints on 2 threads" in line and "(target ≤ 90 s)" in line for line in lines), out
    assert any("peak resident set" in line and "GB" in line and "(target ≤ 4 GB)" in line for line in lines), out
    quality = [line for line in lines if "national precision" in line or "national recall" in line]
    assert len(quality) == 2 and all(line.startswith("ok") for line in quality), quality


@pytest.mark.skipif(ON_PG, reason="no server needed")
def test_pgcheck_says_not_measured_when_postgres_is_not_reachable():
    out = _bench("--only", "pgcheck", "--national-n", "100", "--pg-url", "postgres://postgres@127.0.0.1:9/nothing_here")
    assert "not measured: PostgreSQL not reachable" in out, out


def _throwaway_url() -> str:
    """BENCH_PG_URL, or DATABASE_URL's server with the database name + "_bench" (created and dropped)."""
    if os.environ.get("BENCH_PG_URL"):
        return os.environ["BENCH_PG_URL"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "_bench", parts.query, ""))


@pytest.mark.skipif(not ON_PG, reason="the database-backed check is measured on PostgreSQL")
def test_small_pgcheck_loads_keys_with_copy_and_times_the_intake_check():
    out = _bench("--only", "pgcheck", "--national-n", "2000", "--pg-checks", "30", "--pg-url", _throwaway_url(), timeout=600)
    lines = _summary(out)
    assert any("check one complaint against 2,000 on PostgreSQL" in line and "p95" in line for line in lines), out
    assert "queries per check: 1;" in out, out
    assert "stored features computed" in out and "key rows copied" in out and "not measured" not in out, out


@pytest.mark.skipif(not ON_PG, reason="the scale part loads PostgreSQL")
def test_small_scale_part_compares_bulletin_and_dashboard_with_hand_written_sql():
    url = _throwaway_url() + "_scale"
    out = _bench("--only", "scale", "--scale-n", "2000", "--scale-pg-url", url, timeout=600)
    lines = _summary(out)
    assert any("bulletin line over 2,000 cases: product / hand-written SQL" in line for line in lines), out
    counts = [line for line in lines if "queries at 100 cases / at 2,000" in line]
    assert len(counts) == 2 and all(line.startswith("ok") for line in counts), counts  # constant query counts
    assert "equal the hand-written SQL's at both sizes: True" in out, out
