"""Construction projects under the three-simultaneities rule (三同时).

A project goes into operation only when the EIA approval and the design, construction and commissioning of its
environmental facilities are all on record. Otherwise the step is refused with the list of missing steps; a
holder of `projects.override` may still start operation with a written reason, and the audit event says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot
from inspectorate.core.errors import ExplainedDenial

from ..models import Project, ProjectStatus, ProjectStep, StepKind

PROJECT_FIELDS = frozenset({"name", "unit", "enterprise", "description"})


class MissingSteps(ValidationError):
    """Refused: steps are missing. `.missing` holds the step kinds."""

    def __init__(self, missing: list[str]) -> None:
        labels = "; ".join(str(StepKind(k).label) for k in missing)
        super().__init__(
            {
                "steps": _(
                    "The project cannot go into operation: these three-simultaneities steps are missing: %(steps)s. "
                    "Record them, or (authorised role only) give a written reason to override."
                )
                % {"steps": labels}
            }
        )
        self.missing = missing


def _only(fields: dict[str, Any]) -> None:
    unknown = set(fields) - PROJECT_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))


def create_project(*, actor: Any, **fields: Any) -> Project:
    _only(fields)
    project = Project(**fields)
    authorize(actor, "projects.manage", project.unit)
    if project.enterprise is not None:
        authorize(actor, "view", project.enterprise)
    with transaction.atomic():
        project.full_clean()
        project.save()
        audit.record(actor, "project.create", project, after=snapshot(project))
    return project


def update_project(project: Project, *, actor: Any, **changes: Any) -> Project:
    authorize(actor, "projects.manage", project)
    _only(changes)
    before = snapshot(project)
    for key, value in changes.items():
        setattr(project, key, value)
    authorize(actor, "projects.manage", project.unit)
    with transaction.atomic():
        project.full_clean()
        project.save()
        audit.record(actor, "project.update", project, before=before, after=snapshot(project))
    return project


def add_step(
    project: Project, *, actor: Any, kind: str, done_on: dt.date, reference: str, document: Any = None, note: str = ""
) -> ProjectStep:
    authorize(actor, "projects.manage", project)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A step cannot be recorded for a future date.")})
    step = ProjectStep(project=project, kind=kind, done_on=done_on, reference=reference.strip(), note=note, recorded_by=actor)
    if document is not None:
        digest = hashlib.sha256()
        for chunk in document.chunks():
            digest.update(chunk)
        step.document = document
        step.document_sha256 = digest.hexdigest()
    step.full_clean(exclude=["recorded_by"])
    if kind != StepKind.EIA:
        eia = project.steps.filter(kind=StepKind.EIA).values_list("done_on", flat=True).first()
        if eia is not None and done_on < eia:
            raise ValidationError({"done_on": _("This step cannot come before the EIA approval (%(d)s).") % {"d": eia}})
    try:
        with transaction.atomic():
            step.save(force_insert=True)
            if kind == StepKind.CONSTRUCTION:
                Project.objects.filter(pk=project.pk, status=ProjectStatus.PLANNED).update(
                    status=ProjectStatus.UNDER_CONSTRUCTION
                )
            audit.record(
                actor,
                "project.step",
                project,
                after={
                    **snapshot(step, ["kind", "done_on", "reference", "document_sha256"]),
                    "document": step.document.name if step.document else "",
                },
            )
    except IntegrityError:
        raise ValidationError({"kind": _("This step is already on record for the project.")}) from None
    return step


def missing_steps(project: Project) -> list[str]:
    have = set(project.steps.values_list("kind", flat=True))
    return [k for k in StepKind.values if k not in have]


def start_operation(project: Project, *, actor: Any, on: dt.date | None = None, override_reason: str = "") -> Project:
    """Mark the project in operation; refused while a step is missing unless an authorised role overrides."""
    authorize(actor, "projects.manage", project)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("Operation cannot start on a future date.")})
    missing = missing_steps(project)
    reason = override_reason.strip()
    if missing and not reason:
        raise MissingSteps(missing)
    if missing:
        try:
            authorize(actor, "projects.override", project)
        except PermissionDenied:
            raise ExplainedDenial(_("Only an authorised role may put a project into operation with missing steps.")) from None
    before = snapshot(project, ["status", "operation_since", "override_reason"])
    with transaction.atomic():
        changed = Project.objects.filter(pk=project.pk).exclude(status=ProjectStatus.IN_OPERATION)
        if changed.update(status=ProjectStatus.IN_OPERATION, operation_since=day, override_reason=reason if missing else "") != 1:
            raise ValidationError(_("The project is already in operation."))
        project.refresh_from_db()
        after = {**snapshot(project, ["status", "operation_since", "override_reason"]), "missing_steps": missing}
        verb = "project.operate_override" if missing else "project.operate"
        audit.record(actor, verb, project, before=before, after=after, reason=reason if missing else "")
    return project
