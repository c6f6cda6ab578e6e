"""Daily cut-off into batches, transfer (交办), acknowledgement, dispatch, disclosure."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot
from inspectorate.campaigns.models import DayUnit
from inspectorate.core import calendar
from inspectorate.orgs.models import OrgUnit

from ..models import Case, CaseStatus, DisclosureTable, HandlingResult, TransferBatch, TransferNotice
from ..redact import redact_row, reporter_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
logger = logging.getLogger(__name__)


def due_date_for(campaign: Any, transferred_on: dt.date) -> tuple[dt.date, str, bool]:
    """(due date, rule text, estimated) from the campaign's reply rule (DOMAIN.md §5)."""
    n = campaign.reply_days or 10
    if campaign.reply_day_unit == DayUnit.WORKING:
        wd = calendar.add_working_days(transferred_on, n)
        return dt.date(wd.year, wd.month, wd.day), f"transfer + {n} working days", bool(wd.estimated)
    return transferred_on + dt.timedelta(days=n), f"transfer + {n} calendar days", False


def close_intake_day(campaign: Any, day: dt.date, *, actor: Any, at: dt.datetime | None = None) -> TransferBatch:
    """Freeze the registered cases up to `day`'s cut-off into the campaign's next batch."""
    from inspectorate.campaigns.models import Campaign

    authorize(actor, "batches.create", Campaign.objects.get(pk=campaign.pk))
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update()
            .filter(campaign=campaign, status=CaseStatus.REGISTERED, batch__isnull=True, intake_day__lte=day)
            .order_by("number")
        )
        if not cases:
            raise ValidationError(_("No registered cases wait for a batch up to %(d)s.") % {"d": day.isoformat()})
        last = TransferBatch.objects.filter(campaign=campaign).aggregate(m=Max("number"))["m"] or 0
        batch = TransferBatch.objects.create(campaign=campaign, number=last + 1, intake_day=day, closed_at=at or timezone.now())
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(batch=batch, status=CaseStatus.BATCHED)
        audit.record(actor, "batch.close", batch, after={"number": batch.number, "intake_day": day, "cases": len(cases)})
    return batch


def transfer_blocker(batch: TransferBatch) -> str:
    """Why the batch cannot be transferred ('' when it can), in the user's words."""
    if batch.status != TransferBatch.Status.CLOSED:
        return _("This batch has already been transferred.")
    return ""


def transfer_preview(batch: TransferBatch, on: dt.date | None = None) -> dict[str, Any]:
    """What a transfer would do, for the confirmation page: cases per receiving unit and the due date."""
    day = on or timezone.localdate()
    due, _rule, estimated = due_date_for(batch.campaign, day)
    per_unit = Counter(batch.cases.values_list("lead_unit_id", flat=True))
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=list(per_unit))}
    rows = sorted(((units[k], n) for k, n in per_unit.items() if k in units), key=lambda r: r[0].path)
    return {"due": due, "estimated": estimated, "units": rows, "cases": sum(per_unit.values())}


def transfer_batch(batch: TransferBatch, *, actor: Any, at: dt.datetime | None = None) -> TransferBatch:
    """Send the batch: every case gets its due date; one notice per receiving unit."""
    authorize(actor, "batches.transfer", batch)
    blocker = transfer_blocker(batch)
    if blocker:
        raise ValidationError(blocker)
    at = at or timezone.now()
    day = at.astimezone(SHANGHAI).date()
    due, rule, estimated = due_date_for(batch.campaign, day)
    with transaction.atomic():
        batch.status = TransferBatch.Status.TRANSFERRED
        batch.transferred_at = at
        batch.transferred_by = actor if getattr(actor, "pk", None) else None
        batch.save(update_fields=["status", "transferred_at", "transferred_by"])
        cases = list(batch.cases.all())
        Case.objects.filter(batch=batch).update(
            status=CaseStatus.TRANSFERRED, transferred_at=at, due_date=due, due_rule=rule, due_estimated=estimated
        )
        per_unit: Counter[Any] = Counter(c.lead_unit_id for c in cases)
        keys: Counter[Any] = Counter(c.lead_unit_id for c in cases if c.is_key)
        for unit_id, n in per_unit.items():
            TransferNotice.objects.create(batch=batch, unit_id=unit_id, case_count=n, key_count=keys.get(unit_id, 0))
        audit.record(actor, "batch.transfer", batch, after={"cases": len(cases), "due_date": due, "rule": rule})
        transaction.on_commit(lambda: _enqueue_notices(batch.pk))
    return batch


def _enqueue_notices(batch_id: Any) -> None:
    try:
        from ..tasks import generate_notices

        generate_notices.enqueue(str(batch_id))
    except Exception:  # the notices are also generated on demand
        logger.warning("could not enqueue transfer notices for batch %s", batch_id)


def acknowledge_batch(batch: TransferBatch, *, actor: Any) -> list[TransferNotice]:
    """The liaison acknowledges receipt of its units' notices."""
    authorize(actor, "batches.acknowledge", batch)
    notices = [n for n in batch.notices.select_related("unit") if can(actor, "batches.acknowledge", n)]
    if not notices:
        raise PermissionDenied("batches.acknowledge")
    now = timezone.now()
    with transaction.atomic():
        for n in notices:
            if n.acknowledged_at is None:
                n.acknowledged_at = now
                n.acknowledged_by = actor
                n.save(update_fields=["acknowledged_at", "acknowledged_by"])
                audit.record(actor, "batch.acknowledge", n, after={"unit": n.unit_id, "at": now})
    return notices


