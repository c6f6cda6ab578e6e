"""Hidden dangers: register, edit, escalate, open → rectifying → pending verification → closed, files, promote."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.roles import PERMISSIONS
from inspectorate.accounts.scoping import active_memberships, authorize
from inspectorate.audit import snapshot
from inspectorate.core.errors import ExplainedDenial

from ..models import DangerEvidence, DangerLevel, DangerStatus, HiddenDanger
from .common import OPEN_STATES, claim, fingerprint, prior_result, remember, require_status

EDITABLE = {"title", "description", "location", "category", "level", "measure", "responsible_person", "deadline", "found_on"}
MAX_FILE = 20 * 1024 * 1024


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _next_number(year: int) -> str:
    prefix = f"YH{year}"
    last = HiddenDanger.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    seq = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{seq:05d}"


def _escalate(danger: HiddenDanger, actor: Any) -> None:
    """A major danger is supervised by the level above its unit (the group's own dangers stay with the group)."""
    if danger.level != DangerLevel.MAJOR or danger.supervising_unit_id is not None or danger.unit.parent_id is None:
        return
    before = snapshot(danger, ["supervising_unit", "escalated_at"])
    danger.supervising_unit = danger.unit.parent
    danger.escalated_at = timezone.now()
    danger.save(update_fields=["supervising_unit", "escalated_at", "updated_at"])
    audit.record(
        actor,
        "hidden_danger.escalate",
        danger,
        before=before,
        after=snapshot(danger, ["supervising_unit", "escalated_at"]),
        reason=_("Major hidden danger: supervised by the level above."),
    )


def _store(danger: HiddenDanger, actor: Any, *, content: bytes, filename: str, stage: str, note: str = "") -> DangerEvidence:
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_FILE:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    digest = hashlib.sha256(content).hexdigest()
    ev = DangerEvidence(
        danger=danger,
        stage=stage,
        original_name=filename[:255],
        size=len(content),
        sha256=digest,
        note=note[:300],
        uploaded_by=_user(actor),
    )
    ev.file.save(filename, ContentFile(content), save=False)
    ev.save()
    return ev


def create_danger(
    *,
    actor: Any,
    files: Iterable[tuple[str, bytes]] = (),
    idempotency_key: str | None = None,
    reason: str = "",
    **fields: Any,
) -> HiddenDanger:
    """Register a hidden danger on a unit the actor reports for; a major one is escalated at once."""
    unknown = set(fields) - EDITABLE - {"unit"}
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    unit = fields.get("unit")
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit where the hidden danger was found.")})
    authorize(actor, "hazards.report", unit)
    files = list(files)
    scope = f"user:{getattr(actor, 'pk', '')}"
    body = fingerprint({**{k: str(v.pk if hasattr(v, "pk") else v) for k, v in fields.items()}, "files": [
        hashlib.sha256(c).hexdigest() for _n, c in files
    ]})  # fmt: skip
    prior = prior_result(scope, "danger", idempotency_key, body)
    if prior is not None:
        return HiddenDanger.objects.get(pk=prior)
    danger = HiddenDanger(found_by=_user(actor), **fields)
    for attempt in range(5):
        danger.number = _next_number((danger.found_on or timezone.localdate()).year)
        try:
            with transaction.atomic():
                danger.full_clean()
                danger.save(force_insert=True)
                audit.record(actor, "hidden_danger.create", danger, after=snapshot(danger), reason=reason)
                for name, content in files:
                    _store(danger, actor, content=content, filename=name, stage=DangerEvidence.Stage.FOUND)
                _escalate(danger, actor)
                remember(scope, "danger", idempotency_key, body, danger.pk)
            return danger
        except IntegrityError:
            # Another process took the number (or the same key) meanwhile: look again.
            prior = prior_result(scope, "danger", idempotency_key, body)
            if prior is not None:
                return HiddenDanger.objects.get(pk=prior)
            danger._state.adding = True
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def update_danger(danger: HiddenDanger, *, actor: Any, reason: str = "", **changes: Any) -> HiddenDanger:
    authorize(actor, "hazards.report", danger)
    require_status(danger, *OPEN_STATES)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(
            _("Only the description, level, measure, responsible person and deadline of a hidden danger can be edited.")
        )
    before = snapshot(danger)
    for k, v in changes.items():
        setattr(danger, k, v)
    with transaction.atomic():
        danger.full_clean()
        danger.save()
        audit.record(actor, "hidden_danger.update", danger, before=before, after=snapshot(danger), reason=reason)
        _escalate(danger, actor)
    return danger


def start_rectification(danger: HiddenDanger, *, actor: Any, note: str = "") -> HiddenDanger:
    """open → rectifying: the measure, the responsible person and the deadline must be set."""
    authorize(actor, "hazards.report", danger)
    require_status(danger, DangerStatus.OPEN)
    missing = {}
    if not danger.measure.strip():
        missing["measure"] = _("Write the rectification measure first.")
    if not danger.responsible_person.strip():
        missing["responsible_person"] = _("Name the responsible person first.")
    if danger.deadline is None:
        missing["deadline"] = _("Set the deadline first.")
    if missing:
        raise ValidationError(missing)
    before = snapshot(danger, ["status"])
    with transaction.atomic():
        claim(danger, statuses=(DangerStatus.OPEN,), status=DangerStatus.RECTIFYING)
        audit.record(actor, "hidden_danger.start", danger, before=before, after=snapshot(danger, ["status"]), reason=note)
    return danger


def submit_for_verification(danger: HiddenDanger, *, actor: Any, note: str = "") -> HiddenDanger:
    """rectifying → pending verification: at least one file showing the fix must be attached."""
    authorize(actor, "hazards.report", danger)
    require_status(danger, DangerStatus.RECTIFYING)
    if not danger.evidence.filter(stage=DangerEvidence.Stage.RECTIFIED).exists():
        raise ValidationError(
            {"evidence": _("Attach at least one file showing the rectification before asking for verification.")}
        )
    before = snapshot(danger, ["status", "rectified_by", "submitted_at"])
    with transaction.atomic():
        claim(
            danger,
            statuses=(DangerStatus.RECTIFYING,),
            status=DangerStatus.PENDING_VERIFICATION,
            rectified_by=_user(actor),
            submitted_at=timezone.now(),
        )
        audit.record(
            actor,
            "hidden_danger.submit",
            danger,
            before=before,
            after=snapshot(danger, ["status", "rectified_by", "submitted_at"]),
            reason=note,
        )
    return danger


def _check_verifier(danger: HiddenDanger, actor: Any) -> None:
    actor_pk = getattr(actor, "pk", None)
    if actor_pk is not None and actor_pk in (danger.found_by_id, danger.rectified_by_id):
        raise ValidationError(
            _("Verification must be done by a different person from the one who reported or rectified the hidden danger.")
        )
    if danger.level == DangerLevel.MAJOR and danger.supervising_unit is not None and not getattr(actor, "is_superuser", False):
        sup = danger.supervising_unit
        for m in active_memberships(actor):
            if (
                "hazards.verify" in PERMISSIONS.get(m.role, frozenset())
                and m.org_unit is not None
                and sup.path.startswith(m.org_unit.path)
            ):
                return
        raise ExplainedDenial(
            _("A major hidden danger is verified by its supervising unit (%(unit)s) or a level above it.") % {"unit": sup}
        )


def verify_danger(danger: HiddenDanger, *, actor: Any, conclusion: str) -> HiddenDanger:
    """pending verification → closed, by someone other than the reporter and the rectifier."""
    authorize(actor, "hazards.verify", danger)
    require_status(danger, DangerStatus.PENDING_VERIFICATION)
    if not (conclusion or "").strip():
        raise ValidationError({"conclusion": _("Write the verification conclusion.")})
    _check_verifier(danger, actor)
    fields = ["status", "verified_by", "verified_at", "verification_note", "closed_on"]
    before = snapshot(danger, fields)
    with transaction.atomic():
        claim(
            danger,
            statuses=(DangerStatus.PENDING_VERIFICATION,),
            status=DangerStatus.CLOSED,
            verified_by=_user(actor),
            verified_at=timezone.now(),
            verification_note=conclusion,
            closed_on=timezone.localdate(),
        )
        audit.record(actor, "hidden_danger.verify", danger, before=before, after=snapshot(danger, fields))
    return danger


def reject_danger(danger: HiddenDanger, *, actor: Any, reason: str) -> HiddenDanger:
    """pending verification → rectifying: the verifier sends it back with a reason."""
    authorize(actor, "hazards.verify", danger)
    require_status(danger, DangerStatus.PENDING_VERIFICATION)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the rectification is not accepted.")})
    _check_verifier(danger, actor)
    before = snapshot(danger, ["status"])
    with transaction.atomic():
        claim(danger, statuses=(DangerStatus.PENDING_VERIFICATION,), status=DangerStatus.RECTIFYING)
        audit.record(actor, "hidden_danger.reject", danger, before=before, after=snapshot(danger, ["status"]), reason=reason)
    return danger


def add_danger_evidence(
    danger: HiddenDanger, *, actor: Any, content: bytes, filename: str, stage: str, note: str = ""
) -> DangerEvidence:
    authorize(actor, "hazards.report", danger)
    require_status(danger, *OPEN_STATES)
    if stage not in DangerEvidence.Stage.values:
        raise ValidationError({"stage": _("Say whether the file shows the danger as found or after rectification.")})
    with transaction.atomic():
        ev = _store(danger, actor, content=content, filename=filename, stage=stage, note=note)
        audit.record(actor, "hidden_danger.evidence", danger, after=snapshot(ev, ["stage", "original_name", "size", "sha256"]))
    return ev


def promote_danger(danger: HiddenDanger, *, actor: Any, campaign: Any, number: str = "") -> Any:
    """Make the danger a problem of a campaign's rectification ledger (self-found), linked both ways."""
    from inspectorate.rectification.actions import create_problem
    from inspectorate.rectification.models import Source

    authorize(actor, "view", danger)
    if danger.problem_id is not None:
        raise ValidationError(
            _("This hidden danger is already on the ledger as problem %(problem)s.") % {"problem": danger.problem}
        )
    with transaction.atomic():
        problem = create_problem(
            actor=actor,
            campaign=campaign,
            unit=danger.unit,
            number=(number or danger.number).strip(),
            title=danger.title[:500],
            description="\n".join(x for x in [danger.description, danger.location, danger.measure] if x),
            source=Source.SELF_FOUND,
            origin=danger,
        )
        if (
            HiddenDanger.objects.filter(pk=danger.pk, problem__isnull=True).update(problem=problem, updated_at=timezone.now())
            != 1
        ):
            raise ValidationError(_("This hidden danger was put on the ledger meanwhile. Reload the page."))
        danger.problem = problem
        audit.record(actor, "hidden_danger.promote", danger, before={"problem": None}, after={"problem": str(problem.pk)})
    return problem
