"""The round's engine (`dedup.DedupIndex`) on threads gives what it gave on one: the keys sorted on a thread while
the context is read, pairs scored in chunks on threads."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np

from inspectorate.complaints.dedup import DedupIndex

from .test_dedup import BASE, PLACES, RIVERS

START = dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)


def _round(n: int = 600, seed: int = 5) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        place = rng.choice(PLACES)
        text = rng.choice(BASE).format(p=place + f"{rng.randrange(40)}号附近", r=rng.choice(RIVERS))
        if rng.random() < 0.3:  # a re-report with a few characters swapped
            chars = list(text)
            p = rng.randrange(len(chars) - 1)
            chars[p], chars[p + 1] = chars[p + 1], chars[p]
            text = "".join(chars)
        lat = rng.choice([None, 26.0 + rng.random(), 27.0 + rng.random()])
        lon = None if lat is None else 111.0 + rng.random()
        polluter = rng.choice(["", f"{place}企业", f"{place}化工有限公司", "某某_工厂"])
        at = rng.choice([None, START + dt.timedelta(hours=rng.randrange(2000))])
        rows.append((k, text, lat, lon, polluter, at))
    return rows


def _index(rows: list[tuple], workers: int, score_chunk: int) -> DedupIndex:
    index = DedupIndex(workers=workers)
    index.SCORE_CHUNK = score_chunk
    index.CHUNK = 128
    index.add_many(
        [r[0] for r in rows], [r[1] for r in rows], lats=[r[2] for r in rows], lons=[r[3] for r in rows],
        polluters=[r[4] for r in rows], ats=[r[5] for r in rows],
    )  # fmt: skip
    return index


def test_threads_give_the_same_pairs_and_scores() -> None:
    rows = _round()
    one = _index(rows, workers=1, score_chunk=65536)
    two = _index(rows, workers=2, score_chunk=97)  # many chunks of pairs, on two threads
    assert np.array_equal(one._sorted_keys, two._sorted_keys) and one._frozen == two._frozen == len(rows)
    i, j = one.candidate_pairs()
    assert i.size > 1000
    assert np.array_equal(one._score_idx(i, j, 0.45), two._score_idx(i, j, 0.45))
    assert one.pairs() == two.pairs() and len(one.pairs()) > 50
    assert np.array_equal(one._xyz[: len(rows)], two._xyz[: len(rows)], equal_nan=True)