def dispatch_case(case: Case, *, actor: Any, unit: OrgUnit, note: str = "") -> Case:
    """The liaison passes a transferred case down to the unit that investigates."""
    authorize(actor, "cases.dispatch", case)
    if case.status not in (CaseStatus.TRANSFERRED, CaseStatus.DISPATCHED, CaseStatus.RETURNED):
        raise ValidationError(_("Only transferred cases can be dispatched."))
    if not unit.path.startswith(case.lead_unit.path):
        raise ValidationError({"unit": _("Dispatch within the handling unit's own tree.")})
    before = snapshot(case, ["handler_unit", "status"])
    with transaction.atomic():
        case.handler_unit = unit
        if case.status == CaseStatus.TRANSFERRED:
            case.status = CaseStatus.DISPATCHED
        case.dispatched_at = timezone.now()
        case.save(update_fields=["handler_unit", "status", "dispatched_at"])
        audit.record(actor, "case.dispatch", case, before=before, after=snapshot(case, list(before)), reason=note)
    return case


def disclosure_rows(batch: TransferBatch) -> list[dict[str, Any]]:
    """The rows of the public table: no reporter data; the summary, findings and measures redacted."""
    cases = (
        Case.objects.filter(batch=batch)
        .exclude(status=CaseStatus.MERGED)
        .select_related("region", "lead_unit", "handler_unit", "origin")
        .order_by("number")
    )
    accepted = {
        r.case_id: r
        for r in HandlingResult.objects.filter(case__batch=batch, review=HandlingResult.Review.ACCEPTED)
        .prefetch_related("penalties")
        .order_by("case", "version")
    }
    rows = []
    for c in cases:
        r = accepted.get(c.pk)
        row = {
            "number": c.number,
            "key": c.is_key,
            "channel": c.channel,
            "region": c.region.name_zh if c.region else "",
            "region_en": c.region.name_en if c.region else "",
            "summary": c.summary,
            "pollution_types": c.pollution_types,
            "sector": c.sector,
            "handling_unit": (c.handler_unit or c.lead_unit).name_zh,
            "verdict": r.verdict if r else "",
            "verdict_note": r.explanation if r and r.verdict_conflict else "",
            "facts": r.summary if r else "",
            "handling": r.measures if r else "",
            "accountability": _accountability_text(r) if r else "",
            "status": r.status if r else "open",
            "next_step_date": r.next_step_date.isoformat() if r and r.next_step_date else "",
            "due_date": c.due_date.isoformat() if c.due_date else "",
        }
        rows.append(redact_row(row, reporter_of(c.origin)))
    return rows


def _accountability_text(r: HandlingResult) -> str:
    parts = []
    if r.ordered_to_rectify:
        parts.append(f"责令整改{r.ordered_to_rectify}家")
    if r.cases_filed:
        parts.append(f"立案处罚{r.cases_filed}起")
    fines = r.fines_total
    if fines:
        parts.append(f"罚款{fines / 10000:.2f}万元")
    if r.criminal_cases:
        parts.append(f"立案侦查{r.criminal_cases}件")
    if r.detained:
        parts.append(f"拘留{r.detained}人")
    if r.interviewed:
        parts.append(f"约谈{r.interviewed}人")
    if r.held_accountable:
        parts.append(f"问责{r.held_accountable}人")
    return "；".join(parts)


def approve_disclosure(batch: TransferBatch, *, actor: Any) -> DisclosureTable:
    """The team approves a frozen snapshot of the batch's results table (a new version each time)."""
    authorize(actor, "disclosure.approve", batch)
    if batch.status == TransferBatch.Status.CLOSED:
        raise ValidationError(_("Transfer the batch before publishing its results."))
    with transaction.atomic():
        prev = batch.disclosures.order_by("-version").first()
        table = DisclosureTable.objects.create(
            batch=batch,
            version=(prev.version + 1) if prev else 1,
            rows=disclosure_rows(batch),
            approved_by=actor,
            supersedes=prev,
        )
        audit.record(
            actor, "disclosure.approve", table, after={"batch": batch.pk, "version": table.version, "rows": len(table.rows)}
        )
    return table


def publish_disclosure(table: DisclosureTable, *, actor: Any) -> DisclosureTable:
    authorize(actor, "batches.publish", table.batch)
    if table.status == DisclosureTable.Status.PUBLISHED:
        raise ValidationError(_("This version is already published."))
    with transaction.atomic():
        table.status = DisclosureTable.Status.PUBLISHED
        table.published_at = timezone.now()
        table.published_by = actor
        table.save(update_fields=["status", "published_at", "published_by"])
        batch = table.batch
        if batch.status != TransferBatch.Status.PUBLISHED:
            batch.status = TransferBatch.Status.PUBLISHED
            batch.save(update_fields=["status"])
        numbers = [r["number"] for r in table.rows if r.get("verdict")]
        Case.objects.filter(batch=batch, number__in=numbers, status=CaseStatus.REVIEWED).update(status=CaseStatus.PUBLISHED)
        audit.record(actor, "disclosure.publish", table, after={"version": table.version, "rows": len(table.rows)})
    return table


def publish_batch(batch: TransferBatch, *, actor: Any) -> DisclosureTable:
    """Approve and publish in one step (for a team leader, who holds both permissions)."""
    table = approve_disclosure(batch, actor=actor)
    return publish_disclosure(table, actor=actor)
