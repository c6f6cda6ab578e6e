from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspectorate.accounts.scoping import restrict

from .models import Enterprise, OrgUnit, UnitType


def units_for(user: Any, action: str = "view") -> QuerySet[OrgUnit]:
    return restrict(OrgUnit.objects.select_related("parent"), user, action)


def enterprises_for(user: Any, action: str = "view") -> QuerySet[Enterprise]:
    return restrict(Enterprise.objects.select_related("org_unit", "enterprise_unit"), user, action)


def departments_for(user: Any, action: str = "view") -> QuerySet[OrgUnit]:
    """Implementing departments (units of type "department") in the user's scope."""
    return restrict(OrgUnit.objects.filter(unit_type=UnitType.DEPARTMENT).select_related("parent"), user, action)
