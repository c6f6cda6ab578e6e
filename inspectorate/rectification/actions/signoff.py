"""The sign-off path (DOMAIN §4.4): apply → verify on site → sign → public notice → file; return; reopen.

Separated duties: applicant, verifier and signer are three different people (a campaign may let the verifier
also sign for a documented small acceptance unit: `LedgerSettings.verifier_may_sign`, audited).

Every step moves the task with a conditional UPDATE (see `common.claim`), so two people
acting on the same task at the same time cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot
from inspectorate.core import calendar

from ..models import LedgerSettings, Objection, ObjectionStatus, Reopening, ReopenSource, SignOffStep, Task, TaskStatus
from .common import claim, require_unit_role

S = SignOffStep
OPEN_STATUSES = (TaskStatus.IN_PROGRESS, TaskStatus.REOPENED, TaskStatus.NOT_STARTED)
MAX_NOTICE_DAYS = 60
ONE_DAY = dt.timedelta(days=1)
FIELDS = [
    "status",
    "signoff_step",
    "applied_by",
    "applied_at",
    "verified_by",
    "verified_at",
    "verification_conclusion",
    "signed_by",
    "signed_at",
    "notice_start",
    "notice_end",
    "notice_days",
    "closed_on",
    "filed_by",
    "return_reason",
    "reopen_count",
]


def _step_error(task: Task, expected: str) -> ValidationError:
    return ValidationError(
        _("This step needs the task to be at “%(expected)s”; it is at “%(now)s”.")
        % {
            "expected": SignOffStep(expected).label,
            "now": task.get_signoff_step_display() if task.signoff_step else task.get_status_display(),
        }
    )


def apply_sign_off(task: Task, *, actor: Any, note: str = "") -> Task:
    """The lead unit applies for acceptance: every measure done, each with evidence."""
    authorize(actor, "tasks.apply", task)
    if task.status not in OPEN_STATUSES or task.signoff_step not in (S.NONE, S.RETURNED):
        raise _step_error(task, S.NONE) if task.signoff_step != S.RETURNED else _step_error(task, S.RETURNED)
    measures = list(task.measures.all())
    if not measures:
        raise ValidationError(_("The task has no measures: nothing to accept."))
    undone = [str(m.number) for m in measures if not m.done]
    if undone:
        raise ValidationError(_("Measures not yet done: %(list)s.") % {"list": ", ".join(undone)})
    with_evidence = set(task.evidence.values_list("measure_id", flat=True))
    missing = [str(m.number) for m in measures if m.pk not in with_evidence]
    if missing:
        raise ValidationError(_("Measures without evidence: %(list)s.") % {"list": ", ".join(missing)})
    before = snapshot(task, FIELDS)
    with transaction.atomic():
        claim(
            task,
            steps=(S.NONE, S.RETURNED),
            statuses=OPEN_STATUSES,
            status=TaskStatus.PENDING_ACCEPTANCE,
            signoff_step=S.ACCEPTANCE_REQUESTED,
            applied_by=actor,
            applied_at=timezone.now(),
        )
        audit.record(actor, "task.apply_sign_off", task, before=before, after=snapshot(task, FIELDS), reason=note)
    return task


def verify(task: Task, *, actor: Any, conclusion: str) -> Task:
    """The acceptance unit checks on site and writes its conclusion."""
    authorize(actor, "tasks.verify", task)
    require_unit_role(actor, "tasks.verify", task.acceptance_unit)
    if task.signoff_step != S.ACCEPTANCE_REQUESTED:
        raise _step_error(task, S.ACCEPTANCE_REQUESTED)
    if task.applied_by_id is not None and task.applied_by_id == actor.pk:
        raise ValidationError(_("The person who applied for acceptance cannot also verify it on site."))
    if not (conclusion or "").strip():
        raise ValidationError({"conclusion": _("Write the on-site conclusion.")})
    before = snapshot(task, FIELDS)
    with transaction.atomic():
        claim(
            task,
            steps=(S.ACCEPTANCE_REQUESTED,),
            signoff_step=S.SITE_VERIFIED,
            verified_by=actor,
            verified_at=timezone.now(),
            verification_conclusion=conclusion.strip(),
        )
        audit.record(actor, "task.verify", task, before=before, after=snapshot(task, FIELDS))
    return task


def same_signer_exemption(task: Task) -> str:
    """The documented reason when the campaign lets a small acceptance unit's verifier also sign, else ''."""
    settings = LedgerSettings.objects.filter(campaign_id=task.campaign_id, verifier_may_sign=True).first()
    return settings.verifier_may_sign_reason.strip() if settings is not None else ""


