"""Merge a cluster of duplicate complaints in one step (the merge queue); `screening.unmerge_complaint` undoes one.

`merge_cluster(primary, duplicates)`: the duplicates become duplicates of the primary (``duplicate_of``) and
join its case, if it has one.  A duplicate that was already accepted into its own case (not yet batched)
hands that case over: the case is marked merged into the primary's case, as `merge_complaint` does.  The
rows are locked (in id order, so two merges of crossing clusters wait for each other instead of deadlocking)
and changed with a conditional UPDATE: of two identical requests (a double click) exactly one merges, the
other is told that the cluster changed.  Every complaint and case gets an audit event with before and after.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from ..models import Case, CaseStatus, Complaint, ComplaintStatus

OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.SCREENED)


def _own_case(c: Complaint) -> Case | None:
    if c.case_id is None:
        return None
    case = Case.objects.filter(pk=c.case_id, origin=c).first()
    return case


def merge_cluster(primary: Complaint, duplicates: list[Complaint], *, actor: Any, reason: str = "") -> list[Complaint]:
    """Make `duplicates` duplicates of `primary`; returns them, merged.  ValidationError when nothing can be merged."""
    authorize(actor, "complaints.screen", primary)
    for d in duplicates:
        authorize(actor, "complaints.screen", d)
    others = {str(d.pk): d for d in duplicates if d.pk != primary.pk}
    if not others:
        raise ValidationError({"duplicates": _("Choose at least one other complaint to merge into the primary one.")})
    if any(d.campaign_id != primary.campaign_id for d in others.values()):
        raise ValidationError({"duplicates": _("All complaints of a merge must belong to the same campaign.")})
    reason = (reason or "").strip()
    ids = sorted([primary.pk, *(d.pk for d in others.values())], key=str)
    with transaction.atomic():
        locked = {str(c.pk): c for c in Complaint.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        head = locked[str(primary.pk)]
        if head.status in (ComplaintStatus.INVALID, ComplaintStatus.DUPLICATE):
            raise ValidationError(
                {"primary": _("The primary complaint is %(s)s; choose another one.") % {"s": head.get_status_display()}}
            )
        target = _own_case(head) if head.status == ComplaintStatus.ACCEPTED else None
        if target is None and head.case_id is not None:
            target = Case.objects.filter(pk=head.case_id).first()
        if target is not None and target.status == CaseStatus.MERGED:
            raise ValidationError({"primary": _("The primary complaint's case was itself merged; choose another primary.")})
        now = timezone.now()
        merged = []
        for key in sorted(others):
            c = locked[key]
            own = _own_case(c) if c.status == ComplaintStatus.ACCEPTED else None
            if c.status not in OPEN and not (own is not None and own.batch_id is None and own.status != CaseStatus.MERGED):
                raise ValidationError(
                    _(
                        "Complaint %(code)s can no longer be merged (it is %(s)s); someone may have acted on it first. "
                        "Reload the cluster."
                    )
                    % {"code": c.receipt_code, "s": c.get_status_display()}
                )
            if own is not None and target is None:
                raise ValidationError(
                    {
                        "primary": _(
                            "Complaint %(code)s already has a case: choose a primary complaint that has a case, or that one."
                        )
                        % {"code": c.receipt_code}
                    }
                )
            before = snapshot(c, ["status", "case", "duplicate_of", "status_reason"])
            if own is not None and target is not None:
                own_before = snapshot(own, ["status", "merged_into"])
                done = Case.objects.filter(pk=own.pk, batch__isnull=True).exclude(status=CaseStatus.MERGED)
                if done.update(status=CaseStatus.MERGED, merged_into=target) != 1:
                    msg = _("The case of complaint %(code)s changed meanwhile; reload.")
                    raise ValidationError(msg % {"code": c.receipt_code})
                own.refresh_from_db()
                Complaint.objects.filter(case=own).exclude(pk=c.pk).update(case=target)
                audit.record(actor, "case.merge", own, before=own_before, after=snapshot(own, list(own_before)), reason=reason)
            changed = Complaint.objects.filter(pk=c.pk, status=c.status).update(
                status=ComplaintStatus.DUPLICATE,
                duplicate_of=head,
                case=target,
                status_reason=reason,
                screened_at=c.screened_at or now,
            )
            if changed != 1:
                raise ValidationError(_("Complaint %(code)s changed meanwhile; reload the cluster.") % {"code": c.receipt_code})
            c.refresh_from_db()
            audit.record(actor, "complaint.merge", c, before=before, after=snapshot(c, list(before)), reason=reason)
            merged.append(c)
    return merged
