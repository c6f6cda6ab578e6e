"""Idempotency-Key on this app's creates: a retry with the same key and body answers the first result.

The key is stored in the create's own transaction, so a failed create leaves no key behind; two simultaneous
first tries race on the unique constraint and the loser answers the winner's object.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model

from .models import CreateKey

M = TypeVar("M", bound=Model)


class IdempotencyConflict(Exception):
    """The key was used before with a different body."""

    def __init__(self, key: str, object_id: Any) -> None:
        super().__init__(key)
        self.key = key
        self.object_id = object_id


def fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _prior(model: type[M], scope: str, resource: str, key: str, digest: str) -> M | None:
    row = CreateKey.objects.filter(client_scope=scope, resource=resource, key=key).first()
    if row is None:
        return None
    if row.body_hash != digest:
        raise IdempotencyConflict(key, row.object_id)
    return model._default_manager.get(pk=row.object_id)


def create_once(
    model: type[M], *, key: str | None, scope: str, resource: str, body: Any, create: Callable[[], M]
) -> tuple[M, bool]:
    """(object, created): `create()` runs unless the key was seen; the key is kept with the new object."""
    if not key:
        return create(), True
    key, scope = key[:200], scope[:150]
    digest = fingerprint(body)
    prior = _prior(model, scope, resource, key, digest)
    if prior is not None:
        return prior, False
    try:
        with transaction.atomic():
            obj = create()
            CreateKey.objects.create(client_scope=scope, resource=resource, key=key, body_hash=digest, object_id=obj.pk)
    except IntegrityError:
        prior = _prior(model, scope, resource, key, digest)
        if prior is None:
            raise
        return prior, False
    return obj, True