def sign(task: Task, *, actor: Any, note: str = "") -> Task:
    """An acceptance officer who neither applied nor verified signs: whoever accepts is responsible.

    The campaign's ledger settings may let the verifier also sign (a documented small acceptance unit);
    the signature's audit event then carries that reason.
    """
    authorize(actor, "tasks.sign", task)
    require_unit_role(actor, "tasks.sign", task.acceptance_unit)
    if task.signoff_step != S.SITE_VERIFIED:
        raise _step_error(task, S.SITE_VERIFIED)
    if task.applied_by_id is not None and task.applied_by_id == actor.pk:
        raise ValidationError(_("The person who applied for acceptance cannot also sign it."))
    exemption = ""
    if task.verified_by_id is not None and task.verified_by_id == actor.pk:
        exemption = same_signer_exemption(task)
        if not exemption:
            raise ValidationError(
                _(
                    "The person who verified the task on site cannot also sign it; another acceptance officer signs "
                    "(the campaign's ledger settings may allow it for a documented small acceptance unit)."
                )
            )
    before = snapshot(task, FIELDS)
    with transaction.atomic():
        claim(task, steps=(S.SITE_VERIFIED,), signoff_step=S.SIGNED, signed_by=actor, signed_at=timezone.now())
        after = snapshot(task, FIELDS)
        if exemption:
            after["verifier_also_signed"] = exemption
        audit.record(actor, "task.sign", task, before=before, after=after, reason=note)
    return task


def notice_period(campaign: Any, start: dt.date) -> tuple[dt.date, dt.date, int, bool]:
    """(first day, last day, working days, estimated) for a notice starting on `start`.

    The notice lasts exactly the campaign's configured number of working days: a setting beyond
    MAX_NOTICE_DAYS is refused, never silently shortened.
    """
    days = max(int(getattr(campaign, "notice_working_days", 5) or 5), 1)
    if days > MAX_NOTICE_DAYS:
        raise ValidationError(
            _("The campaign's public notice of %(n)s working days is longer than the %(max)s allowed; correct the campaign.")
            % {"n": days, "max": MAX_NOTICE_DAYS}
        )
    first = calendar.add_working_days(start, 0)
    last = calendar.add_working_days(first, days - 1)
    return first, last, days, bool(first.estimated or last.estimated)


def start_notice(task: Task, *, actor: Any, start: dt.date | None = None, on: dt.date | None = None) -> Task:
    """The rectification office publishes the proposed closure for N working days, from today or a later day.

    `on` stands for today (tests replay historical calendars with it); no page, API or command passes it.
    """
    authorize(actor, "tasks.notice", task)
    if task.signoff_step != S.SIGNED:
        raise _step_error(task, S.SIGNED)
    today = on or timezone.localdate()
    start = start or today
    if start < today:
        raise ValidationError(
            {
                "start": _("A public notice cannot start in the past (%(start)s): it starts today or later.")
                % {"start": f"{start:%Y-%m-%d}"}
            }
        )
    first, last, days, estimated = notice_period(task.campaign, start)
    before = snapshot(task, FIELDS)
    with transaction.atomic():
        claim(
            task,
            steps=(S.SIGNED,),
            status=TaskStatus.UNDER_NOTICE,
            signoff_step=S.UNDER_NOTICE,
            notice_start=first,
            notice_end=last,
            notice_days=days,
            notice_estimated=estimated,
        )
        audit.record(actor, "task.start_notice", task, before=before, after=snapshot(task, FIELDS))
    return task


