"""Ledger deadline warnings and reminders: levels, idempotence, e-mail to the responsible people."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from inspectorate.rectification import actions
from inspectorate.rectification.deadlines import run
from inspectorate.rectification.models import TaskWarning
from inspectorate.testing.clock import future_year

FY = future_year()  # a year still to come, whatever the clock says
pytestmark = pytest.mark.django_db
TODAY = dt.date(FY, 1, 10)


def test_levels_idempotence_and_reminders(rect):
    w = rect.w
    w.handler_a.email = "handler@example.org"
    w.handler_a.save()
    # Spans start today, so the time-proportional pace expects nothing yet (test_pace covers the pace warning).
    behind = rect.task(start_date=TODAY)  # milestones 2030-01-01, 2030-01-02 not done → yellow ×2
    overdue = rect.task(deadline=dt.date(FY, 1, 5), measures=0)  # → red
    soon = rect.task(deadline=dt.date(FY, 1, 15), measures=0, start_date=dt.date(FY, 1, 11))  # → blue
    fine = rect.task(deadline=dt.date(FY, 6, 30), measures=0, start_date=TODAY)  # nothing
    long_term = rect.task(deadline=None, measures=0)  # nothing
    plan = actions.create_plan(actor=w.liaison_a, campaign=w.campaign, target=w.city_a, title="方案")  # due 2021-03-18: red
    counts = run(TODAY)
    # Five open tasks without a progress report since 2026 add five red "report" warnings (one e-mail each).
    assert counts == {"red": 2 + 5, "yellow": 2, "blue": 1, "reminders": 4 + 5}  # the city's plan has no e-mail recipient
    assert TaskWarning.objects.filter(subject="report").count() == 5
    levels = {(x.task_id, x.plan_id, x.level) for x in TaskWarning.objects.exclude(subject="report")}
    assert (overdue.pk, None, "red") in levels and (soon.pk, None, "blue") in levels and (None, plan.pk, "red") in levels
    assert {x.level for x in TaskWarning.objects.filter(task=behind).exclude(subject="report")} == {"yellow"}
    assert not TaskWarning.objects.filter(task__in=[fine, long_term]).exclude(subject="report").exists()
    assert len(mail.outbox) == 9 and mail.outbox[0].to == ["handler@example.org"]
    assert run(TODAY) == {"red": 0, "yellow": 0, "blue": 0, "reminders": 0}
    assert len(mail.outbox) == 9
    # A done measure raises nothing new; closing the task ends its warnings.
    out = io.StringIO()
    call_command("rectification_deadlines", "--today", f"{FY}-01-11", stdout=out)
    assert "red 0, yellow 0, blue 0" in out.getvalue()


def test_warnings_show_on_task_page(rect, client):
    t = rect.task(deadline=dt.date(FY, 1, 5), measures=0)
    run(TODAY)
    client.force_login(rect.w.liaison_a)
    assert "is overdue" in client.get(f"/rectification/tasks/{t.pk}/").content.decode()


@pytest.mark.parametrize(
    ("frequency", "last", "due"),
    [
        ("monthly", dt.date(2030, 1, 10), dt.date(2030, 2, 28)),  # a pure function of its dates: fixed dates are fine
        ("weekly", dt.date(2030, 1, 10), dt.date(2030, 1, 17)),
        ("daily", dt.date(2030, 1, 10), dt.date(2030, 1, 11)),
    ],
)
def test_report_due_dates(frequency, last, due):
    from inspectorate.rectification.deadlines import next_report_due

    assert next_report_due(last, frequency) == due


def test_report_warnings_follow_the_campaign_frequency(rect):
    from inspectorate.rectification.models import LedgerSettings

    t = rect.task(deadline=dt.date(FY + 1, 1, 1), measures=0, start_date=dt.date(FY, 1, 1))  # on pace
    actions.record_progress(t, actor=rect.w.handler_a, percent=10, period=dt.date(FY, 1, 8))
    assert run(TODAY) == {"red": 0, "yellow": 0, "blue": 0, "reminders": 0}  # monthly: next report due 28 Feb
    LedgerSettings.objects.create(campaign=rect.w.campaign, report_frequency="weekly")
    assert run(dt.date(FY, 1, 16))["red"] == 1  # weekly: due 15 Jan, not in
    w = TaskWarning.objects.get(subject="report")
    assert w.due_date == dt.date(FY, 1, 15) and "has not come in" in w.message
