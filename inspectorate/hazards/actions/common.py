"""Helpers shared by the hazards actions: the conditional status update and the idempotency store."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.idempotency import IdempotencyConflict, fingerprint, remember
from inspectorate.core.idempotency import prior_id as prior_result

from ..models import DangerStatus, HiddenDanger

__all__ = [
    "OPEN_STATES", "IdempotencyConflict", "claim", "fingerprint", "prior_result", "remember", "require_status",
]  # fmt: skip


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


OPEN_STATES = (DangerStatus.OPEN, DangerStatus.RECTIFYING, DangerStatus.PENDING_VERIFICATION)
