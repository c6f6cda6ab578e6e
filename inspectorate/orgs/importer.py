"""Import of org units from CSV/xlsx: all rows are checked first; nothing is saved if any is bad."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot
from inspectorate.core.tabular import ImportReport, TableError, read_table

from .models import OrgUnit, UnitKind, UnitType

COLUMNS = ["code", "parent_code", "kind", "unit_type", "name_zh", "name_en"]
REQUIRED = ["code", "kind", "unit_type", "name_zh"]


def import_units(data: bytes | IO[bytes], filename: str, *, actor: Any) -> ImportReport:
    report = ImportReport()
    try:
        rows = read_table(data, filename, REQUIRED)
    except TableError as exc:
        report.add(1, "", str(exc))
        return report
    existing = {u.code: u for u in OrgUnit.objects.all()}
    seen: dict[str, int] = {}
    kinds, types = set(UnitKind.values), set(UnitType.values)
    file_codes = {r.get("code", "") for _, r in rows}
    for number, r in rows:
        code = r.get("code", "")
        if not code:
            report.add(number, "code", _("A code is required."))
        elif code in seen:
            report.add(
                number, "code", _("Code %(code)s appears again (first on row %(row)s).") % {"code": code, "row": seen[code]}
            )
        else:
            seen[code] = number
        if r.get("kind") not in kinds:
            report.add(
                number, "kind", _("Unknown kind %(v)r; use one of %(ok)s.") % {"v": r.get("kind"), "ok": ", ".join(sorted(kinds))}
            )
        if r.get("unit_type") not in types:
            report.add(
                number,
                "unit_type",
                _("Unknown type %(v)r; use one of %(ok)s.") % {"v": r.get("unit_type"), "ok": ", ".join(sorted(types))},
            )
        if not r.get("name_zh"):
            report.add(number, "name_zh", _("A Chinese name is required."))
        parent = r.get("parent_code", "")
        if parent and parent not in existing and parent not in file_codes:
            report.add(number, "parent_code", _("Parent %(code)s is neither in the file nor in the database.") % {"code": parent})
        if parent and parent == code:
            report.add(number, "parent_code", _("A unit cannot be its own parent."))
    if report.errors:
        return report
    # Parents first: order rows so each parent is saved before its children; a cycle leaves rows unplaced.
    pending = {r["code"]: (number, r) for number, r in rows}
    ordered: list[tuple[int, dict[str, str]]] = []
    placed = set(existing)
    while pending:
        ready = [
            c
            for c, (_n, r) in pending.items()
            if not r.get("parent_code") or (r["parent_code"] in placed and r["parent_code"] not in pending)
        ]
        if not ready:
            for c, (number, _r) in pending.items():
                report.add(number, "parent_code", _("Unit %(code)s is part of a parent cycle.") % {"code": c})
            return report
        for c in ready:
            ordered.append(pending.pop(c))
            placed.add(c)
    try:
        with transaction.atomic():
            for number, r in ordered:
                parent_unit = existing.get(r.get("parent_code", "")) if r.get("parent_code") else None
                if parent_unit is not None:
                    authorize(actor, "orgs.manage", parent_unit)
                elif not getattr(actor, "is_superuser", False):
                    report.add(number, "parent_code", _("Only a superuser can create top-level units."))
                    continue
                unit = existing.get(r["code"])
                if unit is not None:
                    authorize(actor, "orgs.manage", unit)
                    before = snapshot(unit)
                    created = False
                else:
                    unit = OrgUnit(code=r["code"])
                    before = None
                    created = True
                unit.kind, unit.unit_type = r["kind"], r["unit_type"]
                unit.name_zh, unit.name_en = r["name_zh"], r.get("name_en", "")
                unit.parent = parent_unit
                if not created and parent_unit is not None and parent_unit.path.startswith(unit.path):
                    report.add(number, "parent_code", _("This parent is inside the unit's own subtree: that would make a cycle."))
                    continue
                unit.save()
                existing[unit.code] = unit
                audit.record(actor, "org_unit.import", unit, before=before, after=snapshot(unit))
                if created:
                    report.created += 1
                else:
                    report.updated += 1
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = report.updated = 0
    return report


class _Rollback(Exception):
    pass
