"""Handling results: the unit's reply, the team's review, the complainant's rating."""

from __future__ import annotations

import hmac
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot
from inspectorate.core.storage import cleanup_on_error, storage_guard

from ..models import (
    Case,
    CaseStatus,
    Complaint,
    EvidenceFile,
    HandlingResult,
    PenaltyDecision,
    Rating,
    ResultStatus,
    Verdict,
    verdict_conflicts,
)
from ..uploads import check_evidence

COUNT_FIELDS = (
    "ordered_to_rectify",
    "cases_filed",
    "criminal_cases",
    "detained_administrative",
    "detained_criminal",
    "interviewed",
    "held_accountable",
)


def reply_case(
    case: Case,
    *,
    actor: Any,
    summary: str,
    verdict: str,
    status: str,
    measures: str = "",
    next_step: str = "",
    next_step_date: Any = None,
    penalties: Any = (),
    evidence: Any = (),
    explanation: str = "",
    **counts: Any,
) -> HandlingResult:
    """The handling unit's reply (a new version each time; earlier replies stay as they were).

    An "untrue" verdict with orders, penalty cases, fines, criminal cases or detentions contradicts itself: it is
    refused unless `explanation` says why, and then filed with `verdict_conflict` set for the reviewer.
    """
    authorize(actor, "cases.reply", case)
    if case.status not in (CaseStatus.TRANSFERRED, CaseStatus.DISPATCHED, CaseStatus.RETURNED, CaseStatus.PUBLISHED):
        raise ValidationError(_("This case is not waiting for a reply (%(s)s).") % {"s": case.get_status_display()})
    errors: dict[str, str] = {}
    if not (summary or "").strip():
        errors["summary"] = _("Describe what the investigation found.")
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose a verdict.")
    if status not in ResultStatus.values:
        errors["status"] = _("Choose a status.")
    if status in (ResultStatus.STAGED_CLOSED, ResultStatus.OPEN) and not next_step_date:
        errors["next_step_date"] = _("Give the committed date of the next step.")
    unknown = set(counts) - set(COUNT_FIELDS)
    if unknown:
        errors["non_field_errors"] = _("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))}
    clean_counts: dict[str, int] = {}
    for k in COUNT_FIELDS:
        try:
            v = int(counts.get(k) or 0)
        except (TypeError, ValueError):
            v = -1
        if v < 0:
            errors[k] = _("Enter a whole number of zero or more.")
        clean_counts[k] = max(v, 0)
    parsed_penalties: list[tuple[str, Decimal, str]] = []
    for p in penalties or ():
        name = str(p.get("enterprise_name", "")).strip()
        try:
            amount = Decimal(str(p.get("amount", "0"))).quantize(Decimal("0.01"))
        except InvalidOperation:
            errors["penalties"] = _("Fine amounts must be numbers in yuan.")
            continue
        if not name or amount < 0:
            errors["penalties"] = _("Each penalty needs an enterprise and a non-negative fine in yuan.")
            continue
        parsed_penalties.append((name[:200], amount, str(p.get("decision_no", ""))[:100]))
    conflicts = verdict_conflicts(verdict, clean_counts, penalties=len(parsed_penalties))
    explanation = (explanation or "").strip()
    if conflicts and not explanation:
        errors["explanation"] = _(
            "An “untrue” verdict cannot come with %(what)s without an explanation: say why (for example, other "
            "violations found during the check), or correct the verdict or the figures."
        ) % {"what": conflict_labels(conflicts)}
    if errors:
        raise ValidationError(errors)
    files = check_evidence(evidence)
    with cleanup_on_error(EvidenceFile._meta.get_field("file").storage) as stored, transaction.atomic():
        last = case.results.aggregate(m=Max("version"))["m"] or 0
        result = HandlingResult.objects.create(
            case=case,
            version=last + 1,
            summary=summary.strip(),
            verdict=verdict,
            measures=(measures or "").strip(),
            status=status,
            next_step=(next_step or "").strip(),
            next_step_date=next_step_date or None,
            explanation=explanation,
            verdict_conflict=bool(conflicts),
            submitted_by=actor,
            **clean_counts,
        )
        PenaltyDecision.objects.bulk_create(
            [PenaltyDecision(result=result, enterprise_name=n, amount=a, decision_no=d) for n, a, d in parsed_penalties]
        )
        for f in files:
            with storage_guard():
                ev = EvidenceFile.objects.create(
                    case=case,
                    result=result,
                    file=ContentFile(f.content, name=f.name),
                    name=f.name,
                    sha256=f.sha256,
                    size=f.size,
                    uploaded_by=actor,
                )
            stored.append(ev.file.name)
        before = snapshot(case, ["status"])
        case.status = CaseStatus.REPLIED
        case.save(update_fields=["status"])
        audit.record(
            actor,
            "case.reply",
            case,
            before=before,
            after={
                **snapshot(result),
                "penalties": [[n, a] for n, a, _d in parsed_penalties],
                "evidence": [f.sha256 for f in files],
            },
        )
    return result


def conflict_labels(fields: list[str]) -> str:
    """The translated names of sanction fields, joined for a message."""
    names = [
        str(_("fines") if f == "penalties" else HandlingResult._meta.get_field(f).verbose_name)  # type: ignore[union-attr]
        for f in fields
    ]
    return ("、" if (get_language() or "").startswith("zh") else ", ").join(names)


def review_case(case: Case, *, actor: Any, accept: bool, reason: str = "") -> HandlingResult:
    """The team accepts the latest reply, or returns it with reasons (thin evidence, implausible verdict)."""
    authorize(actor, "cases.review", case)
    result = case.results.order_by("-version").first()
    if case.status != CaseStatus.REPLIED or result is None or result.review != HandlingResult.Review.PENDING:
        raise ValidationError(_("There is no reply waiting for review."))
    if not accept and not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the reply is returned.")})
    with transaction.atomic():
        result.review = HandlingResult.Review.ACCEPTED if accept else HandlingResult.Review.RETURNED
        result.review_reason = (reason or "").strip()
        result.reviewed_at = timezone.now()
        result.reviewed_by = actor
        result.save(update_fields=["review", "review_reason", "reviewed_at", "reviewed_by"])
        before = snapshot(case, ["status", "verdict", "result_status"])
        if accept:
            case.status = CaseStatus.REVIEWED
            case.verdict = result.verdict
            case.result_status = result.status
        else:
            case.status = CaseStatus.RETURNED
        case.save(update_fields=["status", "verdict", "result_status"])
        audit.record(
            actor,
            "case.accept" if accept else "case.return",
            case,
            before=before,
            after={**snapshot(case, list(before)), "result": str(result.pk), "verdict_conflict": result.verdict_conflict},
            reason=reason,
        )
    return result


def check_tracking(receipt_code: str, secret: str) -> Complaint | None:
    """The complaint for a receipt code and its secret (constant-time comparison), else None."""
    c = Complaint.objects.select_related("case", "campaign").filter(receipt_code=(receipt_code or "").strip().upper()).first()
    if c is None or not hmac.compare_digest(c.tracking_secret, (secret or "").strip().upper()):
        return None
    return c


def rate_result(complaint: Complaint, *, score: str, comment: str = "") -> Rating:
    """The complainant rates the published result; 'not satisfied' opens a review (it does not reopen the case)."""
    case = Case.objects.filter(pk=complaint.case_id).first() if complaint.case_id else None
    if case is None or case.status != CaseStatus.PUBLISHED:
        raise ValidationError(_("The result has not been published yet."))
    if score not in Rating.Score.values:
        raise ValidationError({"score": _("Choose a rating.")})
    with transaction.atomic():
        rating = Rating.objects.create(
            complaint=complaint,
            case=case,
            score=score,
            comment=(comment or "")[:2000],
            review_open=score == Rating.Score.NOT_SATISFIED,
        )
        if rating.review_open and not case.under_review:
            case.under_review = True
            case.save(update_fields=["under_review"])
        audit.record("public:rating", "case.rate", case, after={"score": score, "review_open": rating.review_open})
    return rating


def close_rating_review(rating: Rating, *, actor: Any, outcome: str, reopen: bool = False) -> Rating:
    """Close the review a "not satisfied" rating opened; `reopen` sends the case back for a new reply."""
    authorize(actor, "cases.review", rating.case)
    if not rating.review_open:
        raise ValidationError(_("This rating has no open review."))
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Record the outcome of the review.")})
    with transaction.atomic():
        rating.review_open = False
        rating.review_outcome = outcome.strip()
        rating.save(update_fields=["review_open", "review_outcome"])
        case = rating.case
        if not case.ratings.filter(review_open=True).exists():
            case.under_review = False
            case.save(update_fields=["under_review"])
        audit.record(actor, "case.review_rating", case, after={"rating": rating.pk, "reopen": reopen}, reason=outcome)
        if reopen:
            _reopen(case, actor=actor, reason=outcome)
    return rating


def _reopen(case: Case, *, actor: Any, reason: str) -> None:
    from .batches import SHANGHAI, due_date_for

    before = snapshot(case, ["status", "due_date", "due_rule"])
    due, rule, estimated = due_date_for(case.campaign, timezone.now().astimezone(SHANGHAI).date())
    case.status = CaseStatus.RETURNED
    case.due_date, case.due_rule, case.due_estimated = due, f"reopened: {rule}", estimated
    case.save(update_fields=["status", "due_date", "due_rule", "due_estimated"])
    audit.record(actor, "case.reopen", case, before=before, after=snapshot(case, list(before)), reason=reason)
