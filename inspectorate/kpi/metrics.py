"""What a KPI line is computed from: the platform's own records for an assessed unit's subtree in the period.

Two sorts of metric:
* rate metrics (process and result indicators): `done` of `due`, with the events that fell short;
* event metrics (deductions and veto items): the list of events.

Each event is a dict {"day": ISO date, "ref": number or name, "text": the record's own words (a title, a reason),
"code": what happened (a key of EVENT_LABELS, translated when shown), "on": a second date or ""} so that a score
page can say which events cost how many points. Nothing stored is translated: the page translates the codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass
class Result:
    events: list[dict[str, Any]] = field(default_factory=list)
    done: int = 0
    due: int = 0


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    rate: bool  # a rate (done of due) for process/result indicators; else events for deductions and vetoes
    compute: Callable[[Any, dt.date, dt.date], Result]


EVENT_LABELS: dict[str, Any] = {
    "no_log": _("no daily log"),
    "late_log": _("log entered late (after the 10:00 warning)"),
    "not_closed": _("not closed"),
    "closed_late": _("closed on"),
    "not_done": _("not done"),
    "done_late": _("done on"),
    "stopped": _("Stopped"),
    "fault": _("Fault"),
}


def _event(day: dt.date | None, ref: str, text: str = "", code: str = "", on: dt.date | None = None) -> dict[str, Any]:
    return {"day": day.isoformat() if day else "", "ref": ref, "text": text, "code": code, "on": on.isoformat() if on else ""}


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=n) for n in range((b - a).days + 1)]


def _facilities(unit: Any) -> Any:
    from inspectorate.facilities.models import Facility

    return Facility.objects.filter(active=True, unit__path__startswith=unit.path).order_by("unit__path", "name")


def logs_on_time(unit: Any, start: dt.date, end: dt.date) -> Result:
    """Facility-days (in service, commissioned, up to yesterday) with a daily log and no missing-log warning:
    a log entered after 10:00 the next day was warned of, so it counts as late."""
    from inspectorate.facilities.models import FacilityLog, FacilityWarning, WarningKind

    last = min(end, timezone.localdate() - dt.timedelta(days=1))
    res = Result()
    for f in _facilities(unit):
        first = max(start, f.commissioned_on) if f.commissioned_on else start
        if first > last:
            continue
        logged = set(FacilityLog.objects.filter(facility=f, day__range=(first, last)).values_list("day", flat=True))
        warned = set(
            FacilityWarning.objects.filter(facility=f, kind=WarningKind.MISSING_LOG, day__range=(first, last)).values_list(
                "day", flat=True
            )
        )
        for day in _days(first, last):
            res.due += 1
            if day in logged and day not in warned:
                res.done += 1
            elif day in logged:
                res.events.append(_event(day, f.name, code="late_log"))
            else:
                res.events.append(_event(day, f.name, code="no_log"))
    return res


def facilities_running(unit: Any, start: dt.date, end: dt.date) -> Result:
    """Logged facility-days on which the facility ran normally (stops and faults are the events)."""
    from inspectorate.facilities.models import FacilityLog, LogStatus

    logs = (
        FacilityLog.objects.filter(facility__in=_facilities(unit), day__range=(start, end))
        .select_related("facility")
        .order_by("day", "facility__name")
    )
    res = Result()
    for log in logs:
        res.due += 1
        if log.status == LogStatus.RUNNING:
            res.done += 1
        else:
            res.events.append(_event(log.day, log.facility.name, log.reason, code=log.status))
    return res


def _dangers(unit: Any) -> Any:
    from inspectorate.hazards.models import HiddenDanger

    return HiddenDanger.objects.filter(unit__path__startswith=unit.path).order_by("number")


def _late(unit: Any, start: dt.date, end: dt.date) -> tuple[int, list[dict[str, Any]]]:
    due, events = 0, []
    for d in _dangers(unit).filter(deadline__range=(start, end)).order_by("deadline", "number"):
        due += 1
        if d.closed_on is not None and d.closed_on <= d.deadline:
            continue
        events.append(_event(d.deadline, d.number, d.title, "closed_late" if d.closed_on else "not_closed", d.closed_on))
    return due, events


def dangers_closed_on_time(unit: Any, start: dt.date, end: dt.date) -> Result:
    """Hidden dangers whose deadline falls in the period, closed (verified) by their deadline."""
    due, events = _late(unit, start, end)
    return Result(events=events, done=due - len(events), due=due)


def dangers_overdue(unit: Any, start: dt.date, end: dt.date) -> Result:
    """Each hidden danger with a deadline in the period that was not closed by it."""
    _due, events = _late(unit, start, end)
    return Result(events=events)


def major_dangers_found(unit: Any, start: dt.date, end: dt.date) -> Result:
    from inspectorate.hazards.models import DangerLevel

    rows = _dangers(unit).filter(level=DangerLevel.MAJOR, found_on__range=(start, end)).order_by("found_on", "number")
    return Result(events=[_event(d.found_on, d.number, d.title) for d in rows])


def milestones_met(unit: Any, start: dt.date, end: dt.date) -> Result:
    """Ledger measures whose milestone falls in the period, done by the milestone, on tasks the unit's subtree
    leads or implements."""
    from inspectorate.rectification.models import Measure

    rows = (
        Measure.objects.filter(milestone__range=(start, end))
        .filter(Q(task__lead_unit__path__startswith=unit.path) | Q(task__implementing_units__path__startswith=unit.path))
        .select_related("task", "task__campaign")
        .distinct()
        .order_by("milestone", "task__sort_key", "number")
    )
    res = Result()
    for m in rows:
        res.due += 1
        if m.done and m.done_on is not None and m.done_on <= m.milestone:
            res.done += 1
            continue
        late = m.done and m.done_on is not None
        ref = f"{m.task.campaign.code} {m.task.number}.{m.number}"
        res.events.append(_event(m.milestone, ref, m.text, "done_late" if late else "not_done", m.done_on if late else None))
    return res


def _warnings(kind: str) -> Callable[[Any, dt.date, dt.date], Result]:
    def compute(unit: Any, start: dt.date, end: dt.date) -> Result:
        from inspectorate.facilities.models import FacilityWarning

        rows = (
            FacilityWarning.objects.filter(kind=kind, day__range=(start, end), facility__unit__path__startswith=unit.path)
            .select_related("facility", "plan")
            .order_by("day", "facility__name")
        )
        return Result(events=[_event(w.day, w.facility.name, w.plan.title if w.plan is not None else "") for w in rows])

    return compute


def logs_rejected(unit: Any, start: dt.date, end: dt.date) -> Result:
    """Stops or faults whose explanation the reviewer did not accept (a false running record)."""
    from inspectorate.facilities.models import FacilityLog, ReviewState

    rows = (
        FacilityLog.objects.filter(
            facility__unit__path__startswith=unit.path, day__range=(start, end), review=ReviewState.REJECTED
        )
        .select_related("facility")
        .order_by("day")
    )
    return Result(events=[_event(x.day, x.facility.name, x.review_note) for x in rows])


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric("logs_on_time", _("Daily running logs entered on time"), True, logs_on_time),
        Metric("dangers_closed_on_time", _("Hidden dangers closed by their deadline"), True, dangers_closed_on_time),
        Metric("milestones_met", _("Ledger milestones met"), True, milestones_met),
        Metric("facilities_running", _("Pollution-control facilities in normal operation"), True, facilities_running),
        Metric("dangers_overdue", _("Hidden danger not closed by its deadline"), False, dangers_overdue),
        Metric("major_dangers_found", _("Major hidden danger found"), False, major_dangers_found),
        Metric("missing_log_warnings", _("Missing daily log warned of"), False, _warnings("missing_log")),
        Metric("maintenance_overdue", _("Maintenance overdue against its plan"), False, _warnings("maintenance_overdue")),
        Metric("logs_rejected", _("Stop or fault explanation not accepted on review"), False, logs_rejected),
    ]
}


def choices(rate: bool | None = None) -> list[tuple[str, Any]]:
    return [(m.key, m.label) for m in METRICS.values() if rate is None or m.rate == rate]
