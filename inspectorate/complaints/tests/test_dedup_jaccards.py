"""`dedup_score.jaccards` of many candidates at once equals each candidate's alone (and the set formula)."""

from __future__ import annotations

import numpy as np

from inspectorate.complaints import dedup_score


def test_jaccards_of_many_equal_each_alone() -> None:
    """Grams two others share (and `mine` has not) are not counted as shared (`isin(…, assume_unique=True)` on the
    concatenated others did: a candidate's Jaccard depended on the other candidates)."""
    rng = np.random.default_rng(3)
    mine = np.unique(rng.integers(0, 2**31, 60, dtype=np.uint32))
    pool = np.concatenate([mine[:30], rng.integers(0, 2**31, 200, dtype=np.uint32)])
    others = [np.unique(rng.choice(pool, 40)) for _ in range(300)] + [np.empty(0, dtype=np.uint32), mine]
    batch = dedup_score.jaccards(mine, others).tolist()
    alone = [dedup_score.jaccards(mine, [o]).tolist()[0] for o in others]
    exact = [len(set(mine.tolist()) & set(o.tolist())) / len(set(mine.tolist()) | set(o.tolist())) if o.size else 0.0
             for o in others]  # fmt: skip
    assert batch == alone == exact
    assert dedup_score.jaccards(np.empty(0, dtype=np.uint32), others[:3]).tolist() == [0.0, 0.0, 0.0]
