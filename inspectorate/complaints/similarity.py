"""Possible duplicates of a new complaint.

Uses the MinHash LSH index of `inspectorate.complaints.dedup` when that module is present (kept
per campaign in this process and updated incrementally); otherwise a simple fallback: same
campaign, recent, same polluter or nearby, character-bigram Jaccard.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from typing import Any

from django.db.models import Q
from django.utils import timezone

_lock = threading.Lock()
_indexes: dict[str, Any] = {}

FALLBACK_THRESHOLD = 0.35
FALLBACK_RADIUS_M = 2000.0
FALLBACK_WINDOW_DAYS = 45
FALLBACK_CANDIDATES = 3000


def _dedup_module() -> Any:
    try:
        from inspectorate.complaints import dedup  # type: ignore[attr-defined]
    except Exception:
        return None
    if not hasattr(dedup, "build_index_for_campaign"):
        return None
    return dedup


def bigrams(text: str) -> set[str]:
    t = "".join(ch for ch in (text or "") if not ch.isspace())
    return {t[i : i + 2] for i in range(len(t) - 1)} if len(t) > 1 else {t} if t else set()


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(1.0, h)))


def _index_for(campaign: Any) -> Any:
    mod = _dedup_module()
    if mod is None:
        return None
    key = str(campaign.pk)
    with _lock:
        idx = _indexes.get(key)
        if idx is None:
            try:
                idx = mod.build_index_for_campaign(campaign)
            except Exception:
                return None
            _indexes[key] = idx
    return idx


def forget(campaign_id: Any = None) -> None:
    """Drop cached indexes (tests, or after bulk changes)."""
    with _lock:
        if campaign_id is None:
            _indexes.clear()
        else:
            _indexes.pop(str(campaign_id), None)


def index_add(complaint: Any) -> None:
    key = str(complaint.campaign_id)
    idx = _indexes.get(key)
    if idx is None:
        return
    try:
        idx.add(complaint.pk, complaint.text, complaint.lat, complaint.lon, complaint.polluter_name, complaint.received_at)
    except Exception:
        forget(key)


def find_similar(
    campaign: Any,
    text: str,
    *,
    lat: float | None = None,
    lon: float | None = None,
    polluter_name: str = "",
    at: dt.datetime | None = None,
    k: int = 5,
    exclude: Any = None,
    min_score: float | None = None,
) -> list[tuple[str, float]]:
    """[(complaint id, score)] best first; `min_score` lowers or raises the index's own threshold."""
    at = at or timezone.now()
    idx = _index_for(campaign)
    if idx is not None:
        try:
            hits = idx.query(text, lat, lon, polluter_name, at, k=k + 3, min_score=min_score)
            return _existing(campaign, [(str(i), float(s)) for i, s in hits if str(i) != str(exclude)])[:k]
        except Exception:
            forget(campaign.pk)
    return fallback_similar(
        campaign, text, lat=lat, lon=lon, polluter_name=polluter_name, at=at, k=k, exclude=exclude, min_score=min_score
    )


def _existing(campaign: Any, hits: list[tuple[str, float]]) -> list[tuple[str, float]]:
    from .models import Complaint

    seen: set[str] = set()
    unique = []
    for i, s in hits:
        if i not in seen:
            seen.add(i)
            unique.append((i, round(s, 3)))
    if not unique:
        return []
    ids = [i for i, _s in unique]
    alive = {str(pk) for pk in Complaint.objects.filter(campaign=campaign, pk__in=ids).values_list("pk", flat=True)}
    return [(i, s) for i, s in unique if i in alive]


def fallback_similar(
    campaign: Any,
    text: str,
    *,
    lat: float | None,
    lon: float | None,
    polluter_name: str,
    at: dt.datetime,
    k: int,
    exclude: Any = None,
    min_score: float | None = None,
) -> list[tuple[str, float]]:
    from .models import Complaint, ComplaintStatus

    floor = FALLBACK_THRESHOLD if min_score is None else min_score

    window = dt.timedelta(days=FALLBACK_WINDOW_DAYS)
    qs = Complaint.objects.filter(campaign=campaign, received_at__gte=at - window, received_at__lte=at + window).exclude(
        status=ComplaintStatus.INVALID
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    near = Q()
    if polluter_name:
        near |= Q(polluter_name=polluter_name)
    if lat is not None and lon is not None:
        d = FALLBACK_RADIUS_M / 111000.0
        near |= Q(lat__range=(lat - d, lat + d), lon__range=(lon - d * 2, lon + d * 2))
    # Without a polluter or location, any complaint of the campaign may be the same one.
    cand = qs.filter(near) if near else qs
    mine = bigrams(text)
    out: list[tuple[str, float]] = []
    for pk, other_text, plat, plon, ppol in cand.order_by("-received_at").values_list(
        "pk", "text", "lat", "lon", "polluter_name"
    )[:FALLBACK_CANDIDATES]:
        score = jaccard(mine, bigrams(other_text))
        if polluter_name and ppol == polluter_name:
            score = min(1.0, score + 0.15)
        far = (
            lat is not None
            and lon is not None
            and plat is not None
            and plon is not None
            and distance_m(lat, lon, plat, plon) > FALLBACK_RADIUS_M
        )
        if far and ppol != polluter_name:
            continue
        if score >= floor:
            out.append((str(pk), round(score, 3)))
    out.sort(key=lambda x: -x[1])
    return out[:k]
