"""Ledger deadlines: blue (due within N days), yellow (behind schedule), red (overdue) for milestones,
tasks and plans. `run()` is idempotent: each warning is recorded once and its reminder e-mailed once
(console backend in the demo) to the responsible people: the lead leader's login and the lead unit's
liaison and handling staff. Entry points: `manage.py rectification_deadlines` and the django-task
`deadlines_task`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.models import Membership

from .models import Frequency, LedgerSettings, Plan, PlanStatus, Task, TaskStatus, TaskWarning, WarningLevel, WarningSubject
from .schedule import DEFAULT_BEHIND_MARGIN, DUE_SOON_DAYS, expected_progress, pace_behind

REMIND_ROLES = ("liaison", "handler", "enterprise_officer")


def next_report_due(last: dt.date, frequency: str) -> dt.date:
    """When the report after one made on `last` is due: end of the next month / 7 days / the next day."""
    if frequency == Frequency.DAILY:
        return last + dt.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        return last + dt.timedelta(days=7)
    first_next = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return (first_next + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _candidates(today: dt.date, default_soon_days: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    config = {s.campaign_id: s for s in LedgerSettings.objects.all()}
    open_tasks = (
        Task.objects.exclude(status=TaskStatus.CLOSED)
        .select_related("lead_unit", "lead_leader")
        .prefetch_related("measures")
        .annotate(last_report=Max("updates__period"))
    )
    for t in open_tasks:
        cfg = config.get(t.campaign_id)
        soon = today + dt.timedelta(days=cfg.due_soon_days if cfg else default_soon_days)
        if t.status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.REOPENED):
            last = t.last_report or timezone.localtime(t.created_at).date()  # type: ignore[attr-defined]
            due = next_report_due(last, cfg.report_frequency if cfg else Frequency.MONTHLY)
            level = WarningLevel.RED if due < today else (WarningLevel.BLUE if due <= soon else "")
            if level:
                msg = (
                    _("Task %(no)s: the progress report is due %(d)s.")
                    if level == WarningLevel.BLUE
                    else _("Task %(no)s: the progress report due %(d)s has not come in.")
                )
                out.append(
                    {
                        "task": t,
                        "subject": WarningSubject.REPORT,
                        "ref": str(t.pk),
                        "level": level,
                        "due_date": due,
                        "message": msg % {"no": t.number, "d": f"{due:%Y-%m-%d}"},
                    }
                )
        if not t.long_term and t.deadline is not None:
            level = WarningLevel.RED if t.deadline < today else (WarningLevel.BLUE if t.deadline <= soon else "")
            if level:
                msg = _("Task %(no)s is due %(d)s.") if level == WarningLevel.BLUE else _("Task %(no)s is overdue (due %(d)s).")
                out.append(
                    {
                        "task": t,
                        "subject": WarningSubject.TASK,
                        "ref": str(t.pk),
                        "level": level,
                        "due_date": t.deadline,
                        "message": msg % {"no": t.number, "d": f"{t.deadline:%Y-%m-%d}"},
                    }
                )
        expected = expected_progress(t, today) if t.deadline is not None and t.deadline >= today else None
        margin = cfg.behind_margin if cfg else DEFAULT_BEHIND_MARGIN
        if t.status != TaskStatus.PENDING_ACCEPTANCE and pace_behind(t.progress, expected, margin):
            out.append(
                {
                    "task": t,
                    "subject": WarningSubject.TASK,
                    "ref": f"{t.pk}:pace",
                    "level": WarningLevel.YELLOW,
                    "due_date": t.deadline,
                    "message": _("Task %(no)s is behind the time-proportional pace: %(a)s%% reported, %(e)s%% expected.")
                    % {"no": t.number, "a": t.progress, "e": expected},
                }
            )
        for m in t.measures.all():
            if m.done:
                continue
            level = WarningLevel.YELLOW if m.milestone < today else (WarningLevel.BLUE if m.milestone <= soon else "")
            if level:
                msg = (
                    _("Task %(no)s is behind: measure %(m)s was due %(d)s.")
                    if level == WarningLevel.YELLOW
                    else _("Task %(no)s: measure %(m)s is due %(d)s.")
                )
                out.append(
                    {
                        "task": t,
                        "subject": WarningSubject.MILESTONE,
                        "ref": str(m.pk),
                        "level": level,
                        "due_date": m.milestone,
                        "message": msg % {"no": t.number, "m": m.number, "d": f"{m.milestone:%Y-%m-%d}"},
                    }
                )
    soon = today + dt.timedelta(days=default_soon_days)
    for p in Plan.objects.filter(due__isnull=False).exclude(status__in=[PlanStatus.APPROVED, PlanStatus.PUBLISHED]):
        if p.submitted_on is not None:
            continue
        level = WarningLevel.RED if p.due < today else (WarningLevel.BLUE if p.due <= soon else "")  # type: ignore[operator]
        if level:
            out.append(
                {
                    "plan": p,
                    "subject": WarningSubject.PLAN,
                    "ref": str(p.pk),
                    "level": level,
                    "due_date": p.due,
                    "message": _("The rectification plan “%(t)s” is due %(d)s.") % {"t": p.title, "d": f"{p.due:%Y-%m-%d}"},
                }
            )
    return out


def _recipients(warning: TaskWarning, today: dt.date) -> list[str]:
    emails: set[str] = set()
    task = warning.task
    if task is not None and task.lead_leader.user_id and task.lead_leader.user and task.lead_leader.user.email:
        emails.add(task.lead_leader.user.email)
    for email in (
        Membership.objects.filter(org_unit=warning.unit, role__in=REMIND_ROLES, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    ):
        emails.add(email)
    return sorted(emails)


def run(today: dt.date | None = None, soon_days: int = DUE_SOON_DAYS) -> dict[str, int]:
    """Record new warnings and e-mail them; messages are written in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _run(today or timezone.localdate(), soon_days)


def _run(today: dt.date, soon_days: int) -> dict[str, int]:
    counts = {"red": 0, "yellow": 0, "blue": 0, "reminders": 0}
    existing = set(TaskWarning.objects.values_list("subject", "ref", "level", "due_date"))
    mails = []
    for c in _candidates(today, soon_days):
        if (c["subject"], c["ref"], c["level"], c["due_date"]) in existing:
            continue
        task, plan = c.get("task"), c.get("plan")
        owner = task if task is not None else plan
        try:
            with transaction.atomic():
                w = TaskWarning.objects.create(
                    campaign_id=owner.campaign_id,  # type: ignore[union-attr]
                    unit=task.lead_unit if task is not None else plan.target,  # type: ignore[union-attr]
                    task=task,
                    plan=plan,
                    subject=c["subject"],
                    ref=c["ref"],
                    level=c["level"],
                    due_date=c["due_date"],
                    message=c["message"],
                )
                to = _recipients(w, today)
                w.notified = len(to)
                w.save(update_fields=["notified"])
                audit.record("system:rectification_deadlines", f"deadline.{c['level']}", owner, after={"message": c["message"]})
        except IntegrityError:
            continue
        counts[c["level"]] += 1
        if to:
            mails.append((f"[{w.get_level_display()}] {c['message']}", c["message"], settings.DEFAULT_FROM_EMAIL, to))
            counts["reminders"] += len(to)
    if mails:
        send_mass_mail(mails, fail_silently=True)
    return counts
