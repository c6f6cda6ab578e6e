"""Form pages: create and edit interviews and accountability issues, add records to an issue, record a later
career event of a person held accountable. Each saves through `actions` (`core.formpages.save_form`); on an error
the page comes back with what was typed and the errors next to their fields (HTTP 400)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import can
from inspectorate.core.formpages import form_page as _form_page
from inspectorate.core.formpages import require_role, save_form

from . import actions, selectors
from .forms import CareerEventForm, InterviewForm, IssueForm, RecordForm

form_page = partial(_form_page, template="accountability/form.html")


def _check(request: HttpRequest, action: str, obj: Any) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(action)


@login_required
def interview_new(request: HttpRequest) -> HttpResponse:
    require_role(request, "interviews.manage")
    form = InterviewForm(request.POST or None, user=request.user)
    done = save_form(
        request, form, lambda data: actions.create_interview(actor=request.user, **data),
        success=_("Interview scheduled."), then=lambda interview: reverse("accountability:interview", args=[interview.pk]),
    )  # fmt: skip
    return done or form_page(request, form, _("New interview"), back=reverse("accountability:interviews"))


@login_required
def interview_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    interview = get_object_or_404(selectors.interviews_for(request.user), pk=pk)
    _check(request, "interviews.manage", interview)
    initial = {
        f: getattr(interview, f)
        for f in ("title", "reason", "reason_note", "interviewer", "interview_date", "report_due", "requirements")
    }
    initial["units"] = list(interview.units.all())
    form = InterviewForm(request.POST or None, user=request.user, editing=True, initial=initial)
    back = reverse("accountability:interview", args=[interview.pk])
    done = save_form(
        request, form, lambda data: actions.update_interview(interview, actor=request.user, **data),
        success=_("Saved."), then=back,
    )  # fmt: skip
    return done or form_page(request, form, _("Edit interview “%(t)s”") % {"t": interview.title}, back=back)


def _units(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "responsible_units": list(data["responsible_units"])}


@login_required
def issue_new(request: HttpRequest) -> HttpResponse:
    require_role(request, "accountability.handover")
    form = IssueForm(request.POST or None, user=request.user)
    done = save_form(
        request, form, lambda data: actions.create_issue(actor=request.user, **_units(data)),
        success=lambda issue: _("Accountability issue %(n)s listed.") % {"n": issue.number},
        then=lambda issue: reverse("accountability:issue", args=[issue.pk]),
    )  # fmt: skip
    return done or form_page(request, form, _("New accountability issue"), back=reverse("accountability:issues"))


@login_required
def issue_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    _check(request, "accountability.handover", issue)
    initial = {f: getattr(issue, f) for f in ("title", "facts", "suggested_people", "handed_over_on")}
    initial["responsible_units"] = list(issue.responsible_units.all())
    form = IssueForm(request.POST or None, user=request.user, editing=True, initial=initial)
    back = reverse("accountability:issue", args=[issue.pk])
    done = save_form(
        request, form, lambda data: actions.update_issue(issue, actor=request.user, **_units(data)),
        success=_("Saved."), then=back,
    )  # fmt: skip
    return done or form_page(request, form, _("Edit accountability issue %(n)s") % {"n": issue.number}, back=back)


@login_required
def record_new(request: HttpRequest, pk: Any) -> HttpResponse:
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    _check(request, "accountability.manage", issue)
    form = RecordForm(request.POST or None, user=request.user, issue=issue)
    back = reverse("accountability:issue", args=[issue.pk])
    done = save_form(
        request, form, lambda data: actions.add_record(issue, actor=request.user, **data),
        success=_("Record added."), then=back,
    )  # fmt: skip
    title = _("Add a record to issue %(n)s") % {"n": issue.number}
    return done or form_page(request, form, title, back=back, issue=issue)


@login_required
def career_event_new(request: HttpRequest, pk: Any) -> HttpResponse:
    record = get_object_or_404(selectors.records_for(request.user), pk=pk)
    _check(request, "accountability.manage", record.issue)
    form = CareerEventForm(request.POST or None)
    back = reverse("accountability:issue", args=[record.issue_id])
    done = save_form(
        request, form, lambda data: actions.record_career_event(record, actor=request.user, **data),
        success=_("Saved."), then=back,
    )  # fmt: skip
    title = _("Later career step of %(name)s") % {"name": record.person_name}
    return done or form_page(request, form, title, back=back)
