"""Open311 keys: issue, revoke, recognise, rate-limit.

Issuing a key bound to a campaign needs `campaigns.change` on that campaign (its team leader, an
administrator); revoking needs it on any of the key's campaigns. Both are audited. The per-minute
counters live in the shared (`default`) cache, keyed per key and minute, so that every process of
the site counts the same requests.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot
from inspectorate.core.text import strip_controls

from .models import Open311Key, hash_key, new_key

MAX_RATE_LIMIT = 10_000
WINDOW_SECONDS = 60


def _clean_fields(name: str, contact: str, campaigns: list[Any], rate_limit: Any) -> tuple[str, str, int]:
    errors: dict[str, str] = {}
    name = strip_controls(name or "").strip()
    contact = strip_controls(contact or "").strip()
    if not name:
        errors["name"] = _("Name the client application.")
    elif len(name) > 100:
        errors["name"] = _("The name is too long (at most %(n)d characters).") % {"n": 100}
    if not contact:
        errors["contact"] = _("Say who runs the application and how to reach them.")
    elif len(contact) > 200:
        errors["contact"] = _("The contact is too long (at most %(n)d characters).") % {"n": 200}
    if not campaigns:
        errors["campaigns"] = _("Bind the key to at least one campaign.")
    try:
        limit = int(rate_limit)
    except (TypeError, ValueError):
        limit = 0
    if not (1 <= limit <= MAX_RATE_LIMIT):
        errors["rate_limit"] = _("The rate limit must be a whole number from 1 to %(n)d per minute.") % {"n": MAX_RATE_LIMIT}
    if errors:
        raise ValidationError(errors)
    return name, contact, limit


def create_key(*, name: str, contact: str, campaigns: Iterable[Any], actor: Any, rate_limit: Any = 30) -> tuple[Open311Key, str]:
    """Issue a key for a client application; returns it and the plain key (shown once, never stored)."""
    bound = list(campaigns)
    name, contact, limit = _clean_fields(name, contact, bound, rate_limit)
    for campaign in bound:
        authorize(actor, "campaigns.change", campaign)
    key = new_key()
    with transaction.atomic():
        obj = Open311Key.objects.create(
            name=name,
            contact=contact,
            prefix=key[:12],
            key_hash=hash_key(key),
            rate_limit=limit,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        obj.campaigns.set(bound)
        audit.record(
            actor, "open311key.create", obj, after=snapshot(obj, ["name", "contact", "prefix", "rate_limit", "campaigns"])
        )
    return obj, key


def revoke_key(key: Open311Key, *, actor: Any, reason: str = "") -> Open311Key:
    """Revoke a key at once; of two simultaneous revocations exactly one is recorded."""
    if not any(can(actor, "campaigns.change", c) for c in key.campaigns.all()):
        raise PermissionDenied("open311key.revoke")
    now = timezone.now()
    with transaction.atomic():
        claimed = Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now)
        if not claimed:
            raise ValidationError(_("This key has already been revoked."))
        key.revoked_at = now
        audit.record(actor, "open311key.revoke", key, before={"revoked_at": None}, after={"revoked_at": now}, reason=reason)
    return key


def key_for(plain: str) -> Open311Key | None:
    """The active key for a plain `api_key`, or None (unknown, revoked, or not an Open311 key at all)."""
    plain = (plain or "").strip()
    if not plain:
        return None
    return Open311Key.objects.filter(key_hash=hash_key(plain), revoked_at__isnull=True).first()


def mark_used(key: Open311Key) -> None:
    """Remember when the key was last used (at most once a minute, to spare the row)."""
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() >= WINDOW_SECONDS:
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)


def take_request(key: Open311Key, *, now: float | None = None) -> bool:
    """Count one request against the key's per-minute limit; False when the limit is already used up."""
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    counter = f"open311-rate:{key.pk}:{window}"
    cache.add(counter, 0, WINDOW_SECONDS * 2)
    try:
        used = cache.incr(counter)
    except ValueError:  # expired between add and incr: this request opens a new count
        cache.set(counter, 1, WINDOW_SECONDS * 2)
        used = 1
    return used <= key.rate_limit


def seconds_to_next_window(now: float | None = None) -> int:
    current = time.time() if now is None else now
    return max(1, int(WINDOW_SECONDS - current % WINDOW_SECONDS))
