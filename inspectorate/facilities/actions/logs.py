"""Daily running logs: record one (refused for a future day or a second time), flag it for review when a stop
or fault has no reason or a complaint came in nearby, review it, and the daily check for missing logs."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from ..models import Facility, FacilityLog, FacilityWarning, LogStatus, ReviewState, WarningKind

NEARBY_KM = 1.0
# A complaint counts when it came in on the log's day, the day before or the day after.
NEARBY_DAYS = 1

FLAG_NO_REASON = "no_reason"
FLAG_COMPLAINT = "complaint_nearby"


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def complaints_near(facility: Facility, day: dt.date) -> list[str]:
    """Ids of complaints received within NEARBY_KM of the facility around `day` (a system check, not a listing)."""
    from inspectorate.complaints.models import Complaint

    pos = facility.position()
    if pos is None:
        return []
    lat, lon = pos
    dlat = NEARBY_KM / 111.0
    dlon = NEARBY_KM / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day - dt.timedelta(days=NEARBY_DAYS), dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=NEARBY_DAYS + 1), dt.time.min, tzinfo=tz)
    rows = Complaint.objects.filter(
        lat__gte=lat - dlat, lat__lte=lat + dlat, lon__gte=lon - dlon, lon__lte=lon + dlon,
        received_at__gte=start, received_at__lt=end,
    ).values_list("pk", "lat", "lon")  # fmt: skip
    return sorted(
        str(pk)
        for pk, clat, clon in rows
        if clat is not None and clon is not None and distance_km((lat, lon), (clat, clon)) <= NEARBY_KM
    )


def _flags(facility: Facility, day: dt.date, status: str, reason: str) -> tuple[list[str], list[str]]:
    if status == LogStatus.RUNNING:
        return [], []
    flags = []
    if not reason.strip():
        flags.append(FLAG_NO_REASON)
    nearby = complaints_near(facility, day)
    if nearby:
        flags.append(FLAG_COMPLAINT)
    return flags, nearby


def record_log(facility: Facility, *, actor: Any, day: dt.date, status: str, reason: str = "") -> FacilityLog:
    authorize(actor, "facilities.log", facility)
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": _("A daily log cannot be entered for a future date.")})
    if facility.commissioned_on and day < facility.commissioned_on:
        raise ValidationError({"day": _("The facility was not yet commissioned on this date.")})
    flags, nearby = _flags(facility, day, status, reason)
    log = FacilityLog(
        facility=facility,
        day=day,
        status=status,
        reason=reason.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        review=ReviewState.PENDING if flags else ReviewState.NONE,
        review_reasons=flags,
        nearby_complaints=nearby,
    )
    log.full_clean(exclude=["recorded_by", "reviewed_by"])
    try:
        with transaction.atomic():
            log.save(force_insert=True)
            audit.record(actor, "facility_log.record", log, after=snapshot(log))
            # A warning for this day's missing log is resolved by the late log (the warning stays on record).
            for w in FacilityWarning.objects.filter(
                facility=facility, kind=WarningKind.MISSING_LOG, day=day, resolved_at__isnull=True
            ):
                w.resolved_at = timezone.now()
                w.save(update_fields=["resolved_at"])
                audit.record(actor, "facility_warning.resolve", w, after={"resolved_at": w.resolved_at, "by_log": log.pk})
    except IntegrityError:  # a simultaneous second log for the same day
        raise ValidationError({"day": _("This facility already has a log for this day.")}) from None
    return log


def review_log(log: FacilityLog, *, actor: Any, accept: bool, note: str) -> FacilityLog:
    """The reviewer accepts or rejects the explanation of a flagged log; a note is required."""
    authorize(actor, "facilities.review", log)
    if not note.strip():
        raise ValidationError({"note": _("Say what was checked.")})
    before = snapshot(log, ["review", "review_note"])
    now = timezone.now()
    state = ReviewState.CONFIRMED if accept else ReviewState.REJECTED
    with transaction.atomic():
        if (
            FacilityLog.objects.filter(pk=log.pk, review=ReviewState.PENDING).update(
                review=state, review_note=note.strip(), reviewed_by=actor, reviewed_at=now
            )
            != 1
        ):
            raise ValidationError(_("This log is not waiting for review (someone may have reviewed it first)."))
        log.refresh_from_db()
        audit.record(actor, "facility_log.review", log, before=before, after=snapshot(log, ["review", "review_note"]))
    return log


def check_missing_logs(day: dt.date, now: dt.datetime | None = None, facilities: Any = None) -> dict[str, Any]:
    """Warn for every facility in service (commissioned by `day`) without a log for `day`. Idempotent.
    `facilities` narrows the check to some facilities (the demo replays past days for its own ones)."""
    now = now or timezone.now()
    due = (
        (Facility.objects.all() if facilities is None else facilities)
        .filter(active=True)
        .filter(Q(commissioned_on__isnull=True) | Q(commissioned_on__lte=day))
    )
    missing = due.exclude(logs__day=day).exclude(warnings__kind=WarningKind.MISSING_LOG, warnings__day=day)
    raised = 0
    for facility in missing.order_by("pk"):
        with transaction.atomic():
            w, created = FacilityWarning.objects.get_or_create(
                facility=facility, kind=WarningKind.MISSING_LOG, day=day, defaults={"raised_at": now}
            )
            if created:
                raised += 1
                audit.record("system:facility_log_check", "facility_warning.raise", w, after={"kind": w.kind, "day": day})
    return {"day": day.isoformat(), "raised": raised}
