"""Possible duplicates of a complaint, answered from the database (the same in every process).

`find_similar` looks the complaint's keys up in `DedupKey` (text bands, polluter key, registry
enterprise, ~1 km cells within the time window: `dedup_store`) and scores the candidates
(`dedup_score`: near-copies and retellings) from what intake stored with each complaint
(`stored_features`: its n-gram hashes, words and polluter key).  `index_add` writes a stored complaint's keys; intake
calls it inside the transaction that saves the complaint, so a rolled-back complaint leaves no keys.
Nothing is cached per process and nothing falls back to another method: an error propagates (and is
logged as any server error).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from . import dedup_store
from .dedup_store import stored_features

__all__ = ["find_similar", "index_add", "stored_features"]


def index_add(complaint: Any, *, new: bool = False) -> None:
    """Store the look-up keys of a saved complaint (call inside the transaction that saved it); `new`: it was
    just inserted, so it has no keys to replace."""
    dedup_store.write_keys(complaint, new=new)


def find_similar(
    campaign: Any,
    text: str,
    *,
    lat: float | None = None,
    lon: float | None = None,
    polluter_name: str = "",
    enterprise: Any = None,
    types: Iterable[str] = (),
    at: dt.datetime | None = None,
    k: int = 5,
    exclude: Any = None,
    min_score: float | None = None,
) -> list[tuple[str, float]]:
    """[(complaint id, score)] best first; `min_score` lowers or raises the threshold (`dedup_score.THRESHOLD`)."""
    return dedup_store.similar(
        campaign, text or "", lat=lat, lon=lon, polluter_name=polluter_name or "", enterprise=enterprise,
        types=types, at=at or timezone.now(), k=k, exclude=exclude, min_score=min_score,
    )  # fmt: skip
