"""Pages: interviews (list, detail with its steps), accountability issues (list, detail with its steps and records),
the summary by rank and measure. Lists use the API's filtersets; every step calls the same action as the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere, restrict
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.pages import paginate
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .actions.interviews import report_warning
from .filters import SOON_DAYS, InterviewFilter, IssueFilter, RecordFilter
from .models import HandoverPack, InterviewReason, InterviewStatus, IssueStatus, Measure, Rank, ResponsibleUnitType
from .summary import summary_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for errs in exc.error_dict.values() for e in errs for m in e.messages)
    return " ".join(str(m) for m in exc.messages)


def _require(request: HttpRequest, action: str) -> None:
    if not has_role_anywhere(request.user, action):
        raise PermissionDenied(action)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Enter a valid date (YYYY-MM-DD).")) from exc


@login_required
def interviews_page(request: HttpRequest) -> HttpResponse:
    _require(request, "view")
    filt = InterviewFilter(request.GET, queryset=selectors.interviews_for(request.user))
    page = paginate(request, filt.qs, per_page=50)
    today = timezone.localdate()
    rows = [(i, report_warning(i, today, SOON_DAYS)) for i in page]
    return render(
        request,
        "accountability/interviews.html",
        {
            "page": page,
            "rows": rows,
            "campaigns": campaigns_for(request.user)[:200],
            "statuses": InterviewStatus.choices,
            "reasons": InterviewReason.choices,
            "can_add": has_role_anywhere(request.user, "interviews.manage"),
        },
    )


@login_required
def interview_page(request: HttpRequest, pk: str) -> HttpResponse:
    interview = get_object_or_404(selectors.interviews_for(request.user), pk=pk)
    return render(
        request,
        "accountability/interview.html",
        {
            "i": interview,
            "warning": report_warning(interview, timezone.localdate(), SOON_DAYS),
            "can_manage": can(request.user, "interviews.manage", interview),
            "can_report": can(request.user, "interviews.report", interview) or can(request.user, "interviews.manage", interview),
        },
    )


INTERVIEW_STEPS: dict[str, Any] = {
    "minutes": lambda i, u, p, f: actions.record_minutes(
        i, actor=u, minutes=p.get("minutes", ""), requirements=p.get("requirements", "")
    ),
    "report": lambda i, u, p, f: actions.submit_report(i, actor=u, file=f.get("file"), received_on=_date(p.get("received_on"))),
    "verify": lambda i, u, p, f: actions.verify_report(i, actor=u, result=p.get("result", ""), note=p.get("note", "")),
    "publish": lambda i, u, p, f: actions.publish_interview(i, actor=u, on=_date(p.get("on"))),
}
# Who may take each step, checked on the interview before the step reads its input: the team runs the interview;
# the report is filed by the interviewed unit's liaison office, or recorded by the team on receipt.
INTERVIEW_STEP_ROLES: dict[str, tuple[str, ...]] = {
    "minutes": ("interviews.manage",),
    "report": ("interviews.report", "interviews.manage"),
    "verify": ("interviews.manage",),
    "publish": ("interviews.manage",),
}


@login_required
@require_POST
def interview_step(request: HttpRequest, pk: str, name: str) -> HttpResponse:
    interview = get_object_or_404(selectors.interviews_for(request.user), pk=pk)
    step = INTERVIEW_STEPS.get(name)
    if step is None:
        raise Http404(name)
    if not any(can(request.user, a, interview) for a in INTERVIEW_STEP_ROLES[name]):
        raise PermissionDenied(name)
    try:
        step(interview, request.user, request.POST, request.FILES)
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accountability:interview", pk=interview.pk)


@login_required
def issues_page(request: HttpRequest) -> HttpResponse:
    _require(request, "view")
    filt = IssueFilter(request.GET, queryset=selectors.issues_for(request.user))
    page = paginate(request, filt.qs, per_page=50)
    return render(
        request,
        "accountability/issues.html",
        {
            "page": page,
            "campaigns": campaigns_for(request.user)[:200],
            "statuses": IssueStatus.choices,
            "can_add": has_role_anywhere(request.user, "accountability.handover"),
        },
    )


@login_required
def issue_page(request: HttpRequest, pk: str) -> HttpResponse:
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    full = can(request.user, "accountability.view", issue)
    return render(
        request,
        "accountability/issue.html",
        {
            "issue": issue,
            "full": full,
            "records": selectors.records_for(request.user).filter(issue=issue).prefetch_related("career_events"),
            "can_handover": can(request.user, "accountability.handover", issue),
            "can_manage": can(request.user, "accountability.manage", issue),
            "ranks": Rank.choices,
            "measures": Measure.choices,
            "unit_types": ResponsibleUnitType.choices,
            "units": issue.campaign.targets.all(),
        },
    )


def _add_record(issue: Any, user: Any, post: Any) -> Any:
    unit_id = str(post.get("unit") or "")
    unit = units_for(user).filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        raise ValidationError({"unit": _("Choose the person's unit.")})
    return actions.add_record(
        issue,
        actor=user,
        person_name=post.get("person_name", ""),
        post=post.get("post", ""),
        unit=unit,
        rank=post.get("rank", ""),
        unit_type=post.get("unit_type", ""),
        measure=post.get("measure", ""),
        approving_body=post.get("approving_body", ""),
        decided_on=_date(post.get("decided_on")),
    )


ISSUE_STEPS: dict[str, Any] = {
    "transfer": lambda i, u, p: actions.transfer(i, actor=u, discipline_body=p.get("discipline_body", ""), on=_date(p.get("on"))),
    "investigate": lambda i, u, p: actions.start_investigation(i, actor=u, on=_date(p.get("on"))),
    "decide": lambda i, u, p: actions.decide(i, actor=u, decision=p.get("decision", ""), on=_date(p.get("on"))),
    "publish": lambda i, u, p: actions.publish_issue(
        i, actor=u, on=_date(p.get("on")), publication_ref=p.get("publication_ref", "")
    ),
    "record": _add_record,
}


@login_required
@require_POST
def issue_step(request: HttpRequest, pk: str, name: str) -> HttpResponse:
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    step = ISSUE_STEPS.get(name)
    if step is None:
        raise Http404(name)
    try:
        step(issue, request.user, request.POST)
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accountability:issue", pk=issue.pk)


@login_required
def summary_page(request: HttpRequest) -> HttpResponse:
    _require(request, "view")
    filt = RecordFilter(request.GET, queryset=selectors.records_for(request.user))
    return render(
        request,
        "accountability/summary.html",
        {
            "summary": summary_for(filt.qs),
            "campaigns": campaigns_for(request.user)[:200],
            "query": request.GET.urlencode(),
        },
    )


@login_required
def handover_pack_file(request: HttpRequest, pk: str) -> FileResponse:
    """The archived pack, for the team and the discipline body; refused if the file no longer matches its hash."""
    pack = get_object_or_404(restrict(HandoverPack.objects.all(), request.user, "accountability.view"), pk=pk)
    with pack.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != pack.sha256:
        raise PermissionDenied(_("The archived file does not match its recorded hash."))
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=pack.file.name.rsplit("/", 1)[-1], content_type=DOCX)
