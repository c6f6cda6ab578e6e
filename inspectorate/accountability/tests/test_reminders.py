"""Reminder e-mails (issue 10): interview reports and information-request items due soon or overdue, to the
responsible contacts, once per recipient and day, bilingual unless the recipient's language is known."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from inspectorate.accountability import actions
from inspectorate.accountability.models import ReminderMail
from inspectorate.accountability.reminders import compose, interview_reminders, item_reminders, language_of
from inspectorate.audit.models import AuditEvent
from inspectorate.core import scheduler
from inspectorate.core.models import SchedulerRun
from inspectorate.fieldwork import actions as fw
from inspectorate.fieldwork.models import InfoRequest, InfoRequestItem
from inspectorate.testing.clock import today
from inspectorate.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(acc):
    acc.w.liaison_a.email = "liaison@yueyang.gov.cn"
    acc.w.liaison_a.save()
    acc.w.handler_a.email = "handler@pingjiang.gov.cn"
    acc.w.handler_a.save()
    return acc


def interview(acc, *, days_ago: int, title="平江县约谈", held=True, **kw):
    i = actions.create_interview(
        actor=acc.w.inspector,
        campaign=acc.w.campaign,
        title=title,
        reason="lagging_rectification",
        interview_date=today() - dt.timedelta(days=days_ago),
        units=[acc.w.county_a],
        requirements="30日内报送整改情况",
        **kw,
    )
    if held:
        actions.record_minutes(i, actor=acc.w.inspector, minutes="已约谈")
    return i


def test_interview_report_due_soon_and_overdue(mailed, mailoutbox):
    acc = mailed
    soon = interview(acc, days_ago=27, title="报告三日后到期")  # due in 3 days
    late = interview(acc, days_ago=35, title="报告已逾期")  # due 5 days ago
    interview(acc, days_ago=2, title="报告尚早")  # due in 28 days
    interview(acc, days_ago=40, title="未举行", held=False)  # scheduled: still owes the report
    counts = interview_reminders(today())
    assert counts == {"soon": 1, "overdue": 2, "mails": 3}
    assert all(m.to == ["liaison@yueyang.gov.cn"] for m in mailoutbox)  # the county has none: the city's office
    by_title = {m.subject: m for m in mailoutbox}
    subject = next(s for s in by_title if "报告三日后到期" in s)
    # Language unknown: Chinese first, English below.
    assert "Reminder: the interview report" in subject and subject.index("报告") < subject.index("Reminder")
    body = by_title[subject].body
    assert "English" in body and body.index("30日内报送整改情况") < body.index("File the report on the platform")
    assert f"/accountability/interviews/{soon.pk}/" in body
    assert any("Overdue" in s and "报告已逾期" in s for s in by_title)
    assert ReminderMail.objects.filter(ref=late.pk, level="overdue", day=today()).count() == 1
    assert AuditEvent.objects.filter(verb="interview.reminder", object_id=str(soon.pk)).count() == 1
    # A second run the same day sends nothing; the next day reminds again.
    assert interview_reminders(today())["mails"] == 0 and len(mailoutbox) == 3
    assert interview_reminders(today() + dt.timedelta(days=1))["mails"] == 3 and len(mailoutbox) == 6


def test_no_reminder_once_the_report_is_in(mailed, mailoutbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    acc = mailed
    i = interview(acc, days_ago=35)
    actions.submit_report(i, actor=acc.w.liaison_a, file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x"))
    assert interview_reminders(today())["mails"] == 0 and mailoutbox == []


def test_recipient_language_when_known():
    assert language_of(SimpleNamespace(language="en")) == "en"
    assert language_of(SimpleNamespace(language="zh-Hans")) == "zh-hans"
    assert language_of(SimpleNamespace()) == ""
    from django.utils.translation import gettext as _

    subject, body = compose(
        "en", lambda: _("Reminder: the interview report for “%(t)s” is due %(d)s") % {"t": "x", "d": "d"}, lambda: "b"
    )
    assert subject.startswith("Reminder") and "/" not in subject and body == "b"
    subject, _body = compose(
        "zh-hans", lambda: _("Reminder: the interview report for “%(t)s” is due %(d)s") % {"t": "x", "d": "d"}, lambda: "b"
    )
    assert "Reminder" not in subject and "约谈" in subject


def _request(acc, due_at):
    req = fw.create_request(
        actor=acc.w.inspector,
        campaign=acc.w.campaign,
        target_unit=acc.w.city_a,
        title="调阅黑臭水体整治资料",
        legal_basis="《中央生态环境保护督察工作规定》",
        due_at=timezone.now() + dt.timedelta(days=3),
        contact_name="张组员",
        contact_phone="0730-1234567",
        items=["整治方案", "验收材料"],
    )
    InfoRequest.objects.filter(pk=req.pk).update(issued_at=due_at - dt.timedelta(days=3), due_at=due_at)
    req.refresh_from_db()
    return req


def test_information_request_items_due_soon_or_overdue(mailed, mailoutbox):
    acc = mailed
    now = timezone.now()
    soon = _request(acc, now + dt.timedelta(hours=5))
    late = _request(acc, now - dt.timedelta(hours=30))
    _request(acc, now + dt.timedelta(days=3))  # not yet
    first, second = late.items.order_by("seq")
    fw.assign_item(first, actor=acc.w.liaison_a, department=acc.w.county_a)
    InfoRequestItem.objects.filter(pk=second.pk).update(status="complete")  # delivered and accepted: no reminder
    counts = item_reminders(today(), now)
    assert counts == {"soon": 2, "overdue": 1, "mails": 4}
    to = sorted(tuple(m.to) for m in mailoutbox)
    assert to.count(("liaison@yueyang.gov.cn",)) == 3 and to.count(("handler@pingjiang.gov.cn",)) == 1
    overdue = next(m for m in mailoutbox if m.to == ["handler@pingjiang.gov.cn"])
    assert "Overdue" in overdue.subject and "整治方案" in overdue.body and f"/fieldwork/requests/{late.pk}/" in overdue.body
    assert ReminderMail.objects.filter(ref=soon.items.first().pk).count() == 1
    assert AuditEvent.objects.filter(verb="info_request_item.reminder").count() == 3
    assert item_reminders(today(), now)["mails"] == 0 and len(mailoutbox) == 4


def test_scheduler_runs_the_reminders_once_a_day(mailed, mailoutbox):
    acc = mailed
    other = UserFactory(username="liaison_county", email="county@pingjiang.gov.cn")
    MembershipFactory(user=other, role="liaison", org_unit=acc.w.county_a)
    interview(acc, days_ago=35)
    noon = timezone.make_aware(dt.datetime.combine(today(), dt.time(12, 0)))
    with time_machine.travel(noon, tick=False):
        scheduler.run_due(only=["interview_reminders", "info_request_reminders"])
        scheduler.run_due(only=["interview_reminders", "info_request_reminders"])
    assert [m.to for m in mailoutbox] == [["county@pingjiang.gov.cn"]]  # the county's own office, once
    run = SchedulerRun.objects.get(job="interview_reminders")
    assert run.summary == {"soon": 0, "overdue": 1, "mails": 1}
