"""Scoped reads of the kpi app (one line each)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspectorate.accounts.scoping import restrict

from .models import Adjustment, Scheme, Score


def schemes_for(user: Any, action: str = "view") -> QuerySet[Scheme]:
    return restrict(Scheme.objects.select_related("owner_unit"), user, action)


def scores_for(user: Any, action: str = "view") -> QuerySet[Score]:
    return restrict(Score.objects.select_related("scheme", "unit", "scheme__owner_unit"), user, action)


def adjustments_for(user: Any, action: str = "view") -> QuerySet[Adjustment]:
    return restrict(Adjustment.objects.select_related("indicator", "made_by"), user, action)
