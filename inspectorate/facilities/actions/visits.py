"""Government-enterprise visits (政企走访): the government unit records the visit; the enterprise (or the
government on its behalf) raises problems; the visiting unit assigns each to an owner with a due date; the owner
answers. Both sides see the visit and every problem's status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.roles import PERMISSIONS
from inspectorate.accounts.scoping import active_memberships, authorize
from inspectorate.audit import snapshot
from inspectorate.core.errors import ExplainedDenial

from ..models import EnterpriseVisit, RequestStatus, VisitRequest, VisitTopic


def _holds_on(user: Any, action: str, unit: Any) -> bool:
    """The user holds `action` through a membership on `unit` or above it."""
    if getattr(user, "is_superuser", False):
        return True
    return any(
        action in PERMISSIONS.get(m.role, frozenset()) and m.org_unit is not None and unit.path.startswith(m.org_unit.path)
        for m in active_memberships(user)
    )


def create_visit(
    *, actor: Any, government_unit: Any, enterprise_unit: Any, visited_on: dt.date, participants: str,
    topics: list[str], summary: str = "",
) -> EnterpriseVisit:  # fmt: skip
    authorize(actor, "visits.manage", government_unit)
    errors: dict[str, Any] = {}
    if enterprise_unit.kind != "enterprise":
        errors["enterprise_unit"] = _("Choose a unit of an enterprise.")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit is recorded once it has taken place.")
    if not topics or any(t not in VisitTopic.values for t in topics):
        errors["topics"] = _("Choose at least one topic from the list.")
    if not participants.strip():
        errors["participants"] = _("Name the participants (by position).")
    if errors:
        raise ValidationError(errors)
    visit = EnterpriseVisit(
        government_unit=government_unit, enterprise_unit=enterprise_unit, visited_on=visited_on,
        participants=participants.strip(), topics=topics, summary=summary, created_by=actor,
    )  # fmt: skip
    with transaction.atomic():
        visit.save()
        audit.record(actor, "visit.create", visit, after=snapshot(visit))
    return visit


def raise_request(
    visit: EnterpriseVisit, *, actor: Any, title: str, description: str = "", topic: str = VisitTopic.OTHER
) -> VisitRequest:
    """The enterprise raises a problem (or the visiting unit records it for the enterprise)."""
    if not (_holds_on(actor, "visits.raise", visit.enterprise_unit) or _holds_on(actor, "visits.manage", visit.government_unit)):
        authorize(actor, "view", visit)  # 404 for an outsider, then:
        raise PermissionDenied("visits.raise")
    req = VisitRequest(visit=visit, title=title.strip(), description=description, topic=topic, raised_by=actor)
    req.full_clean(exclude=["raised_by", "owner_unit"])
    try:
        with transaction.atomic():
            req.save(force_insert=True)
            audit.record(actor, "visit_request.raise", req, after=snapshot(req))
    except IntegrityError:
        raise ValidationError({"title": _("This problem is already recorded for the visit.")}) from None
    return req


def assign_request(req: VisitRequest, *, actor: Any, owner_unit: Any, due_on: dt.date) -> VisitRequest:
    """The visiting government unit names the owner (one of its departments, or itself) and a due date."""
    visit = req.visit
    if not _holds_on(actor, "visits.manage", visit.government_unit):
        authorize(actor, "view", req)
        raise ExplainedDenial(_("Only the visiting government unit assigns the enterprise's problems."))
    if not owner_unit.path.startswith(visit.government_unit.path):
        raise ValidationError({"owner_unit": _("The owner must be the visiting unit or one of its departments.")})
    if due_on < visit.visited_on:
        raise ValidationError({"due_on": _("The due date cannot be before the visit.")})
    if req.status == RequestStatus.ANSWERED:
        raise ValidationError(_("This problem has already been answered."))
    before = snapshot(req, ["status", "owner_unit", "due_on"])
    with transaction.atomic():
        req.owner_unit, req.due_on, req.status = owner_unit, due_on, RequestStatus.ASSIGNED
        req.save(update_fields=["owner_unit", "due_on", "status"])
        audit.record(actor, "visit_request.assign", req, before=before, after=snapshot(req, ["status", "owner_unit", "due_on"]))
    return req


def answer_request(req: VisitRequest, *, actor: Any, answer: str) -> VisitRequest:
    """The owner answers; the enterprise sees the answer and the status."""
    if req.owner_unit is None or not _holds_on(actor, "visits.answer", req.owner_unit):
        authorize(actor, "view", req)
        raise ExplainedDenial(_("Only the owner of this problem answers it."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    before = snapshot(req, ["status", "answer"])
    with transaction.atomic():
        if (
            VisitRequest.objects.filter(pk=req.pk, status=RequestStatus.ASSIGNED).update(
                status=RequestStatus.ANSWERED, answer=answer.strip(), answered_at=timezone.now()
            )
            != 1
        ):
            raise ValidationError(_("This problem has already been answered."))
        req.refresh_from_db()
        audit.record(actor, "visit_request.answer", req, before=before, after=snapshot(req, ["status", "answer"]))
    return req
