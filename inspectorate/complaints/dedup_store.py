"""Duplicate candidates from the database: the same answer in every process.

At intake every complaint's look-up keys are written to `DedupKey` (one row per key, indexed on
campaign, kind and key) in the transaction that stores the complaint:

* ``b``: the LSH band keys of its text's MinHash signature (`dedup.DedupIndex` with fixed seed and
  bands, so every process computes the same keys; no learnt boilerplate, which would differ);
* ``p``: its polluter key (`dedup_keys.polluter_key`), ``e``: the registry enterprise routing found;
* ``c``: its ~1 km grid cell (`dedup_keys.cell`).

A new complaint's keys (with the eight neighbouring cells) are looked up in one query; cell matches
count only within `WINDOW_DAYS` of its time (a busy street would otherwise propose everything).  The
candidates (at most `MAX_CANDIDATES`, most recent first) are scored with `dedup_score.score`.
`backfill()` writes the keys of complaints stored before the table existed (migration 0005 and the
`dedup_keys` management command).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q

from . import dedup_keys, dedup_score
from .dedup import DedupIndex

__all__ = ["backfill", "candidates", "keys_for", "keys_for_many", "query_keys", "similar", "write_keys"]

WINDOW_DAYS = 14
MAX_CANDIDATES = 400


@functools.lru_cache(maxsize=1)
def _minhash() -> DedupIndex:
    """The signature and band settings shared by every process (never change them without a backfill)."""
    return DedupIndex(num_perm=64, threshold=0.45, lsh_threshold=0.4, seed=1, workers=1, exact=False)


def band_keys(text: str) -> list[int]:
    index = _minhash()
    sig, empty = index.signatures([(text or "")[: dedup_score.MAX_TEXT]])
    if empty[0]:
        return []
    return [int(k) for k in index.band_keys(sig)[0].view("int64").tolist()]


def keys_for(
    text: str, *, lat: Any = None, lon: Any = None, polluter_name: str = "", enterprise: Any = None
) -> list[tuple[str, int]]:
    """The (kind, key) pairs stored for one complaint."""
    out = [("b", k) for k in band_keys(text)]
    pkey = dedup_keys.polluter_key(polluter_name or "")
    if pkey:
        out.append(("p", dedup_keys.key64("p", pkey)))
    if enterprise:
        out.append(("e", dedup_keys.key64("e", str(enterprise))))
    c = dedup_keys.cell(lat, lon)
    if c is not None:
        out.append(("c", dedup_keys.key64("c", dedup_keys.cell_name(c))))
    return out


def keys_for_many(
    texts: Sequence[str],
    *,
    lats: Sequence[Any],
    lons: Sequence[Any],
    polluter_names: Sequence[str],
    enterprises: Sequence[Any],
) -> list[list[tuple[str, int]]]:
    """`keys_for` of many complaints at once (the text bands as one vectorised computation): the same keys."""
    index = _minhash()
    sig, empty = index.signatures([(t or "")[: dedup_score.MAX_TEXT] for t in texts])
    bands = index.band_keys(sig).view("int64").tolist()
    out = []
    for k, name in enumerate(polluter_names):
        row = [] if empty[k] else [("b", key) for key in bands[k]]
        pkey = dedup_keys.polluter_key(name or "")
        if pkey:
            row.append(("p", dedup_keys.key64("p", pkey)))
        if enterprises[k]:
            row.append(("e", dedup_keys.key64("e", str(enterprises[k]))))
        c = dedup_keys.cell(lats[k], lons[k])
        if c is not None:
            row.append(("c", dedup_keys.key64("c", dedup_keys.cell_name(c))))
        out.append(row)
    return out


def query_keys(
    text: str, *, lat: Any = None, lon: Any = None, polluter_name: str = "", enterprise: Any = None
) -> list[tuple[str, int]]:
    """The keys to look up for a new complaint: its own, with the neighbouring cells."""
    out = list(keys_for(text, polluter_name=polluter_name, enterprise=enterprise))
    out += [("c", dedup_keys.key64("c", dedup_keys.cell_name(c))) for c in dedup_keys.cells_around(lat, lon)]
    return out


def write_keys(complaint: Any) -> int:
    """Store the look-up keys of one saved complaint (replacing earlier ones); returns how many."""
    from .models import DedupKey

    DedupKey.objects.filter(complaint=complaint).delete()
    rows = [
        DedupKey(complaint=complaint, campaign_id=complaint.campaign_id, kind=kind, key=key)
        for kind, key in dict.fromkeys(
            keys_for(
                complaint.text, lat=complaint.lat, lon=complaint.lon,
                polluter_name=complaint.polluter_name, enterprise=complaint.polluter_id,
            )
        )
    ]  # fmt: skip
    DedupKey.objects.bulk_create(rows)
    return len(rows)


def candidates(campaign: Any, keys: Iterable[tuple[str, int]], *, at: dt.datetime, exclude: Any = None) -> list[Any]:
    """Complaints of the campaign (not invalid) sharing a key, most recent first."""
    from .models import Complaint, ComplaintStatus, DedupKey

    by_kind: dict[str, set[int]] = {}
    for kind, key in keys:
        by_kind.setdefault(kind, set()).add(key)
    if not by_kind:
        return []
    window = dt.timedelta(days=WINDOW_DAYS)
    match = Q()
    for kind, values in by_kind.items():
        q = Q(kind=kind, key__in=sorted(values))
        if kind == "c":
            q &= Q(complaint__received_at__gte=at - window, complaint__received_at__lte=at + window)
        match |= q
    ids = DedupKey.objects.filter(match, campaign=campaign).values("complaint_id")
    qs = Complaint.objects.filter(campaign=campaign, pk__in=ids).exclude(status=ComplaintStatus.INVALID)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return list(
        qs.order_by("-received_at", "pk").only(
            "pk", "text", "lat", "lon", "polluter_name", "polluter_id", "pollution_types", "received_at"
        )[:MAX_CANDIDATES]
    )


def similar(
    campaign: Any,
    text: str,
    *,
    lat: Any = None,
    lon: Any = None,
    polluter_name: str = "",
    enterprise: Any = None,
    types: Iterable[str] = (),
    at: dt.datetime,
    k: int = 5,
    exclude: Any = None,
    min_score: float | None = None,
) -> list[tuple[str, float]]:
    """[(complaint id, score)] best first, from every complaint stored so far in the database."""
    me = dedup_score.features(text, lat=lat, lon=lon, polluter_name=polluter_name, enterprise=enterprise, types=types, at=at)
    if not me.chars:
        return []
    keys = query_keys(text, lat=me.lat, lon=me.lon, polluter_name=polluter_name, enterprise=enterprise)
    floor = dedup_score.THRESHOLD if min_score is None else min_score
    hits = []
    for c in candidates(campaign, keys, at=at, exclude=exclude):
        other = dedup_score.features(
            c.text, lat=c.lat, lon=c.lon, polluter_name=c.polluter_name, enterprise=c.polluter_id,
            types=c.pollution_types or (), at=c.received_at,
        )  # fmt: skip
        s = dedup_score.score(me, other)
        if s >= floor:
            hits.append((str(c.pk), round(s, 3)))
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits[:k]


def backfill(campaign: Any = None, batch: int = 500) -> int:
    """Write the keys of every complaint that has none (all campaigns, or one); returns how many complaints."""
    from .models import Complaint, DedupKey

    qs = Complaint.objects.exclude(pk__in=DedupKey.objects.values("complaint_id"))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    done = 0
    for complaint in qs.order_by("received_at", "pk").iterator(chunk_size=batch):
        write_keys(complaint)
        done += 1
    return done
