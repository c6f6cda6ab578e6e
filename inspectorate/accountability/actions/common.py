"""Helpers shared by the accountability actions: the conditional-update claim and Idempotency-Key handling."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from ..models import IdempotencyKey

M = TypeVar("M", bound=models.Model)


def claim(obj: M, *, statuses: tuple[str, ...], **changes: Any) -> M:
    """Move `obj` with a conditional UPDATE … WHERE status IN statuses: of two concurrent callers exactly one wins."""
    if type(obj)._default_manager.filter(pk=obj.pk, status__in=statuses).update(**changes) != 1:
        raise ValidationError(
            _("This record is no longer at this step (someone else may have acted on it first). Reload and try again.")
        )
    for key, value in changes.items():
        setattr(obj, key, value)
    return obj


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""

    def __init__(self, key: str, object_id: Any) -> None:
        super().__init__(key)
        self.key = key
        self.object_id = object_id


def fingerprint(payload: Any) -> str:
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def idempotent_hit(scope: str, kind: str, key: str, body_hash: str) -> Any:
    """The id created earlier under this key, None when the key is new; IdempotencyConflict for another body."""
    row = IdempotencyKey.objects.filter(client_scope=scope[:150], kind=kind, key=key[:200]).first()
    if row is None:
        return None
    if row.body_hash != body_hash:
        raise IdempotencyConflict(key, row.object_id)
    return row.object_id


def remember(scope: str, kind: str, key: str, body_hash: str, object_id: Any) -> None:
    """Store the key in the creating transaction (a concurrent duplicate fails the unique constraint and rolls back)."""
    IdempotencyKey.objects.create(client_scope=scope[:150], kind=kind, key=key[:200], body_hash=body_hash, object_id=object_id)
