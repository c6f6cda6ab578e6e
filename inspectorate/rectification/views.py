"""Pages: the ledger, a task with its sign-off panel and timeline, the battle map, dispatch, flags, plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import authorize, can, has_role_anywhere, restrict
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.listing import Column, ListPage
from inspectorate.core.pages import paginate
from inspectorate.core.storage import StorageUnavailable, serve_file
from inspectorate.core.tabular import TableError
from inspectorate.orgs.selectors import units_for

from . import actions, ledger, reports, selectors
from .actions import signoff
from .common import errors_text, require_role
from .filters import FlagFilter, ProblemFilter, TaskFilter
from .forms import EvidenceForm
from .models import (
    PLAN_FLOW,
    UPLOAD_KINDS,
    Evidence,
    FlagStatus,
    Leader,
    Measure,
    Objection,
    PlanStatus,
    ReopenSource,
    SignOffStep,
    Task,
    TaskStatus,
)
from .schedule import behind_margin, expected_progress, measure_progress, schedule_state, warning


def _campaign_choice(request: HttpRequest) -> tuple[list[Any], Any]:
    campaigns = list(
        campaigns_for(request.user).filter(tasks__isnull=False).distinct().select_related(None).prefetch_related(None)
    )
    wanted = request.GET.get("campaign") or ""
    chosen = next((c for c in campaigns if wanted in (c.code, str(c.pk))), None)
    if chosen is None and campaigns and not wanted:
        chosen = campaigns[0]
    return campaigns, chosen


def _region_choices(campaigns: list[Any]) -> list[tuple[str, str]]:
    from inspectorate.orgs.models import OrgUnit

    units = OrgUnit.objects.filter(Q(campaigns_targeting__in=campaigns) | Q(parent__campaigns_targeting__in=campaigns))
    return [(u.code, str(u)) for u in units.exclude(unit_type="department").distinct().order_by("path")]


@login_required
def ledger_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = list(campaigns_for(request.user).select_related(None).prefetch_related(None))
    listing = ListPage(
        request,
        TaskFilter,
        selectors.tasks_for(request.user),
        columns=[
            Column(_("No."), "number"),
            Column(_("Problem / goal")),
            Column(_("Lead unit"), "unit"),
            Column(_("Lead leader")),
            Column(_("Deadline"), "deadline"),
            Column(_("Progress"), "progress"),
            Column(_("Status"), "status"),
            Column(_("Schedule")),
        ],
        filters=["campaign", "region", "nature", "status", "schedule", "source", "date_from", "date_to", "overdue"],
        choices={"campaign": [(c.code, str(c)) for c in campaigns], "region": _region_choices(campaigns)},
        labels={"campaign": _("Campaign"), "nature": _("Class"), "schedule": _("Schedule"), "source": _("Source")},
    )
    filt, page = listing.filterset, listing.page
    rows = []
    for t in page:
        ms = list(t.measures.all())
        rows.append(
            {
                "t": t,
                "state": schedule_state(t, ms, today),
                "warning": warning(t, ms, today),
                "measures": len(ms),
                "expected": expected_progress(t, today),
            }
        )
    totals = Measure.objects.filter(task__in=filt.qs.values("pk")).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done=True))
    )
    return render(
        request,
        "rectification/ledger.html",
        {
            "filter": filt,
            "list": listing,
            "page": page,
            "rows": rows,
            "campaigns": campaigns,
            "query": listing.query,
            "can_import": has_role_anywhere(request.user, "tasks.manage"),
            "can_add": has_role_anywhere(request.user, "tasks.manage"),
            "measures_done": totals["done"],
            "measures_total": totals["total"],
        },
    )


@login_required
@require_POST
def import_page(request: HttpRequest) -> HttpResponse:
    require_role(request, "tasks.manage")  # before the campaign and the file are read
    code = request.POST.get("campaign", "")
    campaign = get_object_or_404(campaigns_for(request.user), code=code)
    actions.import_allowed(request.user, campaign)
    upload = request.FILES.get("file")
    if upload is None or not (upload.name or "").lower().endswith(".xlsx"):
        messages.error(request, _("Choose an .xlsx file made from the ledger template."))
        return redirect(reverse("rectification:ledger") + f"?campaign={campaign.code}")
    try:
        report = ledger.import_ledger(upload.read(), campaign=campaign, actor=request.user, units=units_for(request.user))
    except TableError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("rectification:ledger") + f"?campaign={campaign.code}")
    if report.ok:
        messages.success(request, _("Imported: %(c)s created, %(u)s updated.") % {"c": report.created, "u": report.updated})
        return redirect(reverse("rectification:ledger") + f"?campaign={campaign.code}")
    return render(request, "rectification/import_report.html", {"report": report, "campaign": campaign}, status=400)


SIGNOFF_ACTIONS: dict[str, tuple[str, str]] = {
    # name: (permission, step/status it applies to)
    "apply-sign-off": ("tasks.apply", "open"),
    "verify": ("tasks.verify", SignOffStep.ACCEPTANCE_REQUESTED),
    "sign": ("tasks.sign", SignOffStep.SITE_VERIFIED),
    "start-notice": ("tasks.notice", SignOffStep.SIGNED),
    "object": ("tasks.object", SignOffStep.UNDER_NOTICE),
    "file": ("tasks.file", SignOffStep.UNDER_NOTICE),
    "return": ("tasks.return", "returnable"),
    "reopen": ("tasks.reopen", "closed"),
    "progress": ("tasks.progress", "open"),
}
# The role each step of the task page needs, checked before its input is read (the action checks it again on the task).
TASK_ACTION_ROLES = {
    **{name: permission for name, (permission, _step) in SIGNOFF_ACTIONS.items()},
    "decide-objection": "tasks.file",
    "evidence": "tasks.progress",
}


def _applies(task: Task, when: str) -> bool:
    if when == "open":
        return task.status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.REOPENED) and task.signoff_step in (
            SignOffStep.NONE,
            SignOffStep.RETURNED,
        )
    if when == "returnable":
        return task.signoff_step in (
            SignOffStep.ACCEPTANCE_REQUESTED,
            SignOffStep.SITE_VERIFIED,
            SignOffStep.SIGNED,
            SignOffStep.UNDER_NOTICE,
        )
    if when == "closed":
        return task.status == TaskStatus.CLOSED
    return task.signoff_step == when


@login_required
def task_page(request: HttpRequest, pk: str) -> HttpResponse:
    task = get_object_or_404(selectors.task_detail_for(request.user), pk=pk)
    today = timezone.localdate()
    measures = list(task.measures.all())
    evidence: dict[Any, list[Any]] = {}
    for ev in task.evidence.all():
        evidence.setdefault(ev.measure_id, []).append(ev)
    available = [name for name, (perm, when) in SIGNOFF_ACTIONS.items() if _applies(task, when) and can(request.user, perm, task)]
    steps = [
        (SignOffStep.ACCEPTANCE_REQUESTED, task.applied_at, task.applied_by),
        (SignOffStep.SITE_VERIFIED, task.verified_at, task.verified_by),
        (SignOffStep.SIGNED, task.signed_at, task.signed_by),
        (SignOffStep.UNDER_NOTICE, task.notice_start, None),
        (SignOffStep.FILED, task.closed_on, task.filed_by),
    ]
    return render(
        request,
        "rectification/task.html",
        {
            "t": task,
            "measures": [{"m": m, "evidence": evidence.get(m.pk, [])} for m in measures],
            "state": schedule_state(task, measures, today),
            "warning": warning(task, measures, today),
            "measure_percent": measure_progress(measures),
            "expected": expected_progress(task, today),
            "margin": behind_margin(task),
            "can_edit": task.status != TaskStatus.CLOSED and can(request.user, "tasks.manage", task),
            "available": available,
            "file_blocked": signoff.file_blocker(task, today) if "file" in available else "",
            "steps": steps,
            "reopen_sources": ReopenSource.choices,
            "open_objections": [o for o in task.objections.all() if o.status == "open"],
            "can_decide": can(request.user, "tasks.file", task),
            "can_review_flags": can(request.user, "flags.review", task),
            "flags": list(task.flags.all()),
            "today": today,
            "upload_kinds": UPLOAD_KINDS,
        },
    )


@login_required
@require_POST
def task_action(request: HttpRequest, pk: str, name: str) -> HttpResponse:
    task = get_object_or_404(selectors.task_detail_for(request.user), pk=pk)
    if name not in TASK_ACTION_ROLES:
        return HttpResponse(status=404)
    require_role(request, TASK_ACTION_ROLES[name])
    p = request.POST
    try:
        if name == "apply-sign-off":
            actions.apply_sign_off(task, actor=request.user, note=p.get("note", ""))
        elif name == "verify":
            actions.verify(task, actor=request.user, conclusion=p.get("conclusion", ""))
        elif name == "sign":
            actions.sign(task, actor=request.user, note=p.get("note", ""))
        elif name == "start-notice":
            actions.start_notice(task, actor=request.user)
        elif name == "object":
            actions.raise_objection(task, actor=request.user, text=p.get("text", ""), contact=p.get("contact", ""))
        elif name == "decide-objection":
            objection = get_object_or_404(Objection, pk=p.get("objection"), task=task)
            actions.decide_objection(
                task, objection, actor=request.user, upheld=p.get("upheld") == "1", reason=p.get("reason", "")
            )
        elif name == "file":
            if p.get("confirm") != "1":
                return _confirm_file(request, task)
            actions.file(task, actor=request.user)
            messages.success(request, _("Task %(n)s signed off and filed (销号备案).") % {"n": task.number})
            return HttpResponseRedirect(reverse("rectification:task", args=[task.pk]))
        elif name == "return":
            actions.return_task(task, actor=request.user, reason=p.get("reason", ""))
        elif name == "reopen":
            actions.reopen(task, actor=request.user, source=p.get("source", ""), reason=p.get("reason", ""))
        elif name == "progress":
            try:
                percent = int(p.get("percent", ""))
            except ValueError:
                raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")}) from None
            actions.record_progress(
                task, actor=request.user, percent=percent, note=p.get("note", ""), measures_done=p.getlist("measures_done")
            )
        elif name == "evidence":
            form = EvidenceForm(p, request.FILES, measures=task.measures.select_related("task"))
            if not form.is_valid():
                labels = {k: f.label for k, f in form.fields.items()}
                raise ValidationError([f"{labels.get(k, '')}: {m}" for k, v in form.errors.items() for m in v])
            d = form.cleaned_data
            actions.add_evidence(
                task,
                actor=request.user,
                measure=d["measure"],
                content=d["file"].read(),
                filename=d["file"].name or "evidence",
                kind=d["kind"],
                captured_on=d["captured_on"],
                note=d["note"],
            )
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    except StorageUnavailable as exc:  # an evidence file the store refused: nothing was recorded
        messages.error(request, str(exc.detail))
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("Done."))
    return HttpResponseRedirect(reverse("rectification:task", args=[task.pk]))


def _confirm_file(request: HttpRequest, task: Task) -> HttpResponse:
    """The step before 销号备案: the task, its notice and what filing means, with Confirm / Cancel."""
    authorize(request.user, "tasks.file", task)
    blocker = signoff.file_blocker(task, timezone.localdate())
    if task.signoff_step != SignOffStep.UNDER_NOTICE or blocker:
        raise ValidationError(blocker or _("The task is not under public notice."))
    notice = f"{task.notice_start:%Y-%m-%d} – {task.notice_end:%Y-%m-%d}" if task.notice_start and task.notice_end else "—"
    ctx = {
        "title": _("Sign off and file task %(n)s (销号备案)?") % {"n": task.number},
        "facts": [
            (_("Task"), f"{task.number} {task.goal[:80]}"),
            (_("Lead unit"), task.lead_unit),
            (_("Public notice"), notice),
        ],
        "warning": _("The task is closed with progress 100%; only a reopening with a reason can bring it back."),
        "action": reverse("rectification:task-action", args=[task.pk, "file"]),
        "button": _("Confirm filing"),
        "cancel": reverse("rectification:task", args=[task.pk]),
    }
    return render(request, "confirm.html", ctx)


@login_required
def battle_map_page(request: HttpRequest) -> HttpResponse:
    campaigns, campaign = _campaign_choice(request)
    data: dict[str, Any] = {"months": [], "rows": []}
    leaders: list[Any] = []
    if campaign is not None:
        in_scope = restrict(Task.objects.filter(campaign=campaign), request.user, "view").values("lead_leader_id")
        leaders = list(Leader.objects.filter(pk__in=in_scope).order_by("name"))
        params = request.GET.copy()
        params["campaign"] = campaign.code
        filt = TaskFilter(params, queryset=selectors.tasks_for(request.user))
        data = reports.battle_map(list(filt.qs.order_by("sort_key")))
    units = units_for(request.user).select_related(None)[:200]
    return render(
        request,
        "rectification/battle_map.html",
        {"campaigns": campaigns, "campaign": campaign, "units": units, "leaders": leaders, **data},
    )


@login_required
def dispatch_page(request: HttpRequest) -> HttpResponse:
    campaigns, campaign = _campaign_choice(request)
    data: dict[str, Any] = {"rows": []}
    if campaign is not None:
        data = reports.dispatch(list(selectors.tasks_for(request.user).filter(campaign=campaign)))
    return render(request, "rectification/dispatch.html", {"campaigns": campaigns, "campaign": campaign, **data})


@login_required
def flags_page(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("status", FlagStatus.OPEN)
    filt = FlagFilter(params, queryset=selectors.flags_for(request.user).select_related("unit", "campaign"))
    page = paginate(request, filt.qs)
    # Flags about a unit, a case or an area have no task page: they are reviewed here.
    reviewable = {f.pk for f in page if f.status == FlagStatus.OPEN and can(request.user, "flags.review", f)}
    return render(
        request,
        "rectification/flags.html",
        {"filter": filt, "page": page, "status": params["status"], "reviewable": reviewable},
    )


@login_required
@require_POST
def flag_review(request: HttpRequest, pk: str) -> HttpResponse:
    flag = get_object_or_404(selectors.flags_for(request.user), pk=pk)
    try:
        actions.review_flag(
            flag, actor=request.user, decision=request.POST.get("decision", ""), note=request.POST.get("note", "")
        )
        messages.success(request, _("Decision recorded."))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    back = reverse("rectification:task", args=[flag.task_id]) if flag.task_id else reverse("rectification:flags")
    return HttpResponseRedirect(request.POST.get("next") or back)


@login_required
def plans_page(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for(request.user).order_by("campaign__code", "target__code", "-version")
    campaigns = list(campaigns_for(request.user).select_related(None).prefetch_related(None))
    problems = ListPage(
        request,
        ProblemFilter,
        selectors.problems_for(request.user),
        columns=[
            Column(_("No."), "number"),
            Column(_("Problem")),
            Column(_("Source"), "source"),
            Column(_("Class")),
            Column(_("Responsible unit"), "unit"),
        ],
        filters=["campaign", "region", "source", "urgency", "nature"],
        choices={"campaign": [(c.code, str(c)) for c in campaigns], "region": _region_choices(campaigns)},
        labels={"campaign": _("Campaign")},
    )
    return render(
        request,
        "rectification/plans.html",
        {
            "plans": plans,
            "list": problems,
            "can_problems": has_role_anywhere(request.user, "problems.manage"),
            "can_plans": has_role_anywhere(request.user, "plans.manage"),
        },
    )


@login_required
def plan_page(request: HttpRequest, pk: str) -> HttpResponse:
    plan = get_object_or_404(selectors.plans_for(request.user), pk=pk)
    moves = [to for to, (required, perm) in PLAN_FLOW.items() if plan.status == required and can(request.user, perm, plan)]
    can_edit = plan.status != PlanStatus.PUBLISHED and can(request.user, "plans.manage", plan)
    return render(
        request,
        "rectification/plan.html",
        {"plan": plan, "moves": [(m, PlanStatus(m).label) for m in moves], "can_edit": can_edit},
    )


@login_required
@require_POST
def plan_transition(request: HttpRequest, pk: str) -> HttpResponse:
    plan = get_object_or_404(selectors.plans_for(request.user), pk=pk)
    to = request.POST.get("to", "")
    # The role of the move (PLAN_FLOW) before anything else; an unknown move needs one of the plan roles.
    needed = [PLAN_FLOW[to][1]] if to in PLAN_FLOW else ["plans.manage", "plans.approve"]
    if not any(has_role_anywhere(request.user, a) for a in needed):
        raise PermissionDenied(needed[0])
    try:
        actions.transition_plan(plan, to, actor=request.user, approved_by_body=request.POST.get("approved_by_body", ""))
        messages.success(request, _("Done."))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    return HttpResponseRedirect(reverse("rectification:plan", args=[plan.pk]))


@login_required
def evidence_file(request: HttpRequest, pk: str) -> FileResponse:
    """Download one evidence file (scoped like its task); the SHA-256 travels in a header for checking."""
    ev = get_object_or_404(restrict(Evidence.objects.select_related("task"), request.user, "view"), pk=pk)
    response = serve_file(ev.file, filename=ev.original_name)  # streamed through the app, never a public URL
    response["X-Content-SHA256"] = ev.sha256
    return response
