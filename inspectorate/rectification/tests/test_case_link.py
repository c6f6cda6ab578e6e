"""A problem's complaint case must come from the same campaign and from the area of the problem's responsible unit.

The demo once linked "平江县某生猪养殖场粪污直排" (Pingjiang) to a Miluo stone-cutting case: the action, the form
and the API now refuse such a link with a message in the user's language.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from inspectorate.complaints.models import Case, Channel
from inspectorate.rectification import actions
from inspectorate.rectification.models import Problem
from inspectorate.testing.factories import CampaignFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def case(campaign, number, unit, **kw):
    return Case.objects.create(
        campaign=campaign, number=number, channel=Channel.PHONE, summary=f"信访件 {number}", lead_unit=unit, region=unit,
        intake_day=campaign.stationing_start + dt.timedelta(days=3), **kw,
    )  # fmt: skip


@pytest.fixture
def miluo(world):
    return OrgUnitFactory(parent=world.city_a, unit_type="county", code="430681", name_zh="汨罗市", name_en="Miluo")


def create(w, unit, origin_case, number="9"):
    return actions.create_problem(
        actor=w.liaison_a, campaign=w.campaign, unit=unit, number=number, title="平江县某生猪养殖场粪污直排",
        source="complaint_case", origin_case=origin_case,
    )  # fmt: skip


def test_action_refuses_a_case_from_another_county_and_saves_nothing(rect, miluo):
    w = rect.w
    stone = case(w.campaign, "X2HN202103100012", miluo)
    with pytest.raises(ValidationError) as exc:
        create(w, w.county_a, stone)
    assert "outside the problem's responsible unit" in exc.value.message_dict["origin_case"][0]
    assert not Problem.objects.filter(number="9").exists()


def test_links_within_the_unit_area_are_accepted(rect, miluo):
    w = rect.w
    pig = case(w.campaign, "D2HN202103090006", w.county_a)
    assert create(w, w.county_a, pig).origin_case == pig
    # A city-level problem may link a case of any of its counties.
    stone = case(w.campaign, "X2HN202103100012", miluo)
    assert create(w, w.city_a, stone, number="10").origin_case_number == stone.number
    # A joint case led by the city counts for each co-unit; a case dispatched to the county counts for it.
    joint = case(w.campaign, "D2HN202103120003", w.city_a, is_joint=True)
    joint.co_units.set([w.county_a, miluo])
    assert create(w, w.county_a, joint, number="11").origin_case == joint
    dispatched = case(w.campaign, "D2HN202103120004", w.city_a, handler_unit=w.county_a)
    dispatched.region = None
    dispatched.save()
    assert create(w, w.county_a, dispatched, number="12").origin_case == dispatched


def test_moving_the_problem_to_another_unit_rechecks_its_case(rect, miluo):
    w = rect.w
    pig = case(w.campaign, "D2HN202103090006", w.county_a)
    p = create(w, w.county_a, pig)
    with pytest.raises(ValidationError, match="outside the problem's responsible unit"):
        actions.update_problem(p, actor=w.liaison_a, unit=miluo)
    p.refresh_from_db()
    assert p.unit == w.county_a


def test_a_case_of_another_campaign_is_refused(rect):
    w = rect.w
    other = CampaignFactory(code="hn-lookback", stationing_start=w.campaign.stationing_start, targets=[w.city_a])
    theirs = case(other, "D2HN202103090006", w.county_a)
    with pytest.raises(ValidationError, match="No case with this number"):
        create(w, w.county_a, theirs)


def test_form_and_api_refuse_a_case_outside_the_unit_in_both_languages(rect, miluo):
    w = rect.w
    stone = case(w.campaign, "X2HN202103100012", miluo)
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(w.liaison_a)
    data = {
        "campaign": w.campaign.pk, "number": "9", "title": "平江县某生猪养殖场粪污直排", "unit": w.county_a.pk,
        "source": "complaint_case", "urgency": "immediate", "nature": "specific", "case": stone.number,
    }  # fmt: skip
    r = page.post("/rectification/problems/new/", data)
    assert r.status_code == 400 and "outside the problem&#x27;s responsible unit" in r.content.decode()
    body = {
        "campaign": str(w.campaign.pk), "unit": str(w.county_a.pk), "number": "9", "title": "平江县某生猪养殖场粪污直排",
        "source": "complaint_case", "origin_case": str(stone.pk),
    }  # fmt: skip
    for lang, words in (("en", "outside the problem's responsible unit"), ("zh-hans", "不在问题责任单位")):
        api = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
        api.force_authenticate(w.liaison_a)
        r = api.post("/api/v1/problems/", body, format="json")
        assert r.status_code == 400 and words in r.json()["origin_case"][0], r.json()
    assert not Problem.objects.filter(number="9").exists()


def test_a_number_alone_is_looked_up_and_checked_like_a_link(rect, miluo):
    w = rect.w
    stone = case(w.campaign, "X2HN202103100012", miluo)
    pig = case(w.campaign, "D2HN202103090006", w.county_a)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(w.liaison_a)
    body = {"campaign": str(w.campaign.pk), "unit": str(w.county_a.pk), "number": "9", "title": "平江县某生猪养殖场粪污直排"}
    body["source"] = "complaint_case"
    r = api.post("/api/v1/problems/", {**body, "origin_case_number": stone.number}, format="json")
    assert r.status_code == 400 and "outside the problem's responsible unit" in r.json()["origin_case"][0]
    r = api.post("/api/v1/problems/", {**body, "origin_case_number": "D2HN202103110031"}, format="json")
    assert r.status_code == 400 and "No case with this number" in r.json()["origin_case_number"][0]
    r = api.post("/api/v1/problems/", {**body, "origin_case_number": pig.number}, format="json")
    assert r.status_code == 201 and r.json()["origin_case"] == str(pig.pk)
