"""Time-proportional expected progress (序时进度): on schedule / behind / overdue boundaries, the margin, the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.rectification.filters import TaskFilter
from inspectorate.rectification.models import LedgerSettings, ScheduleState, Task
from inspectorate.rectification.schedule import expected_percent, expected_progress, filter_schedule, schedule_state
from inspectorate.rectification.selectors import tasks_for
from inspectorate.testing.clock import future_year

FY = future_year()  # a year still to come, whatever the clock says
pytestmark = pytest.mark.django_db

START, DEADLINE = dt.date(FY, 1, 1), dt.date(FY, 1, 11)  # a ten-day span
MIDDLE = dt.date(FY, 1, 6)  # half elapsed: expected 50%


def test_expected_percent_is_the_elapsed_share():
    assert expected_percent(START, DEADLINE, dt.date(FY - 1, 12, 1)) == 0
    assert expected_percent(START, DEADLINE, START) == 0
    assert expected_percent(START, DEADLINE, MIDDLE) == 50
    assert expected_percent(START, DEADLINE, DEADLINE) == 100
    assert expected_percent(START, DEADLINE, dt.date(FY + 1, 1, 1)) == 100
    assert expected_percent(DEADLINE, DEADLINE, DEADLINE) == 100  # a one-day task is due on its day
    assert expected_percent(None, DEADLINE, MIDDLE) is None and expected_percent(START, None, MIDDLE) is None


def pace_task(rect, progress, **kw):
    return rect.task(measures=0, start_date=START, deadline=DEADLINE, progress=progress, **kw)


@pytest.mark.parametrize(
    ("progress", "today", "expected_state"),
    [
        (40, MIDDLE, ScheduleState.ON_SCHEDULE),  # exactly the margin (10 points) below: still on schedule
        (39, MIDDLE, ScheduleState.BEHIND),  # more than the margin below
        (100, MIDDLE, ScheduleState.ON_SCHEDULE),
        (0, START, ScheduleState.ON_SCHEDULE),  # nothing expected on day one
        (89, DEADLINE, ScheduleState.BEHIND),  # the deadline day itself is not overdue, but 100% is expected
        (90, DEADLINE, ScheduleState.ON_SCHEDULE),
        (100, DEADLINE + dt.timedelta(days=1), ScheduleState.OVERDUE),  # past the deadline and not closed
    ],
)
def test_schedule_boundaries(rect, progress, today, expected_state):
    t = pace_task(rect, progress)
    fetched = tasks_for(rect.w.liaison_a).get(pk=t.pk)
    assert schedule_state(fetched, today=today) == expected_state
    # The SQL filter agrees with the Python rule.
    assert list(filter_schedule(tasks_for(rect.w.liaison_a), expected_state, today).values_list("pk", flat=True)) == [t.pk]


def test_margin_is_configured_per_campaign(rect):
    t = pace_task(rect, 45)
    qs = tasks_for(rect.w.liaison_a)
    assert schedule_state(qs.get(pk=t.pk), today=MIDDLE) == ScheduleState.ON_SCHEDULE
    LedgerSettings.objects.create(campaign=rect.w.campaign, behind_margin=0)
    assert schedule_state(qs.get(pk=t.pk), today=MIDDLE) == ScheduleState.BEHIND
    assert list(filter_schedule(qs, ScheduleState.BEHIND, MIDDLE)) == [qs.get(pk=t.pk)]
    assert not filter_schedule(qs, ScheduleState.ON_SCHEDULE, MIDDLE).exists()


def test_milestones_still_count_and_long_term_tasks_have_no_pace(rect):
    late_measure = rect.task(measures=1, start_date=START, deadline=dt.date(FY + 1, 1, 1), progress=100)
    assert schedule_state(late_measure, today=dt.date(FY, 1, 5)) == ScheduleState.BEHIND  # measure 1 due 2030-01-01
    long_term = rect.task(measures=0, deadline=None, start_date=START, progress=0)
    assert expected_progress(long_term, MIDDLE) is None
    assert schedule_state(long_term, today=dt.date(FY + 5, 1, 1)) == ScheduleState.ON_SCHEDULE


def test_without_start_date_the_span_starts_when_the_task_was_entered(rect):
    t = rect.task(measures=0, deadline=dt.date(FY, 1, 11), progress=0)
    Task.objects.filter(pk=t.pk).update(created_at=dt.datetime(FY, 1, 1, 4, tzinfo=dt.UTC))
    t.refresh_from_db()
    assert expected_progress(t, MIDDLE) == 50


def test_ledger_filter_uses_the_pace_rule(rect, django_assert_max_num_queries):
    behind = [pace_task(rect, 0) for _ in range(3)]
    on = [pace_task(rect, 90) for _ in range(3)]
    f = TaskFilter({"schedule": "behind"}, queryset=tasks_for(rect.w.liaison_a))
    from unittest import mock

    with (
        mock.patch("inspectorate.rectification.schedule.timezone.localdate", return_value=MIDDLE),
        django_assert_max_num_queries(3),
    ):
        got = set(f.qs.values_list("pk", flat=True))
    assert got == {t.pk for t in behind}
    assert not got & {t.pk for t in on}


def test_task_page_and_battle_map_show_expected_and_actual(rect):
    t = rect.task(measures=1, start_date=dt.date(2020, 1, 1), deadline=dt.date(2040, 1, 1), progress=5)
    c = Client()
    c.force_login(rect.w.liaison_a)
    body = c.get(f"/rectification/tasks/{t.pk}/").content.decode()
    assert 'id="pace"' in body and "reported 5% against a time-proportional" in body
    assert '<span class="expected"' in c.get("/rectification/").content.decode()  # the ledger list too
    body = c.get("/rectification/battle-map/", {"campaign": rect.w.campaign.code}).content.decode()
    assert "Actual / expected" in body and '<span class="expected">/ ' in body


def test_deadline_run_warns_once_about_a_task_behind_pace(rect):
    from inspectorate.rectification.deadlines import run
    from inspectorate.rectification.models import TaskWarning

    behind, on = pace_task(rect, 20), pace_task(rect, 45)
    counts = run(MIDDLE)
    assert counts["yellow"] == 1
    w = TaskWarning.objects.get(ref=f"{behind.pk}:pace")
    assert w.level == "yellow" and "20% reported, 50% expected" in w.message
    assert not TaskWarning.objects.filter(ref=f"{on.pk}:pace").exists()
    assert run(MIDDLE)["yellow"] == 0


def test_api_exposes_start_date_and_expected_progress(rect):
    t = rect.task(measures=0, start_date=dt.date(2020, 1, 1), deadline=dt.date(2040, 1, 1), progress=5)
    c = Client()
    c.force_login(rect.w.liaison_a)
    data = c.get(f"/api/v1/tasks/{t.pk}/").json()
    assert data["start_date"] == "2020-01-01" and 0 < data["expected_progress"] < 100
    assert data["schedule_state"] == "behind"
