"""Version stamps: how every process learns that data it keeps in memory has changed.

A process that builds something expensive from editable tables (the keyword dictionary, the routing
units and their polygons, the enterprise names) tags its copy with `current(name)` and, before each use,
compares the tag with `current(name)` again; any edit calls `bump(name)`.

The stamp is a random token, never a counter, so a rolled-back transaction or a restarted cache can never
bring back a token that some copy was built from. Its truth is the `VersionStamp` row, written in the
editing transaction. With a shared cache (Redis, `REDIS_URL`) readers ask the cache (one GET) and the new
token is put there when the edit commits; with the local-memory cache of the embedded set-up, which other
processes cannot see, readers ask the database (one indexed SELECT).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import VersionStamp

KEYWORDS = "complaints.keywords"
ORG_UNITS = "orgs.units"
ENTERPRISES = "orgs.enterprises"

# A token in the shared cache expires after this long and is then read again from the database: the bound
# on how long a lost cache write could hide an edit.
CACHE_SECONDS = 300
_LOCAL_BACKENDS = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


def shared_cache() -> bool:
    """True when the default cache is seen by every process (Redis, memcached, the database cache)."""
    return settings.CACHES["default"]["BACKEND"] not in _LOCAL_BACKENDS


def _key(name: str) -> str:
    return f"stamp:{name}"


def _stored(names: tuple[str, ...]) -> dict[str, str]:
    found = dict(VersionStamp.objects.filter(name__in=names).values_list("name", "token"))
    return {n: found.get(n, "") for n in names}


def current(*names: str) -> tuple[str, ...]:
    """The current tokens of these stamps ("" for a stamp never bumped), in the order asked."""
    if not shared_cache():
        stored = _stored(names)
        return tuple(stored[n] for n in names)
    cached = cache.get_many([_key(n) for n in names])
    missing = tuple(n for n in names if _key(n) not in cached)
    if missing:
        for n, token in _stored(missing).items():
            cache.add(_key(n), token, CACHE_SECONDS)  # a concurrent bump's newer token wins over this one
            cached[_key(n)] = cache.get(_key(n), token)
    return tuple(cached[_key(n)] for n in names)


def bump(*names: str) -> None:
    """Give these stamps new tokens (inside the caller's transaction; the shared cache learns them on commit)."""
    now = timezone.now()
    for name in names:
        token = uuid.uuid4().hex
        if not VersionStamp.objects.filter(name=name).update(token=token, changed_at=now):
            try:
                with transaction.atomic():
                    VersionStamp.objects.create(name=name, token=token, changed_at=now)
            except IntegrityError:  # created by a concurrent bump: overwrite it
                VersionStamp.objects.filter(name=name).update(token=token, changed_at=now)
    if shared_cache():
        transaction.on_commit(lambda: _publish(names))


def _publish(names: tuple[str, ...]) -> None:
    # The committed token, read again: of two bumps finishing together the later commit's token is published.
    cache.set_many({_key(n): token for n, token in _stored(names).items()}, CACHE_SECONDS)
