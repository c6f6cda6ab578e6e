"""Helpers shared by the fieldwork actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _


def under_targets(campaign: Any, unit: Any, field: str) -> None:
    """The unit must lie under one of the campaign's targets."""
    if unit is None or not any(unit.path.startswith(p) for p in campaign.target_paths()):
        raise ValidationError({field: _("The unit is not under this campaign's targets.")})


def next_number(qs: Any) -> int:
    return int(qs.aggregate(m=Max("number"))["m"] or 0) + 1


def actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
