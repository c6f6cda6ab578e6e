"""Campaigns: defaults, stages, validation in both languages, scoped API and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.campaigns.models import Campaign, Stage
from inspectorate.core import calendar
from inspectorate.testing.clock import stay_day
from inspectorate.testing.factories import CampaignFactory
from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db


def api(user, lang: str = "en") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


@pytest.mark.parametrize(
    ("level", "ctype", "days", "reply"),
    [
        ("central", "routine", 30, 10),
        ("provincial", "routine", 25, 7),
        ("group", "routine", 20, 7),
        ("central", "special", 14, 10),
    ],
)
def test_defaults_follow_the_domain(world, level, ctype, days, reply):
    c = CampaignFactory(
        level=level, campaign_type=ctype, inspecting_unit=world.inspect_office, stationing_start=dt.date(2020, 8, 31)
    )
    assert c.stay_days() == days
    assert c.reply_days == reply
    assert c.pre_notice_date == dt.date(2020, 8, 24)


def test_plan_due_is_thirty_working_days_after_feedback(world):
    c = CampaignFactory(
        level="central",
        inspecting_unit=world.inspect_office,
        stationing_start=dt.date(2020, 8, 31),
        feedback_date=dt.date(2021, 2, 1),
    )
    assert c.plan_due == calendar.add_working_days(dt.date(2021, 2, 1), 30) == dt.date(2021, 3, 18)


def test_stage_follows_the_dates(world):
    c = CampaignFactory(
        level="central", inspecting_unit=world.inspect_office, stationing_start=dt.date(2020, 8, 31),
        descent_start=dt.date(2020, 9, 14), feedback_date=dt.date(2021, 2, 1),
    )  # fmt: skip
    assert c.stage(dt.date(2020, 8, 1)) == Stage.PLANNED
    assert c.stage(dt.date(2020, 8, 25)) == Stage.PRE_NOTIFIED
    assert c.stage(dt.date(2020, 9, 1)) == Stage.STATIONED
    assert c.stage(dt.date(2020, 9, 20)) == Stage.FIELD_DESCENT
    assert c.stage(dt.date(2020, 11, 1)) == Stage.WITHDRAWN
    assert c.stage(dt.date(2021, 2, 10)) == Stage.FEEDBACK_GIVEN
    assert c.stage(dt.date(2021, 6, 1)) == Stage.RECTIFYING
    c.archived_on = dt.date(2023, 1, 1)
    assert c.stage(dt.date(2023, 6, 1)) == Stage.ARCHIVED


def _body(world, **over):
    body = {
        "code": "hn-3-changde",
        "name_zh": "湖南省第三督察组督察常德市",
        "level": "provincial",
        "campaign_type": "routine",
        "inspecting_unit": str(world.inspect_office.pk),
        "targets": [str(world.city_a.pk)],
        "stationing_start": stay_day(30).isoformat(),
        "team": {"name_zh": "湖南省第三生态环境保护督察组", "code": "3", "hotline": "0736-1234567"},
    }
    body.update(over)
    return body


def test_create_campaign_applies_defaults_and_audits(world):
    r = api(world.admin).post("/api/v1/campaigns/", _body(world), content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["stationing_end"] == stay_day(30 + 24).isoformat() and data["reply_days"] == 7
    assert data["team"]["hotline_opens"] == "08:00:00" and data["team"]["hotline_closes"] == "20:00:00"
    assert AuditEvent.objects.filter(verb="campaign.create", object_id=data["id"]).exists()


def test_campaign_ending_before_start_refused_in_both_languages(world):
    body = _body(world, stationing_end=stay_day(29).isoformat())
    r = api(world.admin, "en").post("/api/v1/campaigns/", body, content_type="application/json")
    assert r.status_code == 400 and "cannot end before it starts" in str(r.json())
    r = api(world.admin, "zh-hans").post("/api/v1/campaigns/", body, content_type="application/json")
    assert r.status_code == 400 and "不能早于开始日期" in str(r.json())
    assert not Campaign.objects.filter(code="hn-3-changde").exists()


def test_create_needs_rights_on_the_inspecting_body(world):
    r = api(world.liaison_a).post("/api/v1/campaigns/", _body(world), content_type="application/json")
    assert r.status_code == 403  # only the inspecting body's office opens campaigns
    assert not Campaign.objects.filter(code="hn-3-changde").exists()


def test_campaign_list_is_scoped_with_query_ceiling(world, django_assert_max_num_queries):
    for _ in range(15):
        CampaignFactory(inspecting_unit=world.inspect_office, targets=[world.city_a])
    assert_matrix("/api/v1/campaigns/", allowed=[world.liaison_a, world.outsider])
    c = api(world.liaison_a)
    with django_assert_max_num_queries(10):
        r = c.get("/api/v1/campaigns/")
    codes = {x["code"] for x in r.json()["results"]}
    assert "hn-2-yueyang" in codes and "hn-2-changde" not in codes
    assert len(codes) == 16
    # A team member sees only their campaign.
    r = api(world.inspector).get("/api/v1/campaigns/")
    assert [x["code"] for x in r.json()["results"]] == ["hn-2-yueyang"]


def test_campaign_detail_and_update_matrix(world):
    url = f"/api/v1/campaigns/{world.campaign.pk}/"
    assert_matrix(
        url,
        allowed=[world.liaison_a, world.inspector, world.team_leader, world.handler_a],
        out_of_scope=[world.liaison_b, world.outsider],
    )
    assert_matrix(
        url, method="patch", data={"summary": "边督边改"}, out_of_scope=[world.liaison_b],
        forbidden=[world.liaison_a, world.inspector], allowed=[world.team_leader],
    )  # fmt: skip
    world.campaign.refresh_from_db()
    assert world.campaign.summary == "边督边改"
    assert AuditEvent.objects.filter(verb="campaign.update", object_id=str(world.campaign.pk)).exists()


def test_stage_filter(world):
    r = api(world.admin).get("/api/v1/campaigns/", {"stage": "planned"})
    assert r.status_code == 200


def test_pages_matrix_and_estimated_badge(world, django_assert_max_num_queries):
    assert_matrix("/campaigns/", api=False, allowed=[world.liaison_a])
    url = f"/campaigns/{world.campaign.pk}/"
    assert_matrix(url, api=False, allowed=[world.liaison_a, world.inspector], out_of_scope=[world.liaison_b, world.outsider])
    _, last = calendar.library_years()
    world.campaign.feedback_date = dt.date(last, 12, 20)
    world.campaign.plan_due = None
    world.campaign.save()
    r = api(world.inspector, "en").get(url)
    assert "estimated" in r.content.decode()
    assert "Timeline" in r.content.decode()
    for _ in range(20):
        CampaignFactory(inspecting_unit=world.inspect_office, targets=[world.city_a])
    c = api(world.liaison_a)
    with django_assert_max_num_queries(12):
        assert c.get("/campaigns/").status_code == 200


def test_home_dashboard_counts(world):
    r = api(world.liaison_a, "en").get("/")
    html = r.content.decode()
    assert r.status_code == 200 and "Campaigns in scope" in html
    r = api(world.liaison_a, "zh-hans").get("/")
    assert "权限内的督察" in r.content.decode()
    for user in (world.liaison_a, world.outsider, world.admin):
        c = Client()
        c.force_login(user)
        assert c.get("/").status_code == 200
    # Anonymous visitors get the public portal at `/`, not the dashboard.
    assert "权限内的督察" not in Client().get("/").content.decode()
