"""Idempotency-Key for the fieldwork creates: a retry with the same key and body returns the first object."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from .models import IdempotencyRecord

M = TypeVar("M", bound=models.Model)


class IdempotencyConflict(Exception):
    """The key was used before with a different body."""

    def __init__(self, key: str, object_id: str) -> None:
        super().__init__(key)
        self.key = key
        self.object_id = object_id


def body_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _hit(model: type[M], scope: str, key: str, fingerprint: str) -> M | None:
    row = IdempotencyRecord.objects.filter(client_scope=scope[:150], key=key[:200]).first()
    if row is None:
        return None
    if row.body_hash != fingerprint or row.object_type != model._meta.label_lower:
        raise IdempotencyConflict(key, row.object_id)
    return model._default_manager.filter(pk=row.object_id).first()


def once(model: type[M], scope: str, key: str | None, body: Any, create: Callable[[], M]) -> tuple[M, bool]:
    """Run `create` unless this key was seen with this body; returns (object, created)."""
    if not key:
        return create(), True
    fingerprint = body_hash(body)
    prior = _hit(model, scope, key, fingerprint)
    if prior is not None:
        return prior, False
    try:
        with transaction.atomic():
            obj = create()
            IdempotencyRecord.objects.create(
                client_scope=scope[:150],
                key=key[:200],
                body_hash=fingerprint,
                object_type=model._meta.label_lower,
                object_id=str(obj.pk),
            )
    except IntegrityError:
        prior = _hit(model, scope, key, fingerprint)
        if prior is not None:
            return prior, False
        raise
    return obj, True
