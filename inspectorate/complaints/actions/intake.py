"""Intake: receive a complaint on any channel, reveal its reporter, bulk-import a day's calls."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot
from inspectorate.core.storage import cleanup_on_error, storage_guard
from inspectorate.core.tabular import ImportReport, TableError, read_table
from inspectorate.core.text import strip_controls, strip_controls_deep

from .. import similarity
from ..dedup_keys import in_china
from ..models import Attachment, Channel, Complaint, IdempotencyKey, PollutionType, as_type_list
from ..uploads import check_media, precheck_sizes
from . import triage

SHANGHAI = ZoneInfo("Asia/Shanghai")
LETTER_GRACE_DAYS = 15  # letters posted during the stay are still forwarded (DOMAIN.md §4.1)
MAX_TEXT = 5000
_NAMES_SOMETHING = re.compile(r"[^\W_]")  # a letter, a digit or a Chinese character
RECEIVED = ["campaign", "channel", "received_at"]  # what the receive event records (with triage's fields when inline)


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""

    def __init__(self, key: str, complaint: Complaint) -> None:
        super().__init__(key)
        self.key = key
        self.complaint = complaint


def intake_day_for(campaign: Any, received_at: dt.datetime) -> dt.date:
    """The day whose batch a complaint belongs to: after the daily cut-off it rolls to the next day."""
    local = received_at.astimezone(SHANGHAI)
    day = local.date()
    if campaign.daily_cutoff and local.time() >= campaign.daily_cutoff:
        day += dt.timedelta(days=1)
    return day


def body_hash(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _validate(
    campaign: Any,
    channel: str,
    text: str,
    received_at: dt.datetime,
    lat: Any,
    lon: Any,
    address: str,
    channel_details: dict[str, Any],
) -> tuple[float | None, float | None]:
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel %(c)s.") % {"c": channel}
    if len(text.strip()) < 5:
        errors["text"] = _("Describe the problem (at least 5 characters).")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("The description is too long (at most %(n)d characters).") % {"n": MAX_TEXT}
    flat: float | None = None
    flon: float | None = None
    if (lat is None or lat == "") != (lon is None or lon == ""):
        errors["lat"] = _("Give both latitude and longitude, or neither.")
    elif lat not in (None, ""):
        try:
            flat, flon = float(lat), float(lon)
        except (TypeError, ValueError):
            errors["lat"] = _("Latitude and longitude must be numbers.")
        else:
            if not (-90 <= flat <= 90 and -180 <= flon <= 180) or flat != flat or flon != flon:
                errors["lat"] = _("The coordinates are out of range.")
                flat = flon = None
            elif not in_china(flat, flon):
                # A point abroad is a typing or GPS error (e.g. 0,0); refused rather than silently ignored.
                errors["lat"] = _(
                    "The location lies outside China: check the latitude and longitude (swapped?), "
                    "or leave them empty and give the address."
                )
                flat = flon = None
    if flat is None and not address.strip() and "lat" not in errors:
        errors["address"] = _("Give a location on the map or an address.")
    local_day = received_at.astimezone(SHANGHAI).date()
    last = campaign.stationing_end
    if channel == Channel.LETTER:
        last = last + dt.timedelta(days=LETTER_GRACE_DAYS)
        postmark = channel_details.get("postmark")
        if postmark and str(postmark) > campaign.stationing_end.isoformat():
            errors["channel_details"] = _("The letter was posted after the stay ended.")
    if not (campaign.stationing_start <= local_day <= last):
        errors["received_at"] = _("The team is not taking complaints on %(d)s (stay %(a)s – %(b)s).") % {
            "d": local_day.isoformat(),
            "a": campaign.stationing_start.isoformat(),
            "b": campaign.stationing_end.isoformat(),
        }
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        errors["received_at"] = _("The time received cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return flat, flon


def submit_complaint(
    *,
    campaign: Any,
    channel: str,
    text: str,
    received_at: dt.datetime | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    polluter_name: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    type_hints: Any = (),
    attachments: Any = (),
    extra: dict[str, Any] | None = None,
    actor: Any = None,
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
) -> Complaint:
    """Receive one complaint: validate, store, audit; classify, route and look for duplicates now or in the task
    worker (`triage`, by `settings.INTAKE_TRIAGE`).

    `actor` is the staff user entering it (checked for `complaints.intake`), or None for the
    public (web form, Open311). `extra` may carry `channel_details` (postmark, call duration…)
    and any other attributes. Raises ValidationError (nothing saved) or IdempotencyConflict.
    """
    # Control characters are stripped on the way in, whatever the channel (they break XML answers).
    extra = strip_controls_deep(dict(extra or {}))
    channel_details = dict(extra.pop("channel_details", {}) or {})
    text = strip_controls(text or "").strip()
    address = strip_controls(address or "").strip()[:300]
    polluter_name = strip_controls(polluter_name or "").strip()[:200]
    if not _NAMES_SOMETHING.search(polluter_name):
        polluter_name = ""  # "……", "/", "？": names no polluter (unknown), as when left empty
    reporter_name = strip_controls(reporter_name or "").strip()[:100]
    reporter_phone = strip_controls(reporter_phone or "").strip()[:40]
    hints = as_type_list(type_hints)
    bad_hints = [h for h in (type_hints or ()) if str(h) not in PollutionType.values]
    if bad_hints:
        raise ValidationError({"type_hints": _("Unknown pollution type: %(t)s") % {"t": ", ".join(map(str, bad_hints))}})
    precheck_sizes(attachments)
    is_staff_entry = actor is not None and getattr(actor, "is_authenticated", False)
    if is_staff_entry:
        _authorize_intake(actor, campaign)
    fingerprint = ""
    if idempotency_key:  # the body's hash is only needed to recognise a repeated request
        fingerprint = body_hash(
            {
                "campaign": str(campaign.pk),
                "channel": channel,
                "text": text,
                "received_at": received_at.isoformat() if received_at else None,
                "lat": lat,
                "lon": lon,
                "address": address,
                "polluter_name": polluter_name,
                "reporter_name": reporter_name,
                "reporter_phone": reporter_phone,
                "type_hints": hints,
                "extra": extra,
                "channel_details": channel_details,
                "attachments": sorted(hashlib.sha256(_bytes(a)).hexdigest() for a in (attachments or ())),
            }
        )
        prior = _idempotent_hit(idempotency_scope, idempotency_key, fingerprint)
        if prior is not None:
            return prior
    received_at = received_at or timezone.now()
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, SHANGHAI)
    flat, flon = _validate(campaign, channel, text, received_at, lat, lon, address, channel_details)
    files = check_media(attachments)
    complaint = Complaint(
        campaign=campaign,
        channel=channel,
        received_at=received_at,
        intake_day=intake_day_for(campaign, received_at),
        text=text,
        lat=flat,
        lon=flon,
        address=address,
        polluter_name=polluter_name,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        type_hints=hints,
        pollution_types=hints,
        operator=actor if is_staff_entry else None,
        channel_details=channel_details,
        extra=extra,
    )
    later = triage.deferred()
    if not later:  # classify, route and look for duplicates now, before the insert (see `triage`)
        triage.assess(
            campaign, text=text, lat=flat, lon=flon, address=address, polluter_name=polluter_name, type_hints=hints,
            received_at=received_at,
        ).apply(complaint)  # fmt: skip
    try:
        # A file store that is full or down: StorageUnavailable, the complaint and its rows roll back and the
        # attachments already stored are removed again (nothing is recorded as received).
        with cleanup_on_error(Attachment._meta.get_field("file").storage) as stored, transaction.atomic():
            complaint.save(force_insert=True)
            if later:
                triage.queue(complaint)  # the task row commits or rolls back with the complaint
            else:
                similarity.index_add(complaint, new=True)  # its duplicate-check keys, for every process (dedup_store)
            for f in files:
                with storage_guard():
                    att = Attachment.objects.create(
                        complaint=complaint,
                        file=ContentFile(f.content, name=f.name),
                        name=f.name,
                        content_type=f.content_type,
                        size=f.size,
                        sha256=f.sha256,
                    )
                stored.append(att.file.name)
            if idempotency_key:
                IdempotencyKey.objects.create(
                    client_scope=idempotency_scope[:150], key=idempotency_key[:200], body_hash=fingerprint, complaint=complaint
                )
            audit.record(
                actor if is_staff_entry else (actor or f"public:{channel}"),
                "complaint.receive",
                complaint,
                after=snapshot(complaint, RECEIVED if later else RECEIVED + triage.AUDITED),
            )
    except IntegrityError:
        if idempotency_key:
            prior = _idempotent_hit(idempotency_scope, idempotency_key, fingerprint)
            if prior is not None:
                return prior
        raise
    return complaint


def _authorize_intake(actor: Any, campaign: Any) -> None:
    """authorize(…, "complaints.intake", campaign), remembered on the actor object for this request or import."""
    seen: set[Any] = actor.__dict__.setdefault("_intake_authorized", set())
    if campaign.pk in seen:
        return
    authorize(actor, "complaints.intake", campaign)
    seen.add(campaign.pk)


def _bytes(a: Any) -> bytes:
    if isinstance(a, tuple):
        return bytes(a[1])
    if hasattr(a, "seek"):
        a.seek(0)
        data = a.read()
        a.seek(0)
        return bytes(data)
    return b""


def _idempotent_hit(scope: str, key: str, fingerprint: str) -> Complaint | None:
    row = IdempotencyKey.objects.select_related("complaint").filter(client_scope=scope[:150], key=key[:200]).first()
    if row is None:
        return None
    if row.body_hash != fingerprint:
        raise IdempotencyConflict(key, row.complaint)
    return row.complaint


def reveal_reporter(complaint: Complaint, *, actor: Any, reason: str = "") -> dict[str, str]:
    """The reporter's name and phone and the complaint's unredacted text, for roles with
    `complaints.reveal_reporter`; always audited (the event names what was shown, never the values)."""
    authorize(actor, "complaints.reveal_reporter", complaint)
    with transaction.atomic():
        audit.record(
            actor,
            "complaint.reveal_reporter",
            complaint,
            after={"revealed": ["reporter_name", "reporter_phone", "text"]},
            reason=reason or "reveal",
        )
    return {"reporter_name": complaint.reporter_name, "reporter_phone": complaint.reporter_phone, "text": complaint.text}


# -- bulk import of a day's calls -------------------------------------------------------------

IMPORT_COLUMNS = ["received_at", "text", "address"]
OPTIONAL_COLUMNS = ["lat", "lon", "polluter_name", "reporter_name", "reporter_phone", "call_duration", "type_hints", "channel"]


def _parse_time(value: str) -> dt.datetime:
    value = value.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"):
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    raise ValueError(value)


def import_calls(campaign: Any, data: bytes, filename: str, *, actor: Any) -> ImportReport:
    """All-or-nothing import of a day's calls; the report lists every bad row and cell."""
    _authorize_intake(actor, campaign)
    report = ImportReport()
    try:
        rows = read_table(data, filename, IMPORT_COLUMNS)
    except TableError as exc:
        report.add(0, "", str(exc))
        return report
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, row in rows:
        try:
            received = _parse_time(row.get("received_at", ""))
        except ValueError:
            report.add(number, "received_at", _("Not a date and time (YYYY-MM-DD HH:MM)."))
            continue
        channel = (row.get("channel") or Channel.PHONE).strip().lower()
        hints = [h.strip() for h in (row.get("type_hints") or "").replace("，", ",").split(",") if h.strip()]
        details: dict[str, Any] = {}
        if row.get("call_duration"):
            try:
                details["call_duration_s"] = int(float(row["call_duration"]))
            except ValueError:
                report.add(number, "call_duration", _("Call duration must be a number of seconds."))
                continue
        parsed.append(
            (
                number,
                {
                    "campaign": campaign,
                    "channel": channel,
                    "text": row.get("text", ""),
                    "received_at": received,
                    "lat": row.get("lat") or None,
                    "lon": row.get("lon") or None,
                    "address": row.get("address", ""),
                    "polluter_name": row.get("polluter_name", ""),
                    "reporter_name": row.get("reporter_name", ""),
                    "reporter_phone": row.get("reporter_phone", ""),
                    "type_hints": hints,
                    "extra": {"channel_details": details, "import": filename[:100]},
                    "actor": actor,
                },
            )
        )
    if report.errors:
        return report

    class _Abort(Exception):
        pass

    try:
        with transaction.atomic():
            for number, kwargs in parsed:
                try:
                    with transaction.atomic():
                        submit_complaint(**kwargs)
                    report.created += 1
                except ValidationError as exc:
                    for col, msgs in getattr(exc, "message_dict", {"": exc.messages}).items():
                        for m in msgs:
                            report.add(number, col, m)
                except PermissionDenied:
                    report.add(number, "", _("Not allowed."))
            if report.errors:
                raise _Abort
    except _Abort:
        report.created = 0
    return report
