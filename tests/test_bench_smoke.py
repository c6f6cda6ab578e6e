"""`make bench` keeps working: a small dedup round runs end to end (figures are not asserted as timings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the bench uses its own SQLite file; once is enough"
)
def test_small_dedup_bench_runs_and_finds_the_planted_duplicates():
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "dedup", "--n", "3000"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    summary = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith(("ok ", "MISSED "))]
    quality = [line for line in summary if "precision against" in line or "recall against" in line]
    assert len(quality) == 2, result.stdout[-2000:]
    assert all(line.startswith("ok") for line in quality), quality
