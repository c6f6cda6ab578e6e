"""What Open311 may show of a complaint: only what the team has approved for publication.

The publication rule is the disclosure tables' (DOMAIN.md §4.2): a complaint is public once the case
it belongs to (its own, the case it was merged into, or the case of the complaint it duplicates) has a
row in the latest *published* version of its batch's results table (一览表). Until then nothing of it
is listed. Its record then carries what that row carries: the redacted case summary (passed through
the same redaction again, so later redaction rules apply to old rows too), the handling unit, the
verdict and result status, the due date, and the region instead of any address. Coordinates are the
polluter's registered location when the complaint names a registered enterprise that has one, else
the reporter's point rounded to about 100 m.

A request looked up by its id (known only to the client that posted it, or through the receipt code)
answers before publication too, but only with its status: no text, no place, no coordinates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspectorate.complaints.models import (
    Case,
    Complaint,
    ComplaintStatus,
    DisclosureTable,
    ResultStatus,
    Verdict,
)
from inspectorate.complaints.redact import summarise
from inspectorate.complaints.selectors import published_tables

from .services import SERVICES, service_for

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
COORD_DIGITS = 3  # about 100 m: enough to find the place, not a doorstep
DESCRIPTION_LIMIT = 4000  # the GeoReport schema's maxLength

# (table, row) of the latest published results table that lists a case.
Publication = tuple[DisclosureTable, dict[str, Any]]


def iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds") if value else None


def complaints() -> QuerySet[Complaint]:
    return Complaint.objects.select_related(
        "case__merged_into", "duplicate_of__case__merged_into", "polluter"
    )  # fmt: skip


def published_only(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Narrow to complaints whose case's batch has a published table (the exact row is checked by publications())."""
    batches = DisclosureTable.objects.filter(status=DisclosureTable.Status.PUBLISHED).values("batch_id")
    return qs.filter(
        Q(case__batch_id__in=batches) | Q(case__merged_into__batch_id__in=batches) | Q(duplicate_of__case__batch_id__in=batches)
    )


def case_of(c: Complaint) -> Case | None:
    case = c.case
    if case is None and c.duplicate_of_id is not None and c.duplicate_of is not None:
        case = c.duplicate_of.case
    hops = 0
    while case is not None and case.merged_into_id is not None and hops < 5:
        case = case.merged_into
        hops += 1
    return case


def publications(rows: list[Complaint]) -> dict[Any, Publication]:
    """complaint pk → (table, row) for those of `rows` listed in their batch's latest published table (one query)."""
    cases = {c.pk: case_of(c) for c in rows}
    batch_ids = {case.batch_id for case in cases.values() if case is not None and case.batch_id}
    latest: dict[Any, tuple[DisclosureTable, dict[str, dict[str, Any]]]] = {}
    if batch_ids:
        for table in published_tables().filter(batch_id__in=batch_ids).order_by("batch_id", "-version"):
            if table.batch_id not in latest:
                latest[table.batch_id] = (table, {str(r.get("number")): r for r in table.rows})
    out: dict[Any, Publication] = {}
    for pk, case in cases.items():
        if case is None or case.batch_id not in latest:
            continue
        table, by_number = latest[case.batch_id]
        row = by_number.get(case.number)
        if row is not None:
            out[pk] = (table, row)
    return out


def _label(choices: Any, value: Any) -> str | None:
    return str(choices(value).label) if value in choices.values else None


def public_point(c: Complaint) -> tuple[float | None, float | None]:
    polluter = c.polluter
    if polluter is not None and polluter.lat is not None and polluter.lon is not None:
        return float(polluter.lat), float(polluter.lon)
    if c.lat is None or c.lon is None:
        return None, None
    return round(c.lat, COORD_DIGITS), round(c.lon, COORD_DIGITS)


def _empty(c: Complaint, code: str) -> dict[str, Any]:
    return {
        "service_request_id": str(c.pk),
        "status": "open",
        "status_notes": None,
        "service_name": SERVICES[code].name,
        "service_code": code,
        "description": None,
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": iso(c.received_at),
        "updated_datetime": None,
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def as_request(c: Complaint, publication: Publication | None) -> dict[str, Any]:
    """The GeoReport record of a complaint: in full once published, else its status only."""
    if publication is None:
        out = _empty(c, service_for(c.type_hints, c.pollution_types or c.suggested_types))
        if c.status == ComplaintStatus.INVALID:
            out["status"], out["status_notes"] = "closed", _("Not accepted for handling.")
        else:
            out["status_notes"] = _("Received. Details are shown here once the inspection team publishes the result.")
        return out
    table, row = publication
    code = service_for(row.get("pollution_types") or c.pollution_types or c.suggested_types, c.type_hints)
    out = _empty(c, code)
    result = row.get("status") or ResultStatus.OPEN
    notes = [n for n in (_label(Verdict, row.get("verdict")), _label(ResultStatus, result)) if n]
    due = row.get("next_step_date") if result == ResultStatus.STAGED_CLOSED else row.get("due_date")
    region = row.get("region_en") if (get_language() or "").startswith("en") and row.get("region_en") else row.get("region")
    lat, lon = public_point(c)
    out.update(
        {
            "status": "closed" if result == ResultStatus.CLOSED else "open",
            "status_notes": "; ".join(notes) if row.get("verdict") else _("Being handled."),
            "description": summarise(row.get("summary") or "", (c.reporter_name, c.reporter_phone), limit=DESCRIPTION_LIMIT)
            or None,
            "agency_responsible": row.get("handling_unit") or None,
            "service_notice": _("Published in the results table of transfer batch %(n)s (version %(v)s).")
            % {"n": table.batch.number, "v": table.version},
            "updated_datetime": iso(table.published_at),
            "expected_datetime": iso(dt.datetime.combine(dt.date.fromisoformat(due), dt.time(23, 59, 59), tzinfo=SHANGHAI))
            if due
            else None,
            "address": region or None,
            "lat": lat,
            "long": lon,
        }
    )
    return out
