"""State changes for org units and enterprises: each checks permission, runs atomically and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from .models import Enterprise, OrgUnit, UnitType


def _check_parent(actor: Any, parent: OrgUnit | None) -> None:
    """New roots are for superusers; anything else needs orgs.manage on the parent."""
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied("orgs.manage")
        return
    authorize(actor, "orgs.manage", parent)


def create_unit(*, actor: Any, **fields: Any) -> OrgUnit:
    unit = OrgUnit(**fields)
    _check_parent(actor, unit.parent)
    with transaction.atomic():
        unit.full_clean(exclude=["path"])
        unit.save()
        audit.record(actor, "org_unit.create", unit, after=snapshot(unit))
    return unit


def update_unit(unit: OrgUnit, *, actor: Any, reason: str = "", **changes: Any) -> OrgUnit:
    authorize(actor, "orgs.manage", unit)
    before = snapshot(unit)
    for key, value in changes.items():
        setattr(unit, key, value)
    if "parent" in changes:
        _check_parent(actor, unit.parent)
    with transaction.atomic():
        unit.full_clean(exclude=["path"])
        unit.save()
        audit.record(actor, "org_unit.update", unit, before=before, after=snapshot(unit), reason=reason)
    return unit


def create_enterprise(*, actor: Any, **fields: Any) -> Enterprise:
    ent = Enterprise(**fields)
    authorize(actor, "orgs.manage", ent.org_unit)
    with transaction.atomic():
        ent.full_clean()
        ent.save()
        audit.record(actor, "enterprise.create", ent, after=snapshot(ent))
    return ent


def update_enterprise(ent: Enterprise, *, actor: Any, reason: str = "", **changes: Any) -> Enterprise:
    authorize(actor, "orgs.manage", ent.org_unit)
    before = snapshot(ent)
    for key, value in changes.items():
        setattr(ent, key, value)
    if "org_unit" in changes:
        authorize(actor, "orgs.manage", ent.org_unit)
    with transaction.atomic():
        ent.full_clean()
        ent.save()
        audit.record(actor, "enterprise.update", ent, before=before, after=snapshot(ent), reason=reason)
    return ent


# -- implementing departments, kept by the target's liaison office ("departments.manage") ---------------------
DEPARTMENT_FIELDS = frozenset({"code", "name_zh", "name_en"})


def _department_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - DEPARTMENT_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))


def create_department(*, actor: Any, parent: OrgUnit, **fields: Any) -> OrgUnit:
    """A department under `parent` (same kind as the parent); needs departments.manage on the parent."""
    _department_fields(fields)
    authorize(actor, "departments.manage", parent)
    unit = OrgUnit(parent=parent, kind=parent.kind, unit_type=UnitType.DEPARTMENT, **fields)
    with transaction.atomic():
        unit.full_clean(exclude=["path"])
        unit.save()
        audit.record(actor, "department.create", unit, after=snapshot(unit))
    return unit


def _require_department(unit: OrgUnit) -> None:
    if unit.unit_type != UnitType.DEPARTMENT:
        raise ValidationError(_("Only departments are kept here; other units are changed by an administrator."))


def update_department(unit: OrgUnit, *, actor: Any, reason: str = "", **changes: Any) -> OrgUnit:
    _department_fields(changes)
    authorize(actor, "departments.manage", unit)
    _require_department(unit)
    if not unit.active:
        raise ValidationError(_("This department has been ended; its record is kept as it was."))
    before = snapshot(unit)
    for key, value in changes.items():
        setattr(unit, key, value)
    with transaction.atomic():
        unit.full_clean(exclude=["path"])
        unit.save()
        audit.record(actor, "department.update", unit, before=before, after=snapshot(unit), reason=reason)
    return unit


def end_department(unit: OrgUnit, *, actor: Any, reason: str = "") -> OrgUnit:
    """Mark a department inactive: tasks keep it, new tasks cannot name it. Nothing is deleted."""
    authorize(actor, "departments.manage", unit)
    _require_department(unit)
    before = snapshot(unit)
    with transaction.atomic():
        if OrgUnit.objects.filter(pk=unit.pk, active=True).update(active=False) != 1:
            raise ValidationError(_("This department has already been ended."))
        unit.active = False
        audit.record(actor, "department.end", unit, before=before, after=snapshot(unit), reason=reason)
    return unit
