"""Schedule state (on schedule / behind / overdue / done) and warning colour.

A task is *behind* when a milestone has passed with its measure not done, or when its reported
progress is more than the campaign's margin (`LedgerSettings.behind_margin`, default 10 points)
below the time-proportional expected progress (序时进度): the elapsed share of the span from the
task's start date (or the day it was created) to its deadline. Long-term tasks have no expected
progress; they are judged by their milestones only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Measure, ScheduleState, TaskStatus

# Blue warning: a deadline or milestone falls within this many days.
DUE_SOON_DAYS = 7
# Behind when reported progress is more than this many points below the expected progress.
DEFAULT_BEHIND_MARGIN = 10


def task_start(start_date: dt.date | None, created_at: dt.datetime | None) -> dt.date | None:
    if start_date is not None:
        return start_date
    return timezone.localdate(created_at) if created_at is not None else None


def expected_percent(start: dt.date | None, deadline: dt.date | None, today: dt.date) -> int | None:
    """Elapsed share of the span start → deadline, in percent (0–100); None without a span."""
    if start is None or deadline is None:
        return None
    span = (deadline - start).days
    if span <= 0:
        return 100 if today >= deadline else 0
    elapsed = min(max((today - start).days, 0), span)
    return round(100 * elapsed / span)


def expected_progress(task: Any, today: dt.date | None = None) -> int | None:
    """The time-proportional expected progress (序时进度) of an open task with a deadline."""
    if task.long_term or task.status == TaskStatus.CLOSED:
        return None
    return expected_percent(task_start(task.start_date, task.created_at), task.deadline, today or timezone.localdate())


def behind_margin(task: Any) -> int:
    """The campaign's margin; reads `campaign.ledger_settings` (select it with the task to avoid a query)."""
    try:
        settings = task.campaign.ledger_settings
    except ObjectDoesNotExist:
        return DEFAULT_BEHIND_MARGIN
    return settings.behind_margin if settings is not None else DEFAULT_BEHIND_MARGIN


def pace_behind(progress: int, expected: int | None, margin: int) -> bool:
    return expected is not None and progress < expected - margin


def schedule_state(
    task: Any, measures: Iterable[Any] | None = None, today: dt.date | None = None, margin: int | None = None
) -> ScheduleState:
    today = today or timezone.localdate()
    if task.status == TaskStatus.CLOSED:
        return ScheduleState.DONE
    if not task.long_term and task.deadline is not None and task.deadline < today:
        return ScheduleState.OVERDUE
    ms = list(task.measures.all()) if measures is None else list(measures)
    if any(not m.done and m.milestone < today for m in ms):
        return ScheduleState.BEHIND
    margin = behind_margin(task) if margin is None else margin
    if pace_behind(task.progress, expected_progress(task, today), margin):
        return ScheduleState.BEHIND
    return ScheduleState.ON_SCHEDULE


def warning(task: Any, measures: Iterable[Any] | None = None, today: dt.date | None = None) -> str:
    """'red' overdue, 'yellow' behind, 'blue' due soon, '' otherwise."""
    today = today or timezone.localdate()
    ms = list(task.measures.all()) if measures is None else list(measures)
    state = schedule_state(task, ms, today)
    if state == ScheduleState.OVERDUE:
        return "red"
    if state == ScheduleState.BEHIND:
        return "yellow"
    if state == ScheduleState.DONE:
        return ""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    dates = [m.milestone for m in ms if not m.done]
    if not task.long_term and task.deadline:
        dates.append(task.deadline)
    if any(today <= d <= soon for d in dates):
        return "blue"
    return ""


def measure_progress(measures: Iterable[Any]) -> int:
    ms = list(measures)
    if not ms:
        return 0
    return round(100 * sum(1 for m in ms if m.done) / len(ms))


def overdue_q(today: dt.date | None = None) -> Q:
    """Open, not long-term, deadline passed: `schedule_state` == overdue, in SQL."""
    return ~Q(status=TaskStatus.CLOSED) & Q(long_term=False, deadline__lt=today or timezone.localdate())


def filter_schedule(qs: QuerySet, state: str, today: dt.date | None = None) -> QuerySet:
    """The same rule as `schedule_state` in SQL; the pace rule is computed over one extra query."""
    today = today or timezone.localdate()
    closed = Q(status=TaskStatus.CLOSED)
    overdue = ~closed & Q(long_term=False, deadline__lt=today)
    behind_measure: Exists | Q = Exists(Measure.objects.filter(task=OuterRef("pk"), done=False, milestone__lt=today))
    if state in (ScheduleState.BEHIND, ScheduleState.ON_SCHEDULE):
        behind_measure = behind_measure | Q(pk__in=_pace_behind_ids(qs, today))
    if state == ScheduleState.DONE:
        return qs.filter(closed)
    if state == ScheduleState.OVERDUE:
        return qs.filter(overdue)
    if state == ScheduleState.BEHIND:
        return qs.filter(~closed & ~overdue).filter(behind_measure)
    if state == ScheduleState.ON_SCHEDULE:
        return qs.filter(~closed & ~overdue).exclude(behind_measure)
    return qs


def _pace_behind_ids(qs: QuerySet, today: dt.date) -> list[Any]:
    """Open tasks with a deadline not yet passed whose progress lags the expected progress by more than the margin."""
    rows = (
        qs.model.objects.filter(pk__in=qs.values("pk"), long_term=False, deadline__gte=today, progress__lt=100)
        .exclude(status=TaskStatus.CLOSED)
        .values_list("pk", "start_date", "created_at", "deadline", "progress", "campaign__ledger_settings__behind_margin")
    )
    out = []
    for pk, start_date, created_at, deadline, progress, margin in rows:
        expected = expected_percent(task_start(start_date, created_at), deadline, today)
        if pace_behind(progress, expected, DEFAULT_BEHIND_MARGIN if margin is None else margin):
            out.append(pk)
    return out
