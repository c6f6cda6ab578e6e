"""National scale: a year of the 12369 hotline (618,856 reports in one year) deduplicated in one go.

One million generated complaints over 365 days and 50 cities, deduplicated by the same engine as the
round (`dedup_bench.ours`: learn boilerplate, MinHash in chunks on two threads, LSH, re-score), timed
once.  Peak memory is the resident set of this process while it runs (Linux: the high-water mark is
reset first, so it is the peak of this part, with the generated complaints it holds).
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

from bench.dedup_bench import ours, prf
from bench.generator import Round, generate
from bench.report import Report

SEED = 12369
TARGET_SECONDS = 90.0
TARGET_GB = 4.0
_STATUS = Path("/proc/self/status")
_CLEAR = Path("/proc/self/clear_refs")


def rss_gb(field: str) -> float | None:
    """VmRSS (now) or VmHWM (peak) of this process in GB, from /proc (None where there is no /proc)."""
    if not _STATUS.exists():
        return None
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024 / 1024
    return None


def reset_peak() -> bool:
    """Reset the peak resident set (Linux ≥ 4.0: write 5 to clear_refs); False where that is not possible."""
    try:
        _CLEAR.write_text("5")
    except OSError:
        return False
    return True


def national_round(n: int) -> Round:
    return generate(n, seed=SEED, days=365, national=True)


def run(report: Report, *, n: int, workers: int = 2) -> Round:
    report.section(f"National scale: {n:,} complaints over a year (the 12369 hotline had 618,856 in one year)")
    t = time.perf_counter()
    rnd = national_round(n)
    cs = rnd.complaints
    truth = rnd.truth_pairs()
    report.note(
        f"generated in {time.perf_counter() - t:.0f} s: {len(truth):,} true duplicate pairs, 50 cities, 365 days;"
        f" resident set now {rss_gb('VmRSS') or 0:.2f} GB (the complaints themselves)"
    )
    fresh = reset_peak()
    load = os.getloadavg()[0]
    seconds, pred, index = ours(cs, workers=workers)
    peak = rss_gb("VmHWM") if fresh else None
    how = "peak resident set during the dedup (VmHWM, reset before)"
    if peak is None:  # no /proc: the process's lifetime peak (ru_maxrss is in KB on Linux, bytes on macOS)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        how = "peak resident set of the whole process (ru_maxrss)"
    p, r = prf(pred, truth)
    report.figure(
        f"dedup of {n:,} complaints on {workers} threads, seconds", f"{seconds:.1f} s", f"≤ {TARGET_SECONDS:.0f} s",
        seconds <= TARGET_SECONDS,
    )  # fmt: skip
    report.figure(f"{how}, GB", f"{peak:.2f} GB", f"≤ {TARGET_GB:.0f} GB", peak <= TARGET_GB)
    report.note(f"load average before {load:.1f}, after {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    report.figure("national precision against the planted ground truth", f"{p:.4f}", "≥ 0.97", p >= 0.97)
    report.figure("national recall against the planted ground truth", f"{r:.4f}", "≥ 0.97", r >= 0.97)
    report.note(f"{index.bands} bands × {index.rows} rows; {len(pred):,} pairs found")
    del index
    return rnd
