"""Battle map (挂图作战) and monthly dispatch figures, computed from one scoped query each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .models import ScheduleState, TaskStatus
from .schedule import expected_progress, measure_progress, schedule_state, warning

MAX_MONTHS = 72


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def add_month(d: dt.date, n: int = 1) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def month_end(d: dt.date) -> dt.date:
    return add_month(month_start(d)) - dt.timedelta(days=1)


@dataclass
class MapCell:
    month: dt.date
    marks: list[Any] = field(default_factory=list)
    css: str = ""
    deadline: bool = False


@dataclass
class MapRow:
    task: Any
    state: str
    warning: str
    percent: int
    cells: list[MapCell]
    expected: int | None = None


def battle_map(tasks: list[Any], today: dt.date | None = None) -> dict[str, Any]:
    """Rows of tasks × months; every measure is a mark coloured done / on schedule / behind / overdue."""
    today = today or timezone.localdate()
    dates: list[dt.date] = []
    for t in tasks:
        dates += [m.milestone for m in t.measures.all()]
        if t.deadline:
            dates.append(t.deadline)
    if not dates:
        return {"months": [], "rows": [], "totals": {}, "today": today}
    first = month_start(min(dates))
    last = month_start(max(max(dates), today))
    months = [first]
    while months[-1] < last and len(months) < MAX_MONTHS:
        months.append(add_month(months[-1]))
    index = {m: i for i, m in enumerate(months)}
    rows = []
    totals: dict[str, int] = defaultdict(int)
    for t in tasks:
        ms = list(t.measures.all())
        state = schedule_state(t, ms, today)
        totals[state] += 1
        cells = [MapCell(m) for m in months]
        for m in ms:
            i = index.get(month_start(m.milestone))
            if i is None:
                continue
            if m.done:
                css = ScheduleState.DONE
            elif m.milestone < today:
                css = ScheduleState.OVERDUE if state == ScheduleState.OVERDUE else ScheduleState.BEHIND
            else:
                css = ScheduleState.ON_SCHEDULE
            cells[i].marks.append((m, css))
        if t.deadline:
            i = index.get(month_start(t.deadline))
            if i is not None:
                cells[i].deadline = True
        for c in cells:
            if c.marks:
                order = [ScheduleState.OVERDUE, ScheduleState.BEHIND, ScheduleState.ON_SCHEDULE, ScheduleState.DONE]
                c.css = next(s for s in order if any(css == s for _, css in c.marks))
        percent = 100 if t.status == TaskStatus.CLOSED else max(t.progress, measure_progress(ms))
        rows.append(MapRow(t, state, warning(t, ms, today), percent, cells, expected_progress(t, today)))
    done = totals.get(ScheduleState.DONE, 0)
    return {
        "months": months,
        "rows": rows,
        "totals": dict(totals),
        "total": len(tasks),
        "done": done,
        "percent": round(100 * done / len(tasks)) if tasks else 0,
        "today": today,
        "this_month": month_start(today),
    }


def dispatch(tasks: list[Any], today: dt.date | None = None) -> dict[str, Any]:
    """Monthly dispatch (DOMAIN §9 report 5): per lead unit, with the change since last month's end."""
    today = today or timezone.localdate()
    last_month_end = month_start(today) - dt.timedelta(days=1)
    units: dict[Any, dict[str, Any]] = {}
    for t in tasks:
        ms = list(t.measures.all())
        u = units.setdefault(
            t.lead_unit_id,
            {
                "unit": t.lead_unit,
                "tasks": 0,
                "done": 0,
                "on_schedule": 0,
                "behind": 0,
                "overdue": 0,
                "done_last_month": 0,
                "laggards": [],
            },
        )
        u["tasks"] += 1
        state = schedule_state(t, ms, today)
        u[str(state)] += 1
        if t.closed_on and t.closed_on <= last_month_end:
            u["done_last_month"] += 1
        if state in (ScheduleState.BEHIND, ScheduleState.OVERDUE):
            u["laggards"].append(t)
    rows = sorted(units.values(), key=lambda r: (-(r["behind"] + r["overdue"]), str(r["unit"])))
    for r in rows:
        r["rate"] = round(100 * r["done"] / r["tasks"]) if r["tasks"] else 0
        r["change"] = r["done"] - r["done_last_month"]
    total = {k: sum(r[k] for r in rows) for k in ("tasks", "done", "on_schedule", "behind", "overdue", "change")}
    total["rate"] = round(100 * total["done"] / total["tasks"]) if total["tasks"] else 0
    return {"rows": rows, "total": total, "as_of": today, "last_month_end": last_month_end}
