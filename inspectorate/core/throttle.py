"""Counting attempts per key in a sliding window: wrong tracking secrets per client address and per receipt code,
public submissions per address. The counts are rows in the database (`ThrottleHit`), so several app processes
agree on them; nothing is held in one process's memory.

    TRACK_BY_ADDRESS = Limit("track-address", 10, dt.timedelta(minutes=15))
    if exceeded(TRACK_BY_ADDRESS, address): refuse (429)
    ... on a wrong secret: hit(TRACK_BY_ADDRESS, address)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.utils import timezone

from .models import ThrottleHit


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window: dt.timedelta


def _hash(limit: Limit, key: str) -> str:
    return hashlib.sha256(f"{limit.scope}\0{key}".encode()).hexdigest()


def count(limit: Limit, key: str, *, now: dt.datetime | None = None) -> int:
    since = (now or timezone.now()) - limit.window
    return ThrottleHit.objects.filter(scope=limit.scope, key_hash=_hash(limit, key), at__gt=since).count()


def exceeded(limit: Limit, key: str, *, now: dt.datetime | None = None) -> bool:
    """True once `key` has `max_hits` attempts within the window."""
    return count(limit, key, now=now) >= limit.max_hits


def hit(limit: Limit, key: str, *, now: dt.datetime | None = None) -> None:
    """Count one attempt (and drop this scope's attempts that have left the window)."""
    now = now or timezone.now()
    ThrottleHit.objects.filter(scope=limit.scope, at__lte=now - limit.window).delete()
    ThrottleHit.objects.create(scope=limit.scope, key_hash=_hash(limit, key), at=now)


def clear(limit: Limit, key: str) -> None:
    ThrottleHit.objects.filter(scope=limit.scope, key_hash=_hash(limit, key)).delete()
