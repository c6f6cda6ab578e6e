"""Schedule state (on schedule / behind / overdue / done) and warning colour, derived from milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Measure, ScheduleState, TaskStatus

# Blue warning: a deadline or milestone falls within this many days.
DUE_SOON_DAYS = 7


def schedule_state(task: Any, measures: Iterable[Any] | None = None, today: dt.date | None = None) -> ScheduleState:
    today = today or timezone.localdate()
    if task.status == TaskStatus.CLOSED:
        return ScheduleState.DONE
    if not task.long_term and task.deadline is not None and task.deadline < today:
        return ScheduleState.OVERDUE
    ms = list(task.measures.all()) if measures is None else list(measures)
    if any(not m.done and m.milestone < today for m in ms):
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


def filter_schedule(qs: QuerySet, state: str, today: dt.date | None = None) -> QuerySet:
    """The same rule as `schedule_state`, in SQL."""
    today = today or timezone.localdate()
    closed = Q(status=TaskStatus.CLOSED)
    overdue = ~closed & Q(long_term=False, deadline__lt=today)
    behind_measure = Exists(Measure.objects.filter(task=OuterRef("pk"), done=False, milestone__lt=today))
    if state == ScheduleState.DONE:
        return qs.filter(closed)
    if state == ScheduleState.OVERDUE:
        return qs.filter(overdue)
    if state == ScheduleState.BEHIND:
        return qs.filter(~closed & ~overdue).filter(behind_measure)
    if state == ScheduleState.ON_SCHEDULE:
        return qs.filter(~closed & ~overdue).exclude(behind_measure)
    return qs
