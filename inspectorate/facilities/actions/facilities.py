"""The facility registry and its maintenance: create and change facilities, plans, records (all audited)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from ..models import Facility, MaintenancePlan, MaintenanceRecord

FACILITY_FIELDS = frozenset(
    {"name", "facility_type", "unit", "enterprise", "lat", "lon", "commissioned_on", "capacity", "capacity_unit", "active"}
)
PLAN_FIELDS = frozenset({"title", "interval_days", "starts_on", "active"})


def _only(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))


def _check_links(actor: Any, facility: Facility) -> None:
    authorize(actor, "facilities.manage", facility.unit)
    if facility.enterprise is not None:
        authorize(actor, "view", facility.enterprise)
    if facility.commissioned_on and facility.commissioned_on > timezone.localdate():
        raise ValidationError({"commissioned_on": _("The commissioning date cannot be in the future.")})


def create_facility(*, actor: Any, **fields: Any) -> Facility:
    _only(fields, FACILITY_FIELDS)
    facility = Facility(**fields)
    _check_links(actor, facility)
    with transaction.atomic():
        facility.full_clean()
        facility.save()
        audit.record(actor, "facility.create", facility, after=snapshot(facility))
    return facility


def update_facility(facility: Facility, *, actor: Any, reason: str = "", **changes: Any) -> Facility:
    authorize(actor, "facilities.manage", facility)
    _only(changes, FACILITY_FIELDS)
    before = snapshot(facility)
    for key, value in changes.items():
        setattr(facility, key, value)
    _check_links(actor, facility)
    with transaction.atomic():
        facility.full_clean()
        facility.save()
        audit.record(actor, "facility.update", facility, before=before, after=snapshot(facility), reason=reason)
    return facility


def create_plan(facility: Facility, *, actor: Any, **fields: Any) -> MaintenancePlan:
    authorize(actor, "facilities.manage", facility)
    _only(fields, PLAN_FIELDS)
    plan = MaintenancePlan(facility=facility, **fields)
    with transaction.atomic():
        plan.full_clean()
        plan.save()
        audit.record(actor, "maintenance_plan.create", plan, after=snapshot(plan))
    return plan


def record_maintenance(
    facility: Facility,
    *,
    actor: Any,
    done_on: Any,
    description: str,
    plan: MaintenancePlan | None = None,
    performed_by: str = "",
) -> MaintenanceRecord:
    authorize(actor, "facilities.log", facility)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Maintenance cannot be recorded for a future date.")})
    if plan is not None and plan.facility_id != facility.pk:
        raise ValidationError({"plan": _("This maintenance plan belongs to another facility.")})
    rec = MaintenanceRecord(
        facility=facility, plan=plan, done_on=done_on, description=description, performed_by=performed_by, recorded_by=actor
    )
    with transaction.atomic():
        rec.full_clean()
        rec.save()
        audit.record(actor, "maintenance.record", rec, after=snapshot(rec))
    return rec


def next_due(plan: MaintenancePlan) -> Any:
    """The next due date of a plan: its start, or the last record's date plus the interval."""
    import datetime as dt

    last = plan.records.order_by("-done_on").values_list("done_on", flat=True).first()
    if last is None:
        return plan.starts_on
    return max(plan.starts_on, last + dt.timedelta(days=plan.interval_days))
