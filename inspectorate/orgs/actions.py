"""State changes for org units and enterprises: each checks permission, runs atomically and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from .models import Enterprise, OrgUnit


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
