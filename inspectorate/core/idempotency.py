"""Idempotency-Key for creates, one implementation for every app: a retry with the same key and body answers the
first result; the same key with another body is a conflict (the API answers 422).

Keys live in the database (`core.CreateKey`), written in the create's own transaction, so a failed create leaves no
key behind and every process sees every key; two simultaneous first tries race on the unique constraint and the loser
answers the winner's object. A key is scoped to its client (`scope`, e.g. "user:42") and to the kind of object it
created (`resource`). Complaints keep their own table (`complaints.IdempotencyKey`), which also links the complaint.
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
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def prior_id(scope: str, resource: str, key: str | None, body_hash: str) -> str | None:
    """The id of the object created earlier under this key, None when there is no key or it is new."""
    if not key:
        return None
    row = CreateKey.objects.filter(client_scope=scope[:150], resource=resource[:60], key=key[:200]).first()
    if row is None:
        return None
    if row.body_hash != body_hash:
        raise IdempotencyConflict(key, row.object_id)
    return row.object_id


def remember(scope: str, resource: str, key: str | None, body_hash: str, object_id: Any) -> None:
    """Keep the key with the new object; call it inside the creating transaction."""
    if key:
        CreateKey.objects.create(
            client_scope=scope[:150], resource=resource[:60], key=key[:200], body_hash=body_hash, object_id=str(object_id)
        )


def create_once(
    model: type[M], *, key: str | None, scope: str, body: Any, create: Callable[[], M], resource: str | None = None
) -> tuple[M, bool]:
    """(object, created): `create()` runs unless the key was seen with this body; the key is kept with the object."""
    if not key:
        return create(), True
    resource = resource or model._meta.label_lower
    digest = fingerprint(body)

    def prior() -> M | None:
        found = prior_id(scope, resource, key, digest)
        return None if found is None else model._default_manager.filter(pk=found).first()

    earlier = prior()
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            obj = create()
            remember(scope, resource, key, digest, obj.pk)
    except IntegrityError:
        earlier = prior()
        if earlier is None:
            raise
        return earlier, False
    return obj, True
