"""Helpers shared by the hazards actions: the conditional status update and the idempotency store."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ClientKey, DangerStatus, HiddenDanger


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""

    def __init__(self, key: str, object_id: Any) -> None:
        super().__init__(key)
        self.key = key
        self.object_id = object_id


def claim(danger: HiddenDanger, *, statuses: tuple[str, ...], **changes: Any) -> HiddenDanger:
    """Move a danger with a conditional UPDATE … WHERE status IN statuses: of two simultaneous callers exactly one wins."""
    if HiddenDanger.objects.filter(pk=danger.pk, status__in=statuses).update(**changes, updated_at=timezone.now()) != 1:
        raise ValidationError(
            _("The hidden danger is no longer at this step (someone else may have acted on it first). Reload and try again.")
        )
    for key, value in changes.items():
        setattr(danger, key, value)
    return danger


def require_status(danger: HiddenDanger, *statuses: str) -> None:
    if danger.status not in statuses:
        raise ValidationError(
            _("This step is not possible while the hidden danger is “%(status)s”.") % {"status": danger.get_status_display()}
        )


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def prior_result(scope: str, kind: str, key: str | None, body_hash: str) -> Any:
    """The object id a previous call with this key created (None when the key is new); a different body raises."""
    if not key:
        return None
    row = ClientKey.objects.filter(scope=scope[:150], kind=kind, key=key[:200]).first()
    if row is None:
        return None
    if row.body_hash != body_hash:
        raise IdempotencyConflict(key, row.object_id)
    return row.object_id


def remember(scope: str, kind: str, key: str | None, body_hash: str, object_id: Any) -> None:
    if key:
        ClientKey.objects.create(scope=scope[:150], kind=kind, key=key[:200], body_hash=body_hash, object_id=object_id)


OPEN_STATES = (DangerStatus.OPEN, DangerStatus.RECTIFYING, DangerStatus.PENDING_VERIFICATION)
