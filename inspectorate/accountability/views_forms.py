"""Form pages: create and edit interviews and accountability issues, add records to an issue, record a later
career event of a person held accountable. Each saves through `actions`; on an error the page comes back with
what was typed and the errors next to their fields (HTTP 400)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.rectification.forms import apply_errors

from . import actions, selectors
from .forms import CareerEventForm, InterviewForm, IssueForm, RecordForm


def _page(request: HttpRequest, form: Any, title: str, back: str, **extra: Any) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "accountability/form.html", {"form": form, "title": title, "back": back, **extra}, status=status)


def _require(request: HttpRequest, action: str) -> None:
    if not has_role_anywhere(request.user, action):
        raise PermissionDenied(action)


def _check(request: HttpRequest, action: str, obj: Any) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(action)


@login_required
def interview_new(request: HttpRequest) -> HttpResponse:
    _require(request, "interviews.manage")
    form = InterviewForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            interview = actions.create_interview(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Interview scheduled."))
            return redirect("accountability:interview", pk=interview.pk)
    return _page(request, form, _("New interview"), reverse("accountability:interviews"))


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
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_interview(interview, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accountability:interview", pk=interview.pk)
    back = reverse("accountability:interview", args=[interview.pk])
    return _page(request, form, _("Edit interview “%(t)s”") % {"t": interview.title}, back)


@login_required
def issue_new(request: HttpRequest) -> HttpResponse:
    _require(request, "accountability.handover")
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = actions.create_issue(actor=request.user, **{**data, "responsible_units": list(data["responsible_units"])})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Accountability issue %(n)s listed.") % {"n": issue.number})
            return redirect("accountability:issue", pk=issue.pk)
    return _page(request, form, _("New accountability issue"), reverse("accountability:issues"))


@login_required
def issue_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    _check(request, "accountability.handover", issue)
    initial = {f: getattr(issue, f) for f in ("title", "facts", "suggested_people", "handed_over_on")}
    initial["responsible_units"] = list(issue.responsible_units.all())
    form = IssueForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_issue(issue, actor=request.user, **{**data, "responsible_units": list(data["responsible_units"])})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accountability:issue", pk=issue.pk)
    back = reverse("accountability:issue", args=[issue.pk])
    return _page(request, form, _("Edit accountability issue %(n)s") % {"n": issue.number}, back)


@login_required
def record_new(request: HttpRequest, pk: Any) -> HttpResponse:
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    _check(request, "accountability.manage", issue)
    form = RecordForm(request.POST or None, user=request.user, issue=issue)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_record(issue, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Record added."))
            return redirect("accountability:issue", pk=issue.pk)
    back = reverse("accountability:issue", args=[issue.pk])
    return _page(request, form, _("Add a record to issue %(n)s") % {"n": issue.number}, back, issue=issue)


@login_required
def career_event_new(request: HttpRequest, pk: Any) -> HttpResponse:
    record = get_object_or_404(selectors.records_for(request.user), pk=pk)
    _check(request, "accountability.manage", record.issue)
    form = CareerEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_career_event(record, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accountability:issue", pk=record.issue_id)
    back = reverse("accountability:issue", args=[record.issue_id])
    title = _("Later career step of %(name)s") % {"name": record.person_name}
    return _page(request, form, title, back)
