"""Retellings and hard negatives (bench/retellings.py): precision and recall of the database path's
candidate keys and pair score (`dedup_store.keys_for` / `query_keys`, `dedup_score.score`)."""

from __future__ import annotations

import datetime as dt
import time

from bench.report import Report
from bench.retellings import Report as Rep
from bench.retellings import labelled_pairs
from inspectorate.complaints import dedup_score, dedup_store

SEED_HELD_OUT = 2026
NEAR_COPY_N = 3000
START = dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)  # a fixed day: only differences between reports matter


def _feat(r: Rep) -> dedup_score.Features:
    return dedup_score.features(
        r.text, lat=r.lat, lon=r.lon, polluter_name=r.polluter_name, types=r.types, at=START + dt.timedelta(days=r.day)
    )


def is_candidate(a: Rep, b: Rep) -> bool:
    """Would the look-up for `b` find `a`?  (shares a key; a cell only within the time window)"""
    stored = set(dedup_store.keys_for(a.text, lat=a.lat, lon=a.lon, polluter_name=a.polluter_name))
    asked = set(dedup_store.query_keys(b.text, lat=b.lat, lon=b.lon, polluter_name=b.polluter_name))
    shared = {kind for kind, _k in stored & asked}
    if shared - {"c"}:
        return True
    return "c" in shared and abs(a.day - b.day) <= dedup_store.WINDOW_DAYS


def evaluate(threshold: float = dedup_score.THRESHOLD, seed: int | None = None) -> dict[str, object]:
    pairs = labelled_pairs() if seed is None else labelled_pairs(seed=seed)
    tp = fp = fn = tn = missed_candidates = 0
    misses: list[tuple[str, str, float]] = []
    false_alarms: list[tuple[str, str, float]] = []
    for a, b, same in pairs:
        cand = is_candidate(a, b)
        s = dedup_score.score(_feat(a), _feat(b)) if cand else 0.0
        found = cand and s >= threshold
        if same and found:
            tp += 1
        elif same:
            fn += 1
            missed_candidates += not cand
            misses.append((a.text, b.text, s))
        elif found:
            fp += 1
            false_alarms.append((a.text, b.text, s))
        else:
            tn += 1
    return {
        "pairs": len(pairs), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "not_candidates": missed_candidates, "misses": misses, "false_alarms": false_alarms,
    }  # fmt: skip


def run(report: Report) -> None:
    report.section("Retellings and hard negatives (bench/retellings.py, seed 9; database-path keys and score)")
    t = time.perf_counter()
    r = evaluate()
    report.note(
        f"{r['pairs']} labelled pairs in {time.perf_counter() - t:.1f} s: TP {r['tp']}, FP {r['fp']}, FN {r['fn']}, TN {r['tn']};"
        f" duplicates never proposed as candidates: {r['not_candidates']}"
    )
    p, rec = float(r["precision"]), float(r["recall"])  # type: ignore[arg-type]
    report.figure("retellings: precision on the labelled set", f"{p:.4f}", "≥ 0.90", p >= 0.90)
    report.figure("retellings: recall on the labelled set", f"{rec:.4f}", "≥ 0.85", rec >= 0.85)
    for a, b, s in list(r["misses"])[:3]:  # type: ignore[call-overload]
        report.note(f"missed ({s:.2f}): {a} | {b}")
    for a, b, s in list(r["false_alarms"])[:3]:  # type: ignore[call-overload]
        report.note(f"false alarm ({s:.2f}): {a} | {b}")
    held = evaluate(seed=SEED_HELD_OUT)
    report.note(
        f"held-out set (same generator, seed {SEED_HELD_OUT}, not used for tuning): precision {float(held['precision']):.4f},"  # type: ignore[arg-type]
        f" recall {float(held['recall']):.4f}"  # type: ignore[arg-type]
    )
    report.note("caveat: generated from templates and tuned on seed 9; real retellings vary more (see bench/retellings.py)")
    p, rec, found, seconds = near_copies(NEAR_COPY_N)
    report.note(f"the same database-path keys and score on the first {NEAR_COPY_N:,} complaints of the near-copy round:")
    report.figure("near-copies through the database path: precision", f"{p:.4f}", "≥ 0.97", p >= 0.97)
    report.figure("near-copies through the database path: recall", f"{rec:.4f}", "≥ 0.97", rec >= 0.97)
    report.note(f"{found:,} pairs in {seconds:.1f} s ({seconds / NEAR_COPY_N * 1000:.1f} ms per complaint, pure Python scoring)")


def near_copies(n: int = 5000) -> tuple[float, float, int, float]:
    """The database path (same keys, same score) on the first `n` complaints of the near-copy round
    (bench/generator.py): each complaint checked against the ones before it, keys held in a dict
    instead of the table.  Returns (precision, recall, pairs found, seconds)."""
    from bench.generator import generate

    cs = generate(n).complaints
    truth = set(generate(n).truth_pairs())
    t0 = time.perf_counter()
    table: dict[tuple[str, int], list[int]] = {}
    feats: dict[int, dedup_score.Features] = {}
    found: set[tuple[int, int]] = set()
    for c in cs:
        me = dedup_score.features(c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter, at=c.at)
        cand: set[int] = set()
        for kind, key in dedup_store.query_keys(c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter):
            for other in table.get((kind, key), ()):
                if kind != "c" or abs((c.at - cs[other].at).days) <= dedup_store.WINDOW_DAYS:
                    cand.add(other)
        for other in cand:
            if dedup_score.score(me, feats[other]) >= dedup_score.THRESHOLD:
                a, b = cs[other].id, c.id
                found.add((min(a, b), max(a, b)))
        idx = len(feats)
        feats[idx] = me
        for key in dict.fromkeys(dedup_store.keys_for(c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter)):
            table.setdefault(key, []).append(idx)
    seconds = time.perf_counter() - t0
    tp = len(found & truth)
    return (tp / len(found) if found else 1.0), (tp / len(truth) if truth else 1.0), len(found), seconds
