"""The test clock: every date a test uses is relative to "today", never a calendar literal.

The cast's campaign is stationed for 25 days starting on the Monday on or before the day nine
days ago, so "now" always falls inside the stay (between its 10th and 16th day), whatever the
wall clock says.  Tests name days by their offset from that start: `stay_day(0)` is the first
day (a Monday), `stay_day(1)` the Tuesday after, and so on; `stay_at(1, 9)` is 09:00 that day in
Asia/Shanghai.

The whole session can be moved in time: with `INSPECTORATE_CLOCK_SHIFT_DAYS=N` the root
conftest starts a time-machine travel N days ahead (ticking) before any test runs, so
`timezone.now()`, `date.today()` and everything computed from them — including this module's
stay — move together.  CI runs the suite that way 400 days and three years ahead, beyond the
holiday data of chinese-calendar.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
STAY_DAYS = 25
SHIFT_ENV = "INSPECTORATE_CLOCK_SHIFT_DAYS"


def shift_days() -> int:
    """How many days the session's clock is moved ahead (0 = the wall clock)."""
    raw = os.environ.get(SHIFT_ENV, "").strip()
    return int(raw) if raw else 0


def today() -> dt.date:
    """Today in Asia/Shanghai, on the (possibly moved) test clock."""
    return dt.datetime.now(SH).date()


@functools.cache
def stay_start() -> dt.date:
    """The first day of the cast campaign's stay: a Monday, 9 to 15 days before today.

    Computed once per process so that a run crossing midnight keeps one stay.
    """
    anchor = today() - dt.timedelta(days=9)
    return anchor - dt.timedelta(days=anchor.weekday())


def stay_end() -> dt.date:
    return stay_start() + dt.timedelta(days=STAY_DAYS - 1)


def stay_day(n: int) -> dt.date:
    """Day `n` of the stay (0 = the first day)."""
    return stay_start() + dt.timedelta(days=n)


def stay_at(n: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment on day `n` of the stay, Asia/Shanghai."""
    return dt.datetime.combine(stay_day(n), dt.time(hour, minute), tzinfo=SH)


@functools.cache
def future_year() -> int:
    """A year comfortably ahead of today (four years on): for deadlines and milestones still to come."""
    return today().year + 4


def ymd(day: dt.date) -> str:
    """`YYYYMMDD`, as in case numbers."""
    return day.strftime("%Y%m%d")
