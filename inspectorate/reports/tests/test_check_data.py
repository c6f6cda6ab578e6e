"""`manage.py check_data` lists each planted contradiction, and is silent (exit 0) on consistent data.

The demo itself is checked in demo/tests/test_demo_consistency.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from inspectorate.complaints.models import Case, Channel, DisclosureTable, HandlingResult, PenaltyDecision, TransferBatch
from inspectorate.rectification.models import Leader, Problem, SignOffStep, Task, TaskStatus
from inspectorate.reports import consistency
from inspectorate.testing.factories import CampaignFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def check(*args: str) -> tuple[bool, str]:
    """(clean, output) of check_data with these arguments."""
    out = io.StringIO()
    try:
        call_command("check_data", *args, stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


def case(world, number, unit, **kw):
    return Case.objects.create(
        campaign=kw.pop("campaign", world.campaign), number=number, channel=Channel.PHONE, summary=f"信访件 {number}",
        lead_unit=world.city_a, region=unit, intake_day=world.campaign.stationing_start + dt.timedelta(days=2), **kw,
    )  # fmt: skip


def problem(world, number, **kw):
    fields = {"campaign": world.campaign, "unit": world.county_a, "title": "平江县某生猪养殖场粪污直排"}
    fields.update(kw)
    return Problem.objects.create(number=number, source=fields.pop("source", "complaint_case"), **fields)


@pytest.fixture(autouse=True)
def _english(settings):
    """Commands speak the site language (zh-hans); most assertions here read the English source messages."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def miluo(world):
    return OrgUnitFactory(parent=world.city_a, unit_type="county", code="430681", name_zh="汨罗市", name_en="Miluo")


def test_consistent_data_passes_quietly(world):
    pig = case(world, "D2HN202103090006", world.county_a, verdict="true")
    problem(world, "6", origin_case=pig, origin_case_number=pig.number, is_violation=True)
    problem(world, "1", source="central_feedback")
    assert check() == (True, "No contradictions found.\n")
    assert check("--quiet") == (True, "")
    assert check("--json") == (True, "[]\n")


def test_problem_case_links_that_do_not_hold_are_listed(world, miluo):
    stone = case(world, "X2HN202103100012", miluo)
    other_campaign = CampaignFactory(code="hn-lookback", stationing_start=world.campaign.stationing_start)
    elsewhere = case(world, "D2HN202103090006", world.county_a, campaign=other_campaign)
    untrue = case(world, "D2HN202103090007", world.county_a, verdict="untrue")
    problem(world, "6", origin_case=stone, origin_case_number=stone.number)  # Pingjiang problem, Miluo case
    problem(world, "7", origin_case=elsewhere, origin_case_number=elsewhere.number)
    problem(world, "8", origin_case_number="D2HN202103110031")  # a number that does not exist
    problem(world, "9")  # complaint-sourced, no case at all
    problem(world, "10", origin_case=untrue, origin_case_number=untrue.number, is_violation=True)
    clean, out = check("--campaign", world.campaign.code)
    assert not clean and "5 contradictions found." in out
    lines = out.splitlines()
    assert any("problem 6" in x and "outside the problem's responsible unit" in x and "X2HN202103100012" in x for x in lines)
    assert any("problem 7" in x and "another campaign" in x for x in lines)
    assert any("problem 8" in x and "D2HN202103110031 matches no case" in x for x in lines)
    assert any("problem 9" in x and "links none" in x for x in lines)
    assert any("problem 10" in x and "found untrue" in x for x in lines)


