"""The accountability demo: Guangxi and Yueyang each get an interview with its 30-day report and published
accountability records; loading twice gives the same data; the portal shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.accountability.models import AccountabilityIssue, AccountabilityRecord, Interview
from inspectorate.accountability.summary import held_accountable, interviewed
from inspectorate.campaigns.models import Campaign
from inspectorate.demo import accountability as demo
from inspectorate.demo import foundation
from inspectorate.demo.registry import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_interviews_and_records():
    ctx = DemoContext()
    foundation.load(ctx)
    demo.load(ctx)
    counts = (Interview.objects.count(), AccountabilityIssue.objects.count(), AccountabilityRecord.objects.count())
    demo.load(ctx)
    assert (Interview.objects.count(), AccountabilityIssue.objects.count(), AccountabilityRecord.objects.count()) == counts
    for code in ("c2-4-chinalco", "hn-2-yueyang"):
        i = Interview.objects.get(campaign__code=code)
        assert i.report_due == i.interview_date + dt.timedelta(days=30)
        assert i.report_received_on <= i.report_due and i.status == "verified" and i.published
        issue = AccountabilityIssue.objects.get(campaign__code=code)
        assert issue.status == "published"
    chalco = Campaign.objects.filter(code="c2-4-chinalco")
    assert held_accountable(chalco, dt.date(2021, 6, 10)) == 4  # 5 records, 张某 twice
    assert held_accountable(chalco, dt.date(2021, 6, 9)) is None  # not yet published: the replies' figure
    assert interviewed(chalco, dt.date(2020, 9, 30)) == 2
    page = Client().get("/public/campaigns/hn-2-yueyang/").content.decode()
    assert "约谈平江县人民政府" in page and "郑某" in page and "建议对平江县" not in page
