"""Feedback, problems and plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot
from inspectorate.complaints.selectors import cases_for
from inspectorate.core import calendar

from ..models import PLAN_FLOW, Feedback, Plan, PlanStatus, Problem

PLAN_WORKING_DAYS = 30


def create_feedback(
    *, actor: Any, campaign: Any, target: Any, date: dt.date, document_no: str = "", summary: str = ""
) -> Feedback:
    fb = Feedback(campaign=campaign, target=target, date=date, document_no=document_no, summary=summary)
    authorize(actor, "problems.manage", target)
    if not can(actor, "view", campaign):
        raise PermissionDenied("problems.manage")
    with transaction.atomic():
        fb.full_clean()
        fb.save()
        audit.record(actor, "feedback.create", fb, after=snapshot(fb))
    return fb


def case_units(case: Any) -> list[Any]:
    """The units a complaint case belongs to: its region, lead unit, the unit it was dispatched to, its co-units."""
    units = [case.region, case.lead_unit, case.handler_unit, *case.co_units.all()]
    return [u for u in units if u is not None]


def case_link_error(problem: Problem, case: Any) -> str:
    """Why `case` cannot be the origin of `problem` ("" when it can): another campaign, or outside the unit's area.

    A case fits a problem when it belongs to the problem's campaign and one of its units (region, lead,
    handler or co-unit) lies within the problem's responsible unit.
    """
    if case.campaign_id != problem.campaign_id:
        return _("Case %(case)s belongs to another campaign (%(campaign)s).") % {
            "case": case.number,
            "campaign": case.campaign,
        }
    unit = problem.unit
    if not any(u.path.startswith(unit.path) for u in case_units(case)):
        where = case.region or case.handler_unit or case.lead_unit
        return _(
            "Case %(case)s concerns %(where)s, outside the problem's responsible unit %(unit)s: link a case of that unit's area."
        ) % {"case": case.number, "where": where, "unit": unit}
    return ""


def _check_case(actor: Any, problem: Problem, *, kept_number: str = "") -> None:
    """A linked complaint case must be one the actor can see, in the problem's campaign and the unit's area.

    A case number given without the case is looked up among the cases the actor sees in the campaign and linked;
    a number that finds none is refused, unless it is the number the problem already carried (`kept_number`,
    legacy rows from before cases were linked).
    """
    number = (problem.origin_case_number or "").strip()
    if problem.origin_case is None and number and number != kept_number:
        problem.origin_case = cases_for(actor).filter(campaign_id=problem.campaign_id, number=number).first()
        if problem.origin_case is None:
            raise ValidationError({"origin_case_number": _("No case with this number that you can see in this campaign.")})
    case = problem.origin_case
    if case is None:
        return
    if not can(actor, "view", case) or case.campaign_id != problem.campaign_id:
        raise ValidationError({"origin_case": _("No case with this number that you can see in this campaign.")})
    error = case_link_error(problem, case)
    if error:
        raise ValidationError({"origin_case": error})
    problem.origin_case_number = case.number


def create_problem(*, actor: Any, **fields: Any) -> Problem:
    problem = Problem(created_by=actor if getattr(actor, "pk", None) else None, **fields)
    authorize(actor, "problems.manage", problem.unit)
    if not can(actor, "view", problem.campaign):
        raise PermissionDenied("problems.manage")
    _check_case(actor, problem)
    with transaction.atomic():
        problem.full_clean()
        problem.save()
        audit.record(actor, "problem.create", problem, after=snapshot(problem))
    return problem


def update_problem(problem: Problem, *, actor: Any, reason: str = "", **changes: Any) -> Problem:
    authorize(actor, "problems.manage", problem)
    if "campaign" in changes and changes["campaign"] != problem.campaign:
        raise ValidationError({"campaign": _("A problem cannot move to another campaign.")})
    before = snapshot(problem)
    kept_number = problem.origin_case_number
    for k, v in changes.items():
        setattr(problem, k, v)
    if "unit" in changes:
        authorize(actor, "problems.manage", problem.unit)
    if {"origin_case", "origin_case_number", "unit"} & set(changes):
        _check_case(actor, problem, kept_number=kept_number)
    with transaction.atomic():
        problem.full_clean()
        problem.save()
        audit.record(actor, "problem.update", problem, before=before, after=snapshot(problem), reason=reason)
    return problem


def plan_due(campaign: Any) -> tuple[dt.date | None, bool, str]:
    """Due = feedback + 30 working days (the campaign's plan_due when set)."""
    if campaign.feedback_date is None:
        return None, False, ""
    due = calendar.add_working_days(campaign.feedback_date, PLAN_WORKING_DAYS)
    rule = f"feedback {campaign.feedback_date:%Y-%m-%d} + {PLAN_WORKING_DAYS} working days"
    return due, bool(getattr(due, "estimated", False)), rule


def create_plan(*, actor: Any, campaign: Any, target: Any, title: str, body: str = "", public_summary: str = "") -> Plan:
    authorize(actor, "plans.manage", target)
    if not can(actor, "view", campaign):
        raise PermissionDenied("plans.manage")
    due, estimated, rule = plan_due(campaign)
    last = Plan.objects.filter(campaign=campaign, target=target).order_by("-version").first()
    plan = Plan(
        campaign=campaign,
        target=target,
        version=(last.version + 1) if last else 1,
        title=title,
        body=body,
        public_summary=public_summary,
        due=due,
        due_estimated=estimated,
        due_rule=rule,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    with transaction.atomic():
        plan.full_clean()
        plan.save()
        audit.record(actor, "plan.create", plan, after=snapshot(plan))
    return plan


def update_plan(plan: Plan, *, actor: Any, reason: str = "", **changes: Any) -> Plan:
    """Edit a plan's title and texts until it is published (a published plan changes by a new version)."""
    authorize(actor, "plans.manage", plan)
    if plan.status == PlanStatus.PUBLISHED:
        raise ValidationError(_("A published plan is not edited; create a new version instead."))
    unknown = set(changes) - {"title", "body", "public_summary"}
    if unknown:
        raise ValidationError(_("Only the title and the texts of a plan can be edited."))
    before = snapshot(plan)
    for k, v in changes.items():
        setattr(plan, k, v)
    with transaction.atomic():
        plan.full_clean()
        plan.save()
        audit.record(actor, "plan.update", plan, before=before, after=snapshot(plan), reason=reason)
    return plan


def transition_plan(plan: Plan, to: str, *, actor: Any, approved_by_body: str = "", reason: str = "") -> Plan:
    if to not in PLAN_FLOW:
        raise ValidationError({"to": _("Unknown plan state.")})
    required, action = PLAN_FLOW[to]
    authorize(actor, action, plan)
    if plan.status != required:
        raise ValidationError(
            _("A plan goes to “%(to)s” only from “%(from)s”; it is “%(now)s”.")
            % {"to": PlanStatus(to).label, "from": PlanStatus(required).label, "now": plan.get_status_display()}
        )
    before = snapshot(plan)
    changes: dict[str, Any] = {"status": to}
    today = timezone.localdate()
    if to == PlanStatus.SUBMITTED:
        changes["submitted_on"] = today
    elif to == PlanStatus.APPROVED:
        changes["approved_on"] = today
        changes["approved_by_body"] = approved_by_body or plan.approved_by_body
    elif to == PlanStatus.PUBLISHED:
        changes["published_at"] = timezone.now()
        if not (plan.public_summary or "").strip():
            raise ValidationError({"public_summary": _("Write the public summary before publishing.")})
    with transaction.atomic():
        if Plan.objects.filter(pk=plan.pk, status=required).update(**changes) != 1:
            raise ValidationError(_("The plan changed meanwhile. Reload and try again."))
        for k, v in changes.items():
            setattr(plan, k, v)
        audit.record(actor, f"plan.{to}", plan, before=before, after=snapshot(plan), reason=reason)
    return plan
