"""The demo contradicts itself nowhere: `check_data` finds nothing, and the items issue 8 named are fixed.

Loading the demo takes several seconds, so one test loads it and checks everything, then plants the original
mistakes again and sees `check_data` list them.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.bulletin import bulletin, inconsistencies, summary_line
from inspectorate.complaints.models import Case, HandlingResult
from inspectorate.rectification.models import Problem, Task

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_demo_has_no_contradictions_and_check_data_finds_planted_ones(settings):
    settings.LANGUAGE_CODE = "en"
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_data", stdout=out)
    assert out.getvalue() == "No contradictions found.\n"

    # Every complaint-sourced ledger item links the case it came from, in its own county and campaign.
    yueyang = Campaign.objects.get(code="hn-2-yueyang")
    sourced = Problem.objects.filter(campaign=yueyang, source="complaint_case").select_related("origin_case__region", "unit")
    assert sourced.count() == 8
    for p in sourced:
        assert p.origin_case is not None and p.origin_case.campaign_id == yueyang.pk, p
        assert p.origin_case.region == p.unit and p.origin_case_number == p.origin_case.number, p
        assert p.origin_case.verdict == "true" and p.is_violation
    pig = sourced.get(title="平江县某生猪养殖场粪污直排")
    assert "生猪养殖场" in pig.origin_case.summary and pig.unit.code == "430626"

    # No reply finds a complaint untrue and still lists orders, penalties, criminal cases or detentions.
    untrue = HandlingResult.objects.filter(verdict="untrue")
    assert untrue.exists()
    assert not untrue.filter(criminal_cases__gt=0).exists() and not untrue.filter(detained_administrative__gt=0).exists()
    assert not untrue.filter(ordered_to_rectify__gt=0).exists() and not untrue.filter(penalties__isnull=False).exists()
    assert HandlingResult.objects.filter(criminal_cases__gt=0, verdict="true").exists()

    # The bulletin sentence: the done figure is the whole, its parts are in brackets.
    as_of = yueyang.stationing_end or yueyang.stationing_start
    fig = bulletin([yueyang], as_of)
    assert inconsistencies(fig) == []
    with translation.override("zh-hans"):
        line = summary_line(fig, as_of)
    m = re.search(r"转办(\d+)件；已办结或阶段性办结(\d+)件（其中办结(\d+)件、阶段性办结(\d+)件）", line)
    assert m is not None, line
    transferred, done, closed, staged = map(int, m.groups())
    assert done == closed + staged <= transferred and staged > 0

    # The sign-off now under way is applied, verified and signed by three different people.
    notice = Task.objects.get(campaign=yueyang, number="6.1")
    people = {notice.applied_by_id, notice.verified_by_id, notice.signed_by_id}
    assert None not in people and len(people) == 3

    # Plant the mistakes the issue found: the Pingjiang pig farm linked to a Miluo case; an untrue reply with a
    # criminal case and a detention.
    stone = Case.objects.get(campaign=yueyang, origin__text__contains="白水镇一家石材加工厂", region__code="430681")
    Problem.objects.filter(pk=pig.pk).update(origin_case=stone, origin_case_number=stone.number)
    wrong = untrue.filter(review="accepted").first()
    HandlingResult.objects.filter(pk=wrong.pk).update(criminal_cases=1, detained_administrative=1)
    out = io.StringIO()
    with pytest.raises(CommandError, match="contradictions found"):
        call_command("check_data", "--campaign", "hn-2-yueyang", stdout=out)
    text = out.getvalue()
    assert f"problem {pig.number}: Case {stone.number} concerns" in text
    assert f"case {wrong.case.number} reply v{wrong.version}: an “untrue” verdict with criminal_cases" in text
