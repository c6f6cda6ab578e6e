"""Creating and updating ledger tasks, progress reports and evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot
from inspectorate.core.exif import gps_position
from inspectorate.core.storage import cleanup_on_error, storage_guard

from ..models import (
    NEW_TASK_STATUSES,
    SIGNOFF_FIELDS,
    Evidence,
    Measure,
    ProgressUpdate,
    SignOffStep,
    Task,
    TaskStatus,
    acceptance_error,
)

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


def _check_measures(measures: list[dict[str, Any]], deadline: dt.date | None) -> None:
    seen: set[int] = set()
    for m in measures:
        if m["number"] in seen:
            raise ValidationError({"measures": _("Measure numbers must be unique within a task.")})
        seen.add(m["number"])
        if deadline and m["milestone"] > deadline:
            raise ValidationError({"measures": _("A milestone cannot fall after the task's deadline.")})


def _check_grade(task: Task) -> None:
    message = acceptance_error(task.campaign_id, task.problem.nature, task.acceptance_unit)
    if message:
        raise ValidationError({"acceptance_unit": message})


def _refuse_signoff_fields(fields: dict[str, Any], *, creating: bool) -> None:
    """Creating and editing a task never sets its place on the sign-off path (a new task may start in progress)."""
    bad = [k for k in fields if k in SIGNOFF_FIELDS and not (creating and k == "status" and fields[k] in NEW_TASK_STATUSES)]
    if bad:
        message = _(
            "This changes only through the sign-off steps (apply, on-site verification, signature, public notice, filing)."
        )
        raise ValidationError(dict.fromkeys(sorted(bad), message))


def _check_leader(actor: Any, task: Task) -> None:
    """A task is given a leader who is in post today and whom the actor can see."""
    leader = task.lead_leader
    if not leader.is_active_on(timezone.localdate()):
        raise ValidationError({"lead_leader": _("This leader is not in post; choose a current leader.")})
    if not can(actor, "view", leader):
        raise ValidationError({"lead_leader": _("This leader is not among the leaders you keep.")})


def _check_units_active(units: list[Any], already: set[Any] | None = None) -> None:
    """A unit newly named as implementing unit must be active (an ended department stays on the tasks it had)."""
    ended = [u for u in units if not u.active and u.pk not in (already or set())]
    if ended:
        raise ValidationError(
            {"implementing_units": _("%(units)s has been ended and cannot be named.") % {"units": "、".join(map(str, ended))}}
        )


def create_task(
    *, actor: Any, implementing_units: list[Any] | None = None, measures: list[dict[str, Any]] | None = None, **fields: Any
) -> Task:
    _refuse_signoff_fields(fields, creating=True)
    task = Task(**fields)
    authorize(actor, "tasks.manage", task.lead_unit)
    if task.problem.campaign_id != task.campaign_id:
        raise ValidationError({"problem": _("The problem belongs to another campaign.")})
    measures = measures or []
    _check_measures(measures, task.deadline)
    _check_grade(task)
    _check_leader(actor, task)
    _check_units_active(list(implementing_units or []))
    with transaction.atomic():
        task.full_clean()
        task.save()
        if implementing_units:
            task.implementing_units.set(implementing_units)
        Measure.objects.bulk_create([Measure(task=task, **m) for m in measures])
        audit.record(actor, "task.create", task, after={**snapshot(task), "measures": measures})
    return task


def update_task(task: Task, *, actor: Any, reason: str = "", implementing_units: list[Any] | None = None, **changes: Any) -> Task:
    authorize(actor, "tasks.manage", task)
    if task.status == TaskStatus.CLOSED:
        raise ValidationError(_("A closed task cannot be edited; reopen it first."))
    _refuse_signoff_fields(changes, creating=False)
    if "campaign" in changes and changes["campaign"] != task.campaign:
        raise ValidationError({"campaign": _("A task cannot move to another campaign.")})
    before = snapshot(task)
    for k, v in changes.items():
        setattr(task, k, v)
    if "lead_leader" in changes and task.lead_leader_id != before["lead_leader"]:
        _check_leader(actor, task)
    if task.problem.campaign_id != task.campaign_id:
        raise ValidationError({"problem": _("The problem belongs to another campaign.")})
    _check_grade(task)
    if implementing_units is not None:
        _check_units_active(list(implementing_units), set(task.implementing_units.values_list("pk", flat=True)))
    with transaction.atomic():
        task.full_clean()
        task.save()
        if implementing_units is not None:
            task.implementing_units.set(implementing_units)
        audit.record(actor, "task.update", task, before=before, after=snapshot(task), reason=reason)
    return task


def set_measures(task: Task, *, actor: Any, measures: list[dict[str, Any]], reason: str = "") -> Task:
    """Replace a task's measures by number: update text and milestone, add new ones, remove dropped ones.

    A measure that is done or carries evidence cannot be removed.
    """
    authorize(actor, "tasks.manage", task)
    if task.status == TaskStatus.CLOSED:
        raise ValidationError(_("A closed task cannot be edited; reopen it first."))
    _check_measures(measures, task.deadline)
    existing = {m.number: m for m in Measure.objects.filter(task=task).annotate(n_evidence=Count("evidence"))}
    wanted = {m["number"]: m for m in measures}
    for number, m in existing.items():
        if number not in wanted and (m.done or m.n_evidence):  # type: ignore[attr-defined]
            raise ValidationError({"measures": _("Measure %(n)s is done or has evidence and cannot be removed.") % {"n": number}})
    before = [{"number": m.number, "text": m.text, "milestone": str(m.milestone)} for m in existing.values()]
    with transaction.atomic():
        Measure.objects.filter(task=task, number__in=set(existing) - set(wanted)).delete()
        for number, data in wanted.items():
            current = existing.get(number)
            if current is None:
                Measure.objects.create(task=task, **data)
            elif (current.text, current.milestone) != (data["text"], data["milestone"]):
                current.text, current.milestone = data["text"], data["milestone"]
                current.save(update_fields=["text", "milestone"])
        after = [{"number": m["number"], "text": m["text"], "milestone": str(m["milestone"])} for m in measures]
        if sorted(before, key=lambda x: str(x["number"])) != sorted(after, key=lambda x: str(x["number"])):
            audit.record(actor, "task.measures", task, before={"measures": before}, after={"measures": after}, reason=reason)
    return task


def record_progress(
    task: Task,
    *,
    actor: Any,
    percent: int,
    note: str = "",
    measures_done: list[Any] | None = None,
    period: dt.date | None = None,
) -> ProgressUpdate:
    """A periodic progress report: percentage, text, and measures reported done."""
    authorize(actor, "tasks.progress", task)
    if task.status in (TaskStatus.CLOSED, TaskStatus.UNDER_NOTICE, TaskStatus.PENDING_ACCEPTANCE):
        raise ValidationError(_("Progress is reported while a task is open, not during sign-off."))
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")})
    today = timezone.localdate()
    ids = {str(m) for m in (measures_done or [])}
    by_id = {str(m.pk): m for m in task.measures.all()}
    unknown = ids - set(by_id)
    if unknown:
        raise ValidationError({"measures_done": _("These measures do not belong to this task.")})
    before = snapshot(task, ["progress", "status"])
    with transaction.atomic():
        upd = ProgressUpdate.objects.create(
            task=task,
            period=period or today,
            percent=percent,
            note=note,
            reported_by=actor if getattr(actor, "pk", None) else None,
        )
        for mid in ids:
            m = by_id[mid]
            if not m.done:
                m.done, m.done_on = True, today
                m.save(update_fields=["done", "done_on"])
        changes: dict[str, Any] = {"progress": percent}
        if task.status == TaskStatus.NOT_STARTED:
            changes["status"] = TaskStatus.IN_PROGRESS
        Task.objects.filter(pk=task.pk).update(**changes)
        for k, v in changes.items():
            setattr(task, k, v)
        audit.record(
            actor,
            "task.progress",
            task,
            before=before,
            after={"progress": percent, "status": task.status, "measures_done": sorted(ids), "note": note},
        )
    return upd


def add_evidence(
    task: Task,
    *,
    actor: Any,
    measure: Measure,
    content: bytes,
    filename: str,
    kind: str = "document",
    captured_on: dt.date | None = None,
    note: str = "",
) -> Evidence:
    """Store an evidence file once, with its SHA-256; it can never be changed or deleted.

    The capture date cannot lie in the future; a JPEG's EXIF GPS position, when it carries one, is kept as lat/lon.
    """
    authorize(actor, "tasks.progress", task)
    if measure.task_id != task.pk:
        raise ValidationError({"measure": _("This measure belongs to another task.")})
    if task.signoff_step in (SignOffStep.SIGNED, SignOffStep.UNDER_NOTICE, SignOffStep.FILED):
        raise ValidationError(_("Evidence cannot be added after the task has been signed off."))
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB.")})
    if captured_on is not None and captured_on > timezone.localdate():
        raise ValidationError({"captured_on": _("The capture date cannot be in the future.")})
    position = gps_position(content)
    digest = hashlib.sha256(content).hexdigest()
    ev = Evidence(
        task=task,
        measure=measure,
        kind=kind,
        original_name=filename[:255],
        size=len(content),
        sha256=digest,
        captured_on=captured_on,
        lat=position[0] if position else None,
        lon=position[1] if position else None,
        note=note,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    # A file store that is full or down: StorageUnavailable, no row and no audit event; a file stored before a
    # failed commit is removed again.
    with cleanup_on_error(ev.file.storage) as stored, transaction.atomic():
        with storage_guard():
            ev.file.save(filename, ContentFile(content), save=False)
        stored.append(ev.file.name)
        ev.full_clean()
        ev.save()
        audit.record(
            actor,
            "task.evidence",
            task,
            after={
                "evidence": str(ev.pk),
                "measure": measure.number,
                "sha256": digest,
                "name": filename,
                "kind": kind,
                "captured_on": captured_on,
                "lat": ev.lat,
                "lon": ev.lon,
            },
        )
    return ev


def import_allowed(actor: Any, campaign: Any) -> None:
    if not can(actor, "tasks.manage", campaign):
        raise PermissionDenied("tasks.manage")
