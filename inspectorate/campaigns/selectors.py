from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspectorate.accounts.scoping import restrict

from .models import Campaign


def campaigns_for(user: Any, action: str = "view") -> QuerySet[Campaign]:
    return restrict(
        Campaign.objects.select_related("inspecting_unit", "team", "team__leader", "parent").prefetch_related("targets"),
        user,
        action,
    )
