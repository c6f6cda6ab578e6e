"""Chinese working days: holidays and adjusted workdays (调休).

Sources, strongest first:
 1. `CalendarOverride` rows entered by administrators;
 2. chinese-calendar, for the years it ships data for;
 3. Monday–Friday, for anything else: such results are *estimated* and the UI says so.

`add_working_days` and friends return `WorkingDate`, a `date` that also carries
`.estimated` (True when any day it counted over came from rule 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


class WorkingDate(dt.date):
    """A date with a flag saying whether the weekend fallback was needed to compute it."""

    estimated: bool = False

    def __new__(cls, *args: object, estimated: bool = False) -> WorkingDate:
        # WorkingDate(a_date, estimated) or, as date arithmetic calls it, WorkingDate(year, month, day).
        if len(args) in (1, 2) and isinstance(args[0], dt.date):
            d = args[0]
            obj = super().__new__(cls, d.year, d.month, d.day)
            obj.estimated = bool(args[1]) if len(args) == 2 else estimated
            return obj
        obj = super().__new__(cls, *args)  # type: ignore[arg-type]
        obj.estimated = estimated
        return obj

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (WorkingDate, (dt.date(self.year, self.month, self.day), self.estimated))


def _library_status(d: dt.date) -> bool | None:
    """True/False from chinese-calendar, or None where it has no data for that year."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


def load_overrides(start: dt.date | None = None, end: dt.date | None = None) -> dict[dt.date, bool]:
    from .models import CalendarOverride

    qs = CalendarOverride.objects.all()
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return dict(qs.values_list("date", "is_workday"))


def day_status(d: dt.date, overrides: Mapping[dt.date, bool]) -> tuple[bool, bool]:
    """(is working day, estimated) for one date."""
    if d in overrides:
        return overrides[d], False
    lib = _library_status(d)
    if lib is not None:
        return lib, False
    return d.weekday() < 5, True


def is_working_day(d: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = load_overrides(d, d)
    return day_status(d, overrides)[0]


def is_estimated(d: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = load_overrides(d, d)
    return day_status(d, overrides)[1]


def _span_overrides(start: dt.date, n: int) -> dict[dt.date, bool]:
    # Working days never span more than ~3× their count in calendar days (the longest break is 8–9 days).
    pad = dt.timedelta(days=abs(n) * 3 + 30)
    return load_overrides(start - pad, start + pad)


def add_working_days(start: dt.date, n: int, overrides: Mapping[dt.date, bool] | None = None) -> WorkingDate:
    """The date `n` working days after `start` (before it, for negative n); `start` itself is not counted.

    n = 0 returns `start` if it is a working day, else the next working day.
    """
    if overrides is None:
        overrides = _span_overrides(start, n)
    estimated = False
    d = start
    if n == 0:
        while True:
            ok, est = day_status(d, overrides)
            estimated |= est
            if ok:
                return WorkingDate(d, estimated)
            d += ONE_DAY
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        d += step
        ok, est = day_status(d, overrides)
        estimated |= est
        if ok:
            remaining -= 1
    return WorkingDate(d, estimated)


def working_days_between(a: dt.date, b: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> int:
    """Working days in (a, b]: so that add_working_days(a, working_days_between(a, b)) <= b.

    Negative when b is before a.
    """
    if b < a:
        return -working_days_between(b, a, overrides)
    if overrides is None:
        overrides = load_overrides(a, b)
    count = 0
    d = a + ONE_DAY
    while d <= b:
        if day_status(d, overrides)[0]:
            count += 1
        d += ONE_DAY
    return count


def is_estimated_range(a: dt.date, b: dt.date | None) -> bool:
    """Whether any day from a to b relies on the weekend fallback."""
    if b is None:
        return False
    lo, hi = min(a, b), max(a, b)
    overrides = load_overrides(lo, hi)
    d = lo
    while d <= hi:
        if day_status(d, overrides)[1]:
            return True
        d += ONE_DAY
    return False


def library_years() -> tuple[int, int]:
    """The first and last year chinese-calendar has data for."""
    from chinese_calendar.constants import holidays, workdays

    years = [d.year for d in holidays] + [d.year for d in workdays]
    return min(years), max(years)
