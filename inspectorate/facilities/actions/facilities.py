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
        if plan is not None:
            _resolve_overdue(plan, rec, actor)
    return rec


def _resolve_overdue(plan: MaintenancePlan, rec: MaintenanceRecord, actor: Any) -> None:
    """A record for the plan resolves the open overdue warnings whose due date it supersedes (they stay on record)."""
    from ..models import FacilityWarning

    due = next_due(plan)
    for w in FacilityWarning.objects.filter(plan=plan, resolved_at__isnull=True, day__lt=due):
        w.resolved_at = timezone.now()
        w.save(update_fields=["resolved_at"])
        audit.record(actor, "facility_warning.resolve_maintenance", w, after={"resolved_at": w.resolved_at, "by_record": rec.pk})


def next_due(plan: MaintenancePlan) -> Any:
    """The next due date of a plan: its start, or the last record's date plus the interval."""
    import datetime as dt

    last = plan.records.order_by("-done_on").values_list("done_on", flat=True).first()
    if last is None:
        return plan.starts_on
    return max(plan.starts_on, last + dt.timedelta(days=plan.interval_days))


def check_overdue_maintenance(day: Any, now: Any = None) -> dict[str, Any]:
    """Warn for every active plan (of a facility in service) whose next due date is before `day` with no record
    since: one warning per plan and missed due date, so a rerun the same day -- or the next days, while the same
    due date stays missed -- raises nothing twice. A record for the plan resolves it (`record_maintenance`)."""
    from ..models import FacilityWarning, WarningKind

    now = now or timezone.now()
    raised = 0
    plans = MaintenancePlan.objects.filter(active=True, facility__active=True).select_related("facility")
    for plan in plans.order_by("pk"):
        due = next_due(plan)
        if due >= day:
            continue
        with transaction.atomic():
            w, created = FacilityWarning.objects.get_or_create(
                plan=plan,
                day=due,
                defaults={"facility": plan.facility, "kind": WarningKind.MAINTENANCE_OVERDUE, "raised_at": now},
            )
            if created:
                raised += 1
                audit.record(
                    "system:maintenance_check", "facility_warning.maintenance", w,
                    after={"kind": w.kind, "plan": plan.title, "due": due},
                )  # fmt: skip
    return {"day": day.isoformat(), "raised": raised}
