"""Interview actions: create, minute, file the report, verify, disclose. Each one atomic, audited, claimed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot

from ..models import Interview, InterviewPerson, InterviewStatus, Verification
from ..models.interviews import default_report_due
from .common import claim, fingerprint, idempotent_hit, remember

REPORT_TYPES = frozenset({".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".ofd"})
REPORT_MAX_BYTES = 20 * 1024 * 1024


def _under_targets(campaign: Any, unit: Any) -> bool:
    return any(unit.path.startswith(p) for p in campaign.target_paths())


def _snap(interview: Interview) -> dict[str, Any]:
    data = snapshot(interview)
    data["report_file"] = interview.report_file.name or ""
    data["persons"] = [f"{p.name}@{p.unit_id}" for p in interview.persons.all()]
    return data


def create_interview(
    *,
    actor: Any,
    campaign: Any,
    title: str,
    reason: str,
    interview_date: dt.date,
    units: list[Any],
    persons: list[dict[str, Any]] | None = None,
    reason_note: str = "",
    interviewer: str = "",
    requirements: str = "",
    report_due: dt.date | None = None,
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
) -> Interview:
    """Schedule an interview of the target's units and leaders; the report is due 30 days after it unless set."""
    authorize(actor, "interviews.manage", campaign)
    persons = persons or []
    body = {
        "campaign": str(campaign.pk), "title": title, "reason": reason, "date": interview_date,
        "units": sorted(str(u.pk) for u in units), "report_due": report_due, "requirements": requirements,
        "persons": sorted((p.get("name") or "", str(getattr(p.get("unit"), "pk", ""))) for p in persons),
    }  # fmt: skip
    body_hash = fingerprint(body)
    if idempotency_key:
        hit = idempotent_hit(idempotency_scope, "interview", idempotency_key, body_hash)
        if hit is not None:
            return Interview.objects.get(pk=hit)
    errors: dict[str, Any] = {}
    if not units:
        errors["units"] = _("Name at least one interviewed unit.")
    elif any(not _under_targets(campaign, u) for u in units):
        errors["units"] = _("Interviewed units must belong to the campaign's targets.")
    rows: list[InterviewPerson] = []
    for p in persons:
        leader = p.get("leader")
        name = (p.get("name") or (leader.name if leader else "")).strip()
        unit = p.get("unit") or (leader.unit if leader else None)
        if not name or unit is None:
            errors["persons"] = _("Each interviewed person needs a name and a unit (or a leader from the register).")
            break
        if not any(unit.path.startswith(u.path) for u in units):
            errors["persons"] = _("Each interviewed person must belong to one of the interviewed units.")
            break
        if any(r.name == name and r.unit_id == unit.pk for r in rows):
            errors["persons"] = _("This person is already listed for this interview.")
            break
        rows.append(InterviewPerson(name=name, post=p.get("post") or (leader.post if leader else ""), unit=unit, leader=leader))
    interview = Interview(
        campaign=campaign,
        title=title.strip(),
        reason=reason,
        reason_note=reason_note,
        interviewer=interviewer,
        interview_date=interview_date,
        requirements=requirements,
        report_due=report_due or default_report_due(interview_date),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if interview.report_due < interview_date:
        errors["report_due"] = _("The report cannot be due before the interview.")
    try:
        interview.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key != "__all__" or "report_due" not in errors:
                errors.setdefault(key, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        interview.save()
        interview.units.set(units)
        for r in rows:
            r.interview = interview
            r.save()
        if idempotency_key:
            remember(idempotency_scope, "interview", idempotency_key, body_hash, interview.pk)
        audit.record(actor, "interview.create", interview, after=_snap(interview))
    return interview


INTERVIEW_FIELDS = frozenset(
    {"title", "reason", "reason_note", "interviewer", "interview_date", "report_due", "requirements", "units"}
)


def update_interview(interview: Interview, *, actor: Any, **changes: Any) -> Interview:
    """The team corrects an interview it has not held yet (subject, reason, date, report due, units)."""
    authorize(actor, "interviews.manage", interview)
    unknown = set(changes) - INTERVIEW_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(_("The interview has been held; its record can no longer be changed."))
    errors: dict[str, Any] = {}
    units = changes.pop("units", None)
    if units is not None:
        if not units:
            errors["units"] = _("Name at least one interviewed unit.")
        elif any(not _under_targets(interview.campaign, u) for u in units):
            errors["units"] = _("Interviewed units must belong to the campaign's targets.")
        elif any(not any(p.unit.path.startswith(u.path) for u in units) for p in interview.persons.all()):
            errors["units"] = _("Each interviewed person must belong to one of the interviewed units.")
    if "report_due" in changes and changes["report_due"] is None:  # empty: 30 days after the (new) interview date
        changes["report_due"] = default_report_due(changes.get("interview_date") or interview.interview_date)
    before = _snap(interview)
    for key, value in changes.items():
        setattr(interview, key, value.strip() if isinstance(value, str) else value)
    if (
        interview.report_due is not None
        and interview.interview_date is not None
        and interview.report_due < interview.interview_date
    ):
        errors["report_due"] = _("The report cannot be due before the interview.")
    try:
        interview.full_clean(exclude=["units"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key != "__all__" or "report_due" not in errors:
                errors.setdefault(key, messages)
    if errors:
        interview.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        claim(interview, statuses=(InterviewStatus.SCHEDULED,), **{k: getattr(interview, k) for k in changes})
        if units is not None:
            interview.units.set(units)
        audit.record(actor, "interview.update", interview, before=before, after=_snap(interview))
    return interview


def record_minutes(
    interview: Interview, *, actor: Any, minutes: str, requirements: str = "", report_due: dt.date | None = None
) -> Interview:
    """The interview was held: its minutes and requirements; the report clock keeps its due date unless reset."""
    authorize(actor, "interviews.manage", interview)
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes of the interview.")})
    if interview.interview_date > timezone.localdate():
        raise ValidationError({"minutes": _("An interview cannot be minuted before its date.")})
    due = report_due or interview.report_due
    if due < interview.interview_date:
        raise ValidationError({"report_due": _("The report cannot be due before the interview.")})
    before = _snap(interview)
    with transaction.atomic():
        claim(
            interview,
            statuses=(InterviewStatus.SCHEDULED,),
            status=InterviewStatus.HELD,
            minutes=minutes,
            requirements=requirements or interview.requirements,
            report_due=due,
        )
        audit.record(actor, "interview.minutes", interview, before=before, after=_snap(interview))
    return interview


def _check_report_file(upload: Any) -> tuple[str, bytes]:
    if upload is None:
        raise ValidationError({"file": _("Attach the report.")})
    name = PurePath(getattr(upload, "name", "") or "").name
    if PurePath(name).suffix.lower() not in REPORT_TYPES:
        raise ValidationError({"file": _("The report must be a PDF, Word, OFD or image file.")})
    size = getattr(upload, "size", 0) or 0
    if size <= 0:
        raise ValidationError({"file": _("The report file is empty.")})
    if size > REPORT_MAX_BYTES:
        raise ValidationError({"file": _("The report file is larger than 20 MB.")})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return name, data


def submit_report(interview: Interview, *, actor: Any, file: Any, received_on: dt.date | None = None) -> Interview:
    """The interviewed unit's report (filed by its liaison office, or recorded by the team on receipt)."""
    if not can(actor, "interviews.manage", interview):
        authorize(actor, "interviews.report", interview)
    day = received_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"received_on": _("The report cannot be received in the future.")})
    if day < interview.interview_date:
        raise ValidationError({"received_on": _("The report cannot come in before the interview.")})
    if interview.status == InterviewStatus.SCHEDULED:
        raise ValidationError(_("The interview has not been minuted yet."))
    name, data = _check_report_file(file)
    before = _snap(interview)
    with transaction.atomic():
        claim(interview, statuses=(InterviewStatus.HELD,), status=InterviewStatus.REPORT_RECEIVED, report_received_on=day)
        interview.report_sha256 = hashlib.sha256(data).hexdigest()
        interview.report_file.save(name, file, save=False)
        Interview.objects.filter(pk=interview.pk).update(
            report_file=interview.report_file.name, report_sha256=interview.report_sha256
        )
        audit.record(actor, "interview.report", interview, before=before, after=_snap(interview))
    return interview


def verify_report(interview: Interview, *, actor: Any, result: str, note: str = "") -> Interview:
    """The team checks the report against the requirements."""
    authorize(actor, "interviews.manage", interview)
    if result not in (Verification.SATISFACTORY, Verification.UNSATISFACTORY):
        raise ValidationError({"result": _("Choose a verification result.")})
    if result == Verification.UNSATISFACTORY and not note.strip():
        raise ValidationError({"note": _("Say why the rectification is not satisfactory.")})
    before = _snap(interview)
    with transaction.atomic():
        claim(
            interview,
            statuses=(InterviewStatus.REPORT_RECEIVED,),
            status=InterviewStatus.VERIFIED,
            verification=result,
            verification_note=note,
            verified_on=timezone.localdate(),
        )
        audit.record(actor, "interview.verify", interview, before=before, after=_snap(interview))
    return interview


def publish_interview(interview: Interview, *, actor: Any, on: dt.date | None = None) -> Interview:
    """Public disclosure: the interview (subject, units, persons, reason, dates) appears on the portal."""
    authorize(actor, "interviews.manage", interview)
    if interview.status == InterviewStatus.SCHEDULED:
        raise ValidationError(_("Only an interview that has been held can be disclosed."))
    day = on or timezone.localdate()
    if day < interview.interview_date:
        raise ValidationError({"on": _("An interview cannot be disclosed before it is held.")})
    before = _snap(interview)
    with transaction.atomic():
        if Interview.objects.filter(pk=interview.pk, published=False).update(published=True, published_on=day) != 1:
            raise ValidationError(_("This interview is already published."))
        interview.published, interview.published_on = True, day
        audit.record(actor, "interview.publish", interview, before=before, after=_snap(interview))
    return interview


def report_warning(interview: Interview, today: dt.date, soon_days: int = 7) -> str:
    """ "" (none), "yellow" (report due within `soon_days`) or "red" (due date passed, no report)."""
    if not interview.report_pending:
        return ""
    if interview.report_due < today:
        return "red"
    if interview.report_due <= today + dt.timedelta(days=soon_days):
        return "yellow"
    return ""
