"""Dashboard panels per role, with charts: each chart is a `<table>` (its table view and its data source) and
every figure links to the filtered list behind it (the list filters of core.listing).

team (screens complaints): intake per day, cases by status and by verdict, overdue replies.
leader / coordinator (sees rectification tasks): completion rate per unit, laggards (overdue per unit), warnings by colour.
my to-do (handler, enterprise, liaison, acceptance): cases due, progress to report, sign-offs to check, objections to answer.
All counted inside the user's scope (`restrict` through the selectors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import has_role_anywhere

INTAKE_DAYS = 14


@dataclass
class Row:
    label: str
    value: int
    url: str
    extra: Any = None  # e.g. percent for progress bars


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar | progress
    column: str  # header of the value column
    rows: list[Row] = field(default_factory=list)
    tone: str = ""


def _url(name: str, **params: Any) -> str:
    q = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{q}" if q else "")


def team_charts(user: Any, today: dt.date) -> list[Chart]:
    from inspectorate.complaints.filters import overdue_q
    from inspectorate.complaints.models import CaseStatus, Verdict
    from inspectorate.complaints.selectors import cases_for, complaints_for

    start = today - dt.timedelta(days=INTAKE_DAYS - 1)
    per_day = dict(
        complaints_for(user)
        .filter(intake_day__gte=start, intake_day__lte=today)
        .order_by()
        .values_list("intake_day")
        .annotate(n=Count("pk"))
    )
    intake = Chart("intake", _("Intake per day (last %(n)d days)") % {"n": INTAKE_DAYS}, "bar", _("Complaints"))
    for i in range(INTAKE_DAYS):
        d = start + dt.timedelta(days=i)
        intake.rows.append(Row(f"{d:%m-%d}", per_day.get(d, 0), _url("complaints:list", date_from=d, date_to=d)))
    cases = cases_for(user).exclude(status=CaseStatus.MERGED).order_by()
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")))
    status = Chart("status", _("Cases by status"), "bar", _("Cases"))
    for value, label in CaseStatus.choices:
        if value != CaseStatus.MERGED:
            status.rows.append(Row(str(label), by_status.get(value, 0), _url("complaints:cases", status=value)))
    by_verdict = dict(cases.exclude(verdict="").values_list("verdict").annotate(n=Count("pk")))
    verdict = Chart("verdict", _("Cases by verdict"), "bar", _("Cases"))
    for value, label in Verdict.choices:
        verdict.rows.append(Row(str(label), by_verdict.get(value, 0), _url("complaints:cases", verdict=value)))
    late = Chart("overdue", _("Overdue replies"), "bar", _("Cases"), tone="red")
    late_by_unit = cases.filter(overdue_q(today)).values_list("region__code", "region__name_zh").annotate(n=Count("pk"))
    for code, name, n in sorted(late_by_unit, key=lambda r: -r[2]):
        late.rows.append(Row(name or "—", n, _url("complaints:cases", overdue="true", region=code)))
    return [intake, status, verdict, late]


def leader_charts(user: Any, today: dt.date) -> list[Chart]:
    from inspectorate.accounts.scoping import restrict
    from inspectorate.rectification.models import Task, TaskStatus, TaskWarning, WarningLevel
    from inspectorate.rectification.schedule import overdue_q

    tasks = restrict(Task.objects.all(), user, "view").order_by()
    rows = (
        tasks.values_list("lead_unit__code", "lead_unit__name_zh")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status=TaskStatus.CLOSED)),
            late=Count("pk", filter=overdue_q(today)),
        )
        .order_by("lead_unit__code")
    )
    completion = Chart("completion", _("Completion rate per unit"), "progress", _("Completed"))
    laggards = Chart("laggards", _("Laggards: overdue tasks per unit"), "bar", _("Overdue tasks"), tone="red")
    for code, name, total, closed, late in rows:
        pct = round(100 * closed / total) if total else 0
        completion.rows.append(Row(name or "—", closed, _url("rectification:ledger", region=code), (total, pct)))
        if late:
            laggards.rows.append(Row(name or "—", late, _url("rectification:ledger", region=code, overdue="true")))
    laggards.rows.sort(key=lambda r: -r.value)
    warnings = Chart("warnings", _("Warnings by colour"), "bar", _("Tasks"))
    for level, label in WarningLevel.choices:
        flagged = TaskWarning.objects.filter(level=level, task__isnull=False).values("task_id")
        n = tasks.filter(pk__in=flagged).count()
        warnings.rows.append(Row(str(label), n, _url("rectification:ledger", warning=level), level))
    return [completion, laggards, warnings]


@dataclass
class Todo:
    title: str
    items: list[tuple[str, Any, str]]  # (label, due date, url)
    more_url: str
    count: int


def todo(user: Any, today: dt.date, limit: int = 8) -> list[Todo]:
    from inspectorate.complaints.filters import OPEN_STATES
    from inspectorate.complaints.selectors import cases_for
    from inspectorate.rectification.models import Objection, SignOffStep, TaskStatus
    from inspectorate.rectification.selectors import tasks_for

    out = []
    qs: Any
    if has_role_anywhere(user, "cases.reply") or has_role_anywhere(user, "cases.dispatch"):
        qs = cases_for(user, "cases.reply" if has_role_anywhere(user, "cases.reply") else "cases.dispatch")
        qs = qs.filter(status__in=OPEN_STATES).order_by("due_date", "number")
        items = [(f"{c.number} {c.summary[:30]}", c.due_date, reverse("complaints:case", args=[c.pk])) for c in qs[:limit]]
        out.append(Todo(_("Cases due"), items, _url("complaints:cases", status="dispatched", sort="due"), qs.count()))
    if has_role_anywhere(user, "tasks.progress"):
        qs = tasks_for(user, "tasks.progress").exclude(status=TaskStatus.CLOSED).filter(signoff_step__in=["", "returned"])
        qs = qs.order_by("deadline", "sort_key")
        items = [(f"{t.number} {t.goal[:30]}", t.deadline, reverse("rectification:task", args=[t.pk])) for t in qs[:limit]]
        out.append(Todo(_("Progress to report"), items, _url("rectification:ledger", sort="deadline"), qs.count()))
    if has_role_anywhere(user, "tasks.verify") or has_role_anywhere(user, "tasks.sign"):
        steps = [SignOffStep.ACCEPTANCE_REQUESTED, SignOffStep.SITE_VERIFIED]
        pending = TaskStatus.PENDING_ACCEPTANCE.value  # a link's query, not a write
        qs = tasks_for(user).filter(signoff_step__in=steps).order_by("applied_at")
        items = [
            (f"{t.number} {t.get_signoff_step_display()}", t.deadline, reverse("rectification:task", args=[t.pk]))
            for t in qs[:limit]
        ]
        out.append(Todo(_("Sign-offs to check"), items, _url("rectification:ledger", status=pending), qs.count()))
    if has_role_anywhere(user, "tasks.file"):
        visible = tasks_for(user, "tasks.file").values("pk")
        qs = Objection.objects.filter(task__in=visible, status="open").select_related("task").order_by("created_at")
        items = [
            (f"{o.task.number} {o.text[:30]}", o.task.notice_end, reverse("rectification:task", args=[o.task_id]))
            for o in qs[:limit]
        ]
        out.append(Todo(_("Objections to answer"), items, _url("rectification:ledger", status="under_notice"), qs.count()))
    return out


def panels_for(user: Any) -> dict[str, Any]:
    from inspectorate.accounts.scoping import restrict
    from inspectorate.rectification.models import Task

    today = timezone.localdate()
    ctx: dict[str, Any] = {"today": today}
    if has_role_anywhere(user, "complaints.screen"):
        ctx["team_charts"] = team_charts(user, today)
    leads = any(has_role_anywhere(user, a) for a in ("tasks.manage", "plans.approve", "audit.view", "tasks.file"))
    if leads and restrict(Task.objects.all(), user, "view").exists():
        ctx["leader_charts"] = leader_charts(user, today)
    ctx["todo"] = todo(user, today)
    return ctx
