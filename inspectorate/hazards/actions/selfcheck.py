"""Self-inspections: checklist templates, campaigns over scope units, and filled checklists (failed items → hidden dangers)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot

from ..models import Answer, ChecklistItem, ChecklistRun, ChecklistTemplate, DangerEvidence, DangerLevel, SelfInspection
from .common import fingerprint, prior_result, remember
from .dangers import MAX_FILE, create_danger


def create_checklist(
    *, actor: Any, owner_unit: Any, title: str, items: list[dict[str, Any]], description: str = ""
) -> ChecklistTemplate:
    """A checklist template with its items (category, requirement, legal basis, weight), numbered in order."""
    authorize(actor, "selfcheck.manage", owner_unit)
    if not items:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    template = ChecklistTemplate(owner_unit=owner_unit, title=title, description=description)
    with transaction.atomic():
        template.full_clean()
        template.save()
        errors: dict[str, list[str]] = {}
        for n, data in enumerate(items, start=1):
            item = ChecklistItem(template=template, position=n, **data)
            try:
                item.full_clean()
            except ValidationError as exc:
                errors[f"items[{n}]"] = [str(m) for m in exc.messages]
                continue
            item.save()
        if errors:
            raise ValidationError(errors)
        audit.record(
            actor,
            "checklist.create",
            template,
            after={
                **snapshot(template),
                "items": [[i.position, i.category, i.requirement, i.weight] for i in template.items.all()],
            },
        )
    return template


def create_self_inspection(
    *,
    actor: Any,
    organiser: Any,
    title: str,
    checklist: ChecklistTemplate,
    scope_units: list[Any],
    start_date: Any,
    end_date: Any,
    campaign: Any = None,
) -> SelfInspection:
    """A group, subsidiary or plant opens a self-inspection over units of its own subtree."""
    authorize(actor, "selfcheck.manage", organiser)
    if not can(actor, "view", checklist):
        raise PermissionDenied("selfcheck.manage")
    if campaign is not None and not can(actor, "view", campaign):
        raise PermissionDenied("selfcheck.manage")
    if not scope_units:
        raise ValidationError({"scope_units": _("Name at least one unit to inspect.")})
    outside = [u for u in scope_units if not u.path.startswith(organiser.path)]
    if outside:
        raise ValidationError(
            {"scope_units": _("Only units under %(unit)s can be inspected: %(outside)s.") % {
                "unit": organiser, "outside": "、".join(str(u) for u in outside)
            }}
        )  # fmt: skip
    insp = SelfInspection(
        organiser=organiser,
        title=title,
        checklist=checklist,
        start_date=start_date,
        end_date=end_date,
        campaign=campaign,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    with transaction.atomic():
        insp.full_clean()
        insp.save()
        insp.scope_units.set(scope_units)
        audit.record(actor, "self_inspection.create", insp, after=snapshot(insp))
    return insp


@dataclass
class Reply:
    """One answer as the inspector gives it (photo: file name and bytes, or None)."""

    item: ChecklistItem
    result: str
    note: str = ""
    photo: tuple[str, bytes] | None = None
    major: bool = False


def fill_scope_error(inspection: SelfInspection, unit: Any) -> str:
    if any(unit.path.startswith(u.path) for u in inspection.scope_units.all()):
        return ""
    return _("%(unit)s is not among the units of this self-inspection.") % {"unit": unit}


def _check(inspection: SelfInspection, replies: list[Reply], allow_missing: frozenset[Any] = frozenset()) -> None:
    """Every item answered once (but `allow_missing`); failed and photo-required items carry a photo. All errors at once."""
    items = list(inspection.checklist.items.all())
    by_item: dict[Any, int] = {}
    errors: list[str] = []
    for r in replies:
        by_item[r.item.pk] = by_item.get(r.item.pk, 0) + 1
        if r.item.template_id != inspection.checklist_id:
            errors.append(_("An answer names an item of another checklist."))
            continue
        if r.result not in Answer.Result.values:
            errors.append(_("Item %(n)s: choose pass, fail or not applicable.") % {"n": r.item.position})
            continue
        if r.photo is not None and len(r.photo[1]) > MAX_FILE:
            errors.append(_("Item %(n)s: the photo is larger than 20 MB.") % {"n": r.item.position})
        if r.photo is None or not r.photo[1]:
            if r.result == Answer.Result.FAIL:
                errors.append(_("Item %(n)s failed: take a photo of what was found.") % {"n": r.item.position})
            elif r.item.photo_required and r.result == Answer.Result.PASS:
                errors.append(_("Item %(n)s needs a photo with every answer.") % {"n": r.item.position})
        if r.result == Answer.Result.FAIL and not r.note.strip():
            errors.append(_("Item %(n)s failed: describe what was found.") % {"n": r.item.position})
    missing = [str(i.position) for i in items if i.pk not in by_item and i.pk not in allow_missing]
    if missing:
        errors.insert(0, _("Answer every item; missing: %(items)s.") % {"items": ", ".join(missing)})
    twice = [str(i.position) for i in items if by_item.get(i.pk, 0) > 1]
    if twice:
        errors.append(_("Items answered twice: %(items)s.") % {"items": ", ".join(twice)})
    if errors:
        raise ValidationError({"answers": errors})


def run_key_scope(actor: Any) -> str:
    return f"user:{getattr(actor, 'pk', '')}"


def run_body_hash(inspection: SelfInspection, unit: Any, replies: list[Reply]) -> str:
    """The fingerprint an Idempotency-Key is kept with: the same answers (photos by content) give the same hash."""
    return fingerprint(
        {
            "inspection": str(inspection.pk),
            "unit": str(unit.pk),
            "answers": sorted(
                [str(r.item.pk), r.result, r.note, r.major, hashlib.sha256(r.photo[1]).hexdigest() if r.photo else ""]
                for r in replies
            ),
        }
    )


def submit_checklist(
    inspection: SelfInspection,
    *,
    actor: Any,
    unit: Any,
    replies: list[Reply],
    lat: Any = None,
    lon: Any = None,
    idempotency_key: str | None = None,
    allow_missing: frozenset[Any] = frozenset(),
) -> ChecklistRun:
    """Save a filled checklist in one transaction; each failed item becomes a hidden danger (audited, linked).

    `allow_missing`: items the inspector may leave out (an offline sync whose answer was discarded in a conflict)."""
    authorize(actor, "view", inspection)
    authorize(actor, "selfcheck.fill", unit)
    error = fill_scope_error(inspection, unit)
    if error:
        raise ValidationError({"unit": error})
    _check(inspection, replies, allow_missing)
    if (lat is None) != (lon is None):
        raise ValidationError({"location": _("Give both latitude and longitude, or neither.")})
    scope = run_key_scope(actor)
    body = run_body_hash(inspection, unit, replies)
    prior = prior_result(scope, "checklist_run", idempotency_key, body)
    if prior is not None:
        return ChecklistRun.objects.get(pk=prior)
    try:
        with transaction.atomic():
            run = ChecklistRun(
                inspection=inspection, unit=unit, inspector=actor if getattr(actor, "pk", None) else None, lat=lat, lon=lon
            )
            run.full_clean()
            run.save()
            dangers = []
            for r in sorted(replies, key=lambda x: x.item.position):
                answer = Answer(run=run, item=r.item, result=r.result, note=r.note[:500])
                if r.photo is not None and r.photo[1]:
                    answer.photo_sha256 = hashlib.sha256(r.photo[1]).hexdigest()
                    answer.photo_name = r.photo[0][:255]
                    answer.photo.save(r.photo[0], ContentFile(r.photo[1]), save=False)
                answer.save()
                if r.result == Answer.Result.FAIL:
                    danger = create_danger(
                        actor=actor,
                        unit=unit,
                        title=f"{r.item.requirement}"[:300],
                        description=r.note,
                        location=f"{unit}" + (f" ({lat}, {lon})" if lat is not None else ""),
                        category=r.item.category,
                        level=DangerLevel.MAJOR if r.major else DangerLevel.GENERAL,
                        reason=_("Found by self-inspection “%(title)s”, item %(n)s.")
                        % {"title": inspection.title, "n": r.item.position},
                    )
                    DangerEvidence.objects.create(
                        danger=danger,
                        stage=DangerEvidence.Stage.FOUND,
                        file=answer.photo.name,
                        original_name=answer.photo_name,
                        size=len(r.photo[1]) if r.photo else 0,
                        sha256=answer.photo_sha256,
                        note=_("Photo from the checklist"),
                        uploaded_by=run.inspector,
                    )
                    answer.hidden_danger = danger
                    answer.save(update_fields=["hidden_danger"])
                    dangers.append(danger.number)
            audit.record(
                actor,
                "checklist_run.submit",
                run,
                after={
                    **snapshot(run),
                    "answers": [[a.item.position, a.result] for a in run.answers.select_related("item")],
                    "hidden_dangers": dangers,
                },
            )
            remember(scope, "checklist_run", idempotency_key, body, run.pk)
    except IntegrityError:
        prior = prior_result(scope, "checklist_run", idempotency_key, body)
        if prior is not None:
            return ChecklistRun.objects.get(pk=prior)
        raise
    return run