def test_findings_are_written_in_the_site_language(world, miluo, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    stone = case(world, "X2HN202103100012", miluo)
    problem(world, "6", origin_case=stone, origin_case_number=stone.number)
    clean, out = check()
    assert not clean and "问题6" in out and "不在问题责任单位" in out and "发现1处矛盾" in out


def test_untrue_replies_with_sanctions_and_no_explanation_are_listed(world):
    c = case(world, "D2HN202103100010", world.county_a)
    r = HandlingResult.objects.create(
        case=c, version=1, summary="不属实", verdict="untrue", status="closed", criminal_cases=1, detained_administrative=1
    )
    explained = case(world, "D2HN202103100011", world.county_a)
    HandlingResult.objects.create(
        case=explained, version=1, summary="不属实", verdict="untrue", status="closed", ordered_to_rectify=1,
        explanation="另查实未批先建，已责令整改", verdict_conflict=True,
    )  # fmt: skip
    fined = case(world, "D2HN202103100012", world.county_a)
    f = HandlingResult.objects.create(case=fined, version=1, summary="不属实", verdict="untrue", status="closed")
    PenaltyDecision.objects.create(result=f, enterprise_name="某公司", amount=Decimal("5000"))
    clean, out = check("--json", "--kind", "verdict")
    assert not clean
    found = json.loads(out[: out.rindex("]") + 1])
    refs = [(x["ref"], x["message"]) for x in found]
    assert (
        "case D2HN202103100010 reply v1",
        "an “untrue” verdict with criminal_cases, detained_administrative and no explanation.",
    ) in refs
    assert any(ref == "case D2HN202103100012 reply v1" and "penalties" in msg for ref, msg in refs)
    assert not any("D2HN202103100011" in ref for ref, _m in refs)
    assert {x["kind"] for x in found} == {"verdict"}
    HandlingResult.objects.filter(pk=r.pk).update(explanation="另查实非法转移危废，已移送公安", verdict_conflict=True)
    HandlingResult.objects.filter(pk=f.pk).update(explanation="罚款针对核查中发现的其他违法行为", verdict_conflict=True)
    assert check("--kind", "verdict")[0]


def test_published_rows_that_contradict_themselves_are_listed(world):
    batch = TransferBatch.objects.create(campaign=world.campaign, number=2, intake_day=world.campaign.stationing_start)
    row = {"number": "F2HN202103090007", "verdict": "untrue", "accountability": "立案侦查1件；拘留1人", "status": "closed"}
    fine = {"number": "F2HN202103090008", "verdict": "untrue", "accountability": "约谈1人", "status": "closed"}
    noted = {**row, "number": "F2HN202103090009", "verdict_note": "另查实其他违法行为"}
    DisclosureTable.objects.create(batch=batch, status="published", rows=[row, fine, noted], published_at=timezone.now())
    clean, out = check("--kind", "published_row")
    assert not clean and "1 contradictions found." in out
    assert "batch 2 table v1, case F2HN202103090007" in out and "立案侦查1件；拘留1人" in out


def test_bulletin_parts_larger_than_the_whole_are_listed(world, monkeypatch):
    case(world, "D2HN202103090001", world.county_a, status="published", transferred_at=timezone.now())

    def broken(campaigns, as_of, **kw):
        return {"received": 10, "valid": 12, "transferred": 34, "closed": 34, "staged_closed": 43, "open": 0}

    monkeypatch.setattr(consistency, "bulletin", broken)
    clean, out = check("--kind", "bulletin")
    assert not clean
    assert "valid 12 > received 10" in out and "closed 34 + staged_closed 43 + open 0 = 77 ≠ transferred 34" in out
    monkeypatch.undo()
    assert check("--kind", "bulletin")[0]


def test_tasks_filed_without_their_sign_off_steps_are_listed(world):
    leader = Leader.objects.create(name="平江县副县长", unit=world.county_a)
    p = problem(world, "1", source="provincial_feedback")
    day = world.campaign.stationing_start + dt.timedelta(days=90)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    person = UserFactory(username="one_person")

    def task(number, **kw):
        fields = {
            "campaign": world.campaign, "problem": p, "number": number, "goal": "整改", "lead_leader": leader,
            "lead_unit": world.county_a, "acceptance_unit": world.city_a, "long_term": True,
        }  # fmt: skip
        fields.update(kw)
        return Task.objects.create(**fields)

    filed = {
        "status": TaskStatus.CLOSED, "signoff_step": SignOffStep.FILED, "applied_at": at,
        "verified_at": at + dt.timedelta(days=1), "verification_conclusion": "合格", "signed_at": at + dt.timedelta(days=2),
        "notice_start": day + dt.timedelta(days=3), "notice_end": day + dt.timedelta(days=9),
        "closed_on": day + dt.timedelta(days=10),
    }  # fmt: skip
    task("1.1", **filed)  # complete and in order: not listed
    task("1.2", **{**filed, "verified_at": None, "verification_conclusion": ""})
    task("1.3", status=TaskStatus.CLOSED, closed_on=day)
    task("1.4", **{**filed, "signed_at": at - dt.timedelta(days=3)})
    task("1.5", **{**filed, "closed_on": day + dt.timedelta(days=9)})
    task("1.6", **{**filed, "applied_by": person, "verified_by": person, "signed_by": UserFactory(username="signer")})
    clean, out = check("--kind", "signoff")
    assert not clean
    lines = out.splitlines()
    assert not any("task 1.1:" in x for x in lines)
    assert any("task 1.2:" in x and "verified_at, verification_conclusion" in x for x in lines)
    assert any("task 1.3:" in x and "closed without being filed" in x for x in lines)
    assert any("task 1.4:" in x and "verified_at" in x and "comes after signed_at" in x for x in lines)
    assert any("task 1.5:" in x and "before the notice ended" in x for x in lines)
    assert any("task 1.6:" in x and "applied_by and verified_by are the same person" in x for x in lines)


def test_options(world):
    with pytest.raises(CommandError, match="Unknown campaign: nope"):
        call_command("check_data", "--campaign", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("check_data", "--as-of", "yesterday", stdout=io.StringIO())
    assert check("--as-of", timezone.localdate().isoformat(), "--campaign", world.campaign.code)[0]
