"""Helpers shared by the accountability actions: the conditional-update claim and Idempotency-Key handling."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from inspectorate.core.idempotency import IdempotencyConflict, fingerprint, remember
from inspectorate.core.idempotency import prior_id as idempotent_hit

__all__ = ["IdempotencyConflict", "claim", "fingerprint", "idempotent_hit", "remember"]

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
