"""Accountability actions, one per step: the team hands over and transfers; the discipline body investigates,
decides, records the measures per person and publishes. Each atomic, audited, moved by a conditional UPDATE."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from ..models import AccountabilityIssue, AccountabilityRecord, CareerEvent, CareerEventKind, IssueStatus
from .common import claim, fingerprint, idempotent_hit, remember

ISSUE_FIELDS = frozenset({"title", "facts", "suggested_people", "responsible_units", "problem", "handed_over_on"})
RECORD_FIELDS = frozenset({"person_name", "post", "unit", "rank", "unit_type", "measure", "approving_body", "decided_on", "note"})
# Records are written while the discipline body works and until the decision is published; never after.
RECORD_OPEN = (IssueStatus.INVESTIGATING, IssueStatus.DECIDED)


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))


def _check_units(campaign: Any, units: list[Any]) -> None:
    if not units:
        raise ValidationError({"responsible_units": _("Name at least one responsible unit.")})
    paths = campaign.target_paths()
    if any(not any(u.path.startswith(p) for p in paths) for u in units):
        raise ValidationError({"responsible_units": _("Responsible units must belong to the campaign's targets.")})


def _day(value: dt.date | None, field: str, *, not_before: dt.date | None = None) -> dt.date:
    day = value or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({field: _("This date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError({field: _("This date cannot come before the previous step (%(d)s).") % {"d": not_before}})
    return day


def create_issue(
    *,
    actor: Any,
    campaign: Any,
    title: str,
    facts: str,
    responsible_units: list[Any],
    suggested_people: str = "",
    problem: Any = None,
    handed_over_on: dt.date | None = None,
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
) -> AccountabilityIssue:
    """The team lists an accountability issue in its feedback handover."""
    authorize(actor, "accountability.handover", campaign)
    body_hash = fingerprint(
        {"campaign": str(campaign.pk), "title": title, "facts": facts, "units": sorted(str(u.pk) for u in responsible_units),
         "suggested": suggested_people, "problem": str(getattr(problem, "pk", "")), "on": handed_over_on}
    )  # fmt: skip
    if idempotency_key:
        hit = idempotent_hit(idempotency_scope, "issue", idempotency_key, body_hash)
        if hit is not None:
            return AccountabilityIssue.objects.get(pk=hit)
    _check_units(campaign, responsible_units)
    if problem is not None and problem.campaign_id != campaign.pk:
        raise ValidationError({"problem": _("The problem belongs to another campaign.")})
    with transaction.atomic():
        number = (AccountabilityIssue.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0) + 1
        issue = AccountabilityIssue(
            campaign=campaign,
            number=number,
            title=title.strip(),
            facts=facts.strip(),
            suggested_people=suggested_people,
            problem=problem,
            handed_over_on=_day(handed_over_on, "handed_over_on"),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        issue.full_clean()
        issue.save()
        issue.responsible_units.set(responsible_units)
        if idempotency_key:
            remember(idempotency_scope, "issue", idempotency_key, body_hash, issue.pk)
        audit.record(actor, "accountability_issue.create", issue, after=snapshot(issue))
    return issue


def update_issue(issue: AccountabilityIssue, *, actor: Any, reason: str = "", **changes: Any) -> AccountabilityIssue:
    """The team corrects an issue it has not transferred yet."""
    authorize(actor, "accountability.handover", issue)
    _check_fields(changes, ISSUE_FIELDS)
    if issue.status != IssueStatus.HANDED_OVER:
        raise ValidationError(_("The issue has been transferred; it can no longer be changed by the team."))
    units = changes.pop("responsible_units", None)
    if units is not None:
        _check_units(issue.campaign, units)
    before = snapshot(issue)
    for key, value in changes.items():
        setattr(issue, key, value)
    issue.updated_at = timezone.now()
    with transaction.atomic():
        issue.full_clean()
        claim(issue, statuses=(IssueStatus.HANDED_OVER,), **{k: getattr(issue, k) for k in [*changes, "updated_at"]})
        if units is not None:
            issue.responsible_units.set(units)
        audit.record(actor, "accountability_issue.update", issue, before=before, after=snapshot(issue), reason=reason)
    return issue


def transfer(issue: AccountabilityIssue, *, actor: Any, discipline_body: str, on: dt.date | None = None) -> AccountabilityIssue:
    """The team transfers the issue to the discipline body; from now on the target sees it (without suggestions)."""
    authorize(actor, "accountability.handover", issue)
    if not discipline_body.strip():
        raise ValidationError({"discipline_body": _("Name the discipline body the issue is transferred to.")})
    day = _day(on, "on", not_before=issue.handed_over_on)
    before = snapshot(issue)
    with transaction.atomic():
        claim(
            issue,
            statuses=(IssueStatus.HANDED_OVER,),
            status=IssueStatus.TRANSFERRED,
            discipline_body=discipline_body.strip(),
            transferred_on=day,
            updated_at=timezone.now(),
        )
        audit.record(actor, "accountability_issue.transfer", issue, before=before, after=snapshot(issue))
    return issue


def start_investigation(issue: AccountabilityIssue, *, actor: Any, on: dt.date | None = None) -> AccountabilityIssue:
    authorize(actor, "accountability.manage", issue)
    day = _day(on, "on", not_before=issue.transferred_on)
    before = snapshot(issue)
    with transaction.atomic():
        claim(
            issue,
            statuses=(IssueStatus.TRANSFERRED,),
            status=IssueStatus.INVESTIGATING,
            investigation_started_on=day,
            updated_at=timezone.now(),
        )
        audit.record(actor, "accountability_issue.investigate", issue, before=before, after=snapshot(issue))
    return issue


def decide(issue: AccountabilityIssue, *, actor: Any, decision: str, on: dt.date | None = None) -> AccountabilityIssue:
    authorize(actor, "accountability.manage", issue)
    if not decision.strip():
        raise ValidationError({"decision": _("Summarise the decision.")})
    day = _day(on, "on", not_before=issue.investigation_started_on)
    before = snapshot(issue)
    with transaction.atomic():
        claim(
            issue,
            statuses=(IssueStatus.INVESTIGATING,),
            status=IssueStatus.DECIDED,
            decision=decision.strip(),
            decided_on=day,
            updated_at=timezone.now(),
        )
        audit.record(actor, "accountability_issue.decide", issue, before=before, after=snapshot(issue))
    return issue


def publish_issue(
    issue: AccountabilityIssue, *, actor: Any, on: dt.date | None = None, publication_ref: str = ""
) -> AccountabilityIssue:
    """The approving body released the results: the issue and its records become public and are frozen."""
    authorize(actor, "accountability.manage", issue)
    day = _day(on, "on", not_before=issue.decided_on)
    before = snapshot(issue)
    with transaction.atomic():
        claim(
            issue,
            statuses=(IssueStatus.DECIDED,),
            status=IssueStatus.PUBLISHED,
            published_on=day,
            publication_ref=publication_ref.strip(),
            updated_at=timezone.now(),
        )
        audit.record(actor, "accountability_issue.publish", issue, before=before, after=snapshot(issue))
    return issue


def add_record(issue: AccountabilityIssue, *, actor: Any, **fields: Any) -> AccountabilityRecord:
    """One measure against one person. The same person with the same measure twice for one issue is refused."""
    authorize(actor, "accountability.manage", issue)
    _check_fields(fields, RECORD_FIELDS)
    if issue.status not in RECORD_OPEN:
        raise ValidationError(_("Records are added while the issue is under investigation or decided, not after publication."))
    fields["person_name"] = " ".join(str(fields.get("person_name") or "").split())
    record = AccountabilityRecord(issue=issue, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    errors: dict[str, Any] = {}
    unit = fields.get("unit")
    if unit is not None and not any(unit.path.startswith(p) for p in issue.campaign.target_paths()):
        errors["unit"] = _("The person's unit must belong to the campaign's targets.")
    day = fields.get("decided_on")
    if day is not None and day > timezone.localdate():
        errors["decided_on"] = _("This date cannot be in the future.")
    elif day is not None and day < issue.handed_over_on:
        errors["decided_on"] = _("A measure cannot be dated before the issue was handed over.")
    try:
        record.full_clean(exclude=["issue"] if errors else None)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key if key != "__all__" else "person_name", messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Locks the issue's row to its state: a publish racing this insert either waits or fails the claim.
        claim(issue, statuses=RECORD_OPEN, updated_at=timezone.now())
        record.save()
        audit.record(actor, "accountability_record.create", record, after=snapshot(record))
    return record


def remove_record(record: AccountabilityRecord, *, actor: Any, reason: str) -> None:
    """Withdraw a record entered in error, before publication (the audit chain keeps it)."""
    issue = record.issue
    authorize(actor, "accountability.manage", issue)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is withdrawn.")})
    if issue.status not in RECORD_OPEN:
        raise ValidationError(_("A published record is never changed; publish a correction instead."))
    with transaction.atomic():
        claim(issue, statuses=RECORD_OPEN, updated_at=timezone.now())
        audit.record(actor, "accountability_record.delete", record, before=snapshot(record), reason=reason)
        record.delete()


def record_career_event(
    record: AccountabilityRecord, *, actor: Any, kind: str, on: dt.date | None, new_post: str, source: str = ""
) -> CareerEvent:
    """The discipline body records a later promotion, reward or transfer of a person held accountable; the
    fake-rectification check compares it with the measure's date (signal "held accountable, then promoted")."""
    authorize(actor, "accountability.manage", record.issue)
    errors: dict[str, Any] = {}
    if kind not in CareerEventKind.values:
        errors["kind"] = _("Choose promotion, reward or transfer.")
    if not (new_post or "").strip():
        errors["new_post"] = _("Name the new post or the distinction.")
    if on is None:
        errors["on"] = _("Give the date.")
    elif on > timezone.localdate():
        errors["on"] = _("This date cannot be in the future.")
    elif on < record.decided_on:
        errors["on"] = _("A later career step cannot be dated before the measure (%(d)s).") % {"d": record.decided_on}
    if errors:
        raise ValidationError(errors)
    assert on is not None
    event = CareerEvent(
        record=record,
        kind=kind,
        on=on,
        new_post=new_post.strip(),
        source=source.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    with transaction.atomic():
        event.save()
        audit.record(actor, "accountability_record.career_event", record, after=snapshot(event))
    return event
