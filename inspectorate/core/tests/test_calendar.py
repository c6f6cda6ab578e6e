"""The working-day calendar: known cases, overrides, the estimated fallback, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspectorate.core import calendar
from inspectorate.core.models import CalendarOverride

D = dt.date
NO_OVERRIDES: dict[dt.date, bool] = {}


def test_national_day_week_is_off():
    # 2024: 1–7 October off, Sunday 29 Sep and Saturday 12 Oct are adjusted workdays.
    for day in range(1, 8):
        assert not calendar.is_working_day(D(2024, 10, day), NO_OVERRIDES)
    assert calendar.is_working_day(D(2024, 9, 29), NO_OVERRIDES)  # a Sunday that is a workday
    assert calendar.is_working_day(D(2024, 10, 12), NO_OVERRIDES)  # an adjusted Saturday workday


def test_add_working_days_across_national_day():
    # Friday 27 Sep 2024 + 1 working day = Sunday 29 Sep (adjusted workday); + 2 = Monday 30 Sep;
    # + 3 = Tuesday 8 Oct, after the National Day week.
    assert calendar.add_working_days(D(2024, 9, 27), 1, NO_OVERRIDES) == D(2024, 9, 29)
    assert calendar.add_working_days(D(2024, 9, 27), 2, NO_OVERRIDES) == D(2024, 9, 30)
    assert calendar.add_working_days(D(2024, 9, 27), 3, NO_OVERRIDES) == D(2024, 10, 8)
    assert not calendar.add_working_days(D(2024, 9, 27), 3, NO_OVERRIDES).estimated


def test_spring_festival_2021_plan_deadline():
    # Chinalco feedback 1 Feb 2021: 30 working days later, with the Spring Festival break (11–17 Feb)
    # skipped and the adjusted workdays (Sunday 7 and Saturday 20 Feb) counted, is 18 March 2021.
    due = calendar.add_working_days(D(2021, 2, 1), 30, NO_OVERRIDES)
    assert due == D(2021, 3, 18)
    # A plain Monday–Friday count would say 15 March: the calendar matters.
    assert due != D(2021, 3, 15)


def test_zero_days_rolls_forward_to_a_working_day():
    assert calendar.add_working_days(D(2024, 10, 1), 0, NO_OVERRIDES) == D(2024, 10, 8)
    assert calendar.add_working_days(D(2024, 10, 8), 0, NO_OVERRIDES) == D(2024, 10, 8)


def test_years_without_data_fall_back_to_weekdays_and_are_estimated():
    lo, hi = calendar.library_years()
    year = hi + 1
    monday = D(year, 1, 4) if D(year, 1, 4).weekday() == 0 else D(year, 1, 4) - dt.timedelta(days=D(year, 1, 4).weekday())
    result = calendar.add_working_days(monday, 5, NO_OVERRIDES)
    assert result.estimated
    assert result == monday + dt.timedelta(days=7)
    assert calendar.is_estimated(monday, NO_OVERRIDES)
    assert not calendar.is_estimated(D(lo, 6, 1), NO_OVERRIDES)


@pytest.mark.django_db
def test_override_table_wins_and_unmarks_estimated():
    _, hi = calendar.library_years()
    day = D(hi + 1, 10, 1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    assert calendar.is_working_day(day)
    CalendarOverride.objects.create(date=day, is_workday=False, label="National Day")
    assert not calendar.is_working_day(day)
    assert not calendar.is_estimated(day)
    # An override can also make a library day a working day.
    CalendarOverride.objects.create(date=D(2024, 10, 3), is_workday=True, label="test")
    assert calendar.is_working_day(D(2024, 10, 3))


dates = st.dates(min_value=D(2005, 1, 1), max_value=D(2029, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_add_then_count_round_trips(start, n):
    end = calendar.add_working_days(start, n, NO_OVERRIDES)
    assert end > start
    assert calendar.is_working_day(end, NO_OVERRIDES)
    assert calendar.working_days_between(start, end, NO_OVERRIDES) == n


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=40), m=st.integers(min_value=0, max_value=40))
def test_monotonic_and_additive(start, n, m):
    a = calendar.add_working_days(start, n, NO_OVERRIDES)
    b = calendar.add_working_days(start, n + m, NO_OVERRIDES)
    assert a <= b
    if n > 0:
        assert calendar.add_working_days(a, m, NO_OVERRIDES) == b


@settings(max_examples=100, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40))
def test_negative_steps_go_back(start, n):
    back = calendar.add_working_days(start, -n, NO_OVERRIDES)
    assert back < start
    assert calendar.working_days_between(back, start, NO_OVERRIDES) in (n, n - 1) or calendar.is_working_day(start, NO_OVERRIDES)
    assert calendar.working_days_between(start, back, NO_OVERRIDES) == -calendar.working_days_between(back, start, NO_OVERRIDES)
