"""Scoped reads: one line each through `restrict()`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspectorate.accounts.scoping import restrict

from .models import (
    EnterpriseVisit,
    Facility,
    FacilityLog,
    FacilityWarning,
    MaintenancePlan,
    MaintenanceRecord,
    Project,
    VisitRequest,
)


def facilities_for(user: Any, action: str = "view") -> QuerySet[Facility]:
    return restrict(Facility.objects.select_related("unit", "enterprise"), user, action)


def logs_for(user: Any, action: str = "view") -> QuerySet[FacilityLog]:
    return restrict(FacilityLog.objects.select_related("facility", "facility__unit"), user, action)


def plans_for(user: Any, action: str = "view") -> QuerySet[MaintenancePlan]:
    return restrict(MaintenancePlan.objects.select_related("facility"), user, action)


def maintenance_for(user: Any, action: str = "view") -> QuerySet[MaintenanceRecord]:
    return restrict(MaintenanceRecord.objects.select_related("facility", "plan"), user, action)


def warnings_for(user: Any, action: str = "view") -> QuerySet[FacilityWarning]:
    return restrict(FacilityWarning.objects.select_related("facility", "facility__unit", "plan"), user, action)


def projects_for(user: Any, action: str = "view") -> QuerySet[Project]:
    return restrict(Project.objects.select_related("unit", "enterprise"), user, action)


def visits_for(user: Any, action: str = "view") -> QuerySet[EnterpriseVisit]:
    return restrict(EnterpriseVisit.objects.select_related("government_unit", "enterprise_unit"), user, action)


def visit_requests_for(user: Any, action: str = "view") -> QuerySet[VisitRequest]:
    return restrict(VisitRequest.objects.select_related("visit", "owner_unit"), user, action)