def raise_objection(task: Task, *, text: str, actor: Any = None, contact: str = "", on: dt.date | None = None) -> Objection:
    """An objection during the notice, from the public portal (actor None) or recorded by staff."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        authorize(actor, "tasks.object", task)
    today = on or timezone.localdate()
    if task.signoff_step != S.UNDER_NOTICE or not task.notice_start or not task.notice_end:
        raise ValidationError(_("Objections are taken only while the task is under public notice."))
    # The notice is public from the day it is published; when that is a rest day its first working day
    # comes later, but an objection made in between is on time.
    if today > task.notice_end:
        raise ValidationError(_("The notice period has ended; objections are no longer taken here."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Say what is wrong with the proposed closure.")})
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        obj = Objection.objects.create(task=task, text=text.strip(), contact=contact, received_on=today, recorded_by=user)
        audit.record(user or "public", "task.objection", task, after={"objection": str(obj.pk), "received_on": today})
    return obj


def decide_objection(task: Task, objection: Objection, *, actor: Any, upheld: bool, reason: str) -> Objection:
    """The office decides: an upheld objection returns the task; a dismissed one lets the notice run."""
    authorize(actor, "tasks.file", task)
    if objection.task_id != task.pk:
        raise ValidationError({"objection": _("This objection is about another task.")})
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError(_("This objection has already been decided."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    with transaction.atomic():
        n = Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.OPEN).update(
            status=ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED, decided_by=actor, decision_reason=reason
        )
        if n != 1:
            raise ValidationError(_("This objection has already been decided."))
        objection.refresh_from_db()
        audit.record(
            actor, "task.objection_decided", task, after={"objection": str(objection.pk), "upheld": upheld}, reason=reason
        )
        if upheld:
            _return(task, actor=actor, reason=_("Objection upheld: %(r)s") % {"r": reason})
    return objection


def file_blocker(task: Task, today: dt.date) -> str:
    """Why the task cannot be filed today ('' when it can): the rules `file` enforces, in the user's words."""
    if task.notice_end is None or today <= task.notice_end:
        end = f"{task.notice_end:%Y-%m-%d}" if task.notice_end else "—"
        return _("The public notice runs until %(end)s; the task can be filed after that.") % {"end": end}
    required = task.notice_days or max(int(task.campaign.notice_working_days or 5), 1)
    if task.notice_start is None or calendar.working_days_between(task.notice_start - ONE_DAY, task.notice_end) < required:
        return _(
            "The public notice must run at least %(n)s working days; this one is shorter. Return the task and give notice again."
        ) % {"n": required}
    if task.objections.filter(status=ObjectionStatus.OPEN).exists():
        return _("An objection is awaiting a decision.")
    if task.objections.filter(status=ObjectionStatus.UPHELD, created_at__gte=task.signed_at or task.created_at).exists():
        return _("An objection was upheld; the task must go back to rectification.")
    return ""


def file(task: Task, *, actor: Any, on: dt.date | None = None) -> Task:
    """File (销号): only after the notice has run out with no objection open or upheld."""
    authorize(actor, "tasks.file", task)
    today = on or timezone.localdate()
    if task.signoff_step != S.UNDER_NOTICE:
        raise _step_error(task, S.UNDER_NOTICE)
    blocker = file_blocker(task, today)
    if blocker:
        raise ValidationError(blocker)
    before = snapshot(task, FIELDS)
    with transaction.atomic():
        claim(
            task,
            steps=(S.UNDER_NOTICE,),
            status=TaskStatus.CLOSED,
            signoff_step=S.FILED,
            closed_on=today,
            filed_by=actor,
            progress=100,
        )
        audit.record(actor, "task.file", task, before=before, after=snapshot(task, FIELDS))
    return task


RETURNABLE = (S.ACCEPTANCE_REQUESTED, S.SITE_VERIFIED, S.SIGNED, S.UNDER_NOTICE)


def _return(task: Task, *, actor: Any, reason: str) -> Task:
    before = snapshot(task, FIELDS)
    claim(
        task,
        steps=RETURNABLE,
        status=TaskStatus.IN_PROGRESS,
        signoff_step=S.RETURNED,
        return_reason=reason,
        verified_by=None,
        verified_at=None,
        signed_by=None,
        signed_at=None,
        notice_start=None,
        notice_end=None,
        notice_days=None,
    )
    audit.record(actor, "task.return", task, before=before, after=snapshot(task, FIELDS), reason=reason)
    return task


def return_task(task: Task, *, actor: Any, reason: str) -> Task:
    """The acceptance unit or the office sends the task back (failed check, thin file, objection)."""
    authorize(actor, "tasks.return", task)
    if task.signoff_step not in RETURNABLE:
        raise ValidationError(_("Only a task in sign-off can be returned."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for returning the task.")})
    with transaction.atomic():
        return _return(task, actor=actor, reason=reason.strip())


def reopen(task: Task, *, actor: Any, source: str, reason: str, on: dt.date | None = None) -> Reopening:
    """A spot check, look-back, complaint or the media shows a filed task is not fixed."""
    authorize(actor, "tasks.reopen", task)
    if task.status != TaskStatus.CLOSED:
        raise ValidationError(_("Only a closed task can be reopened."))
    if source not in ReopenSource.values:
        raise ValidationError({"source": _("Say what reopened the task (spot check, look-back, complaint, media, objection).")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    today = on or timezone.localdate()
    before = snapshot(task, FIELDS)
    with transaction.atomic():
        closed_on = task.closed_on
        claim(
            task,
            steps=(S.FILED,),
            statuses=(TaskStatus.CLOSED,),
            status=TaskStatus.REOPENED,
            signoff_step=S.NONE,
            closed_on=None,
            reopen_count=task.reopen_count + 1,
        )
        r = Reopening.objects.create(
            task=task, source=source, reason=reason.strip(), on=today, closed_on_before=closed_on, by=actor
        )
        audit.record(actor, "task.reopen", task, before=before, after=snapshot(task, FIELDS), reason=f"{source}: {reason}")
    return r
