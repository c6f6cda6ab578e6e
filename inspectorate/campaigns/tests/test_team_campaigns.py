"""Issue 10, point 0: campaigns opened by the inspecting body's office, run by their team (API and pages, audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.accounts.models import Membership
from inspectorate.audit.models import AuditEvent
from inspectorate.campaigns.models import Campaign, Team
from inspectorate.core import calendar
from inspectorate.testing.clock import stay_day
from inspectorate.testing.factories import MembershipFactory, OrgUnitFactory, UserFactory
from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db


def client(user, lang: str = "en") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


@pytest.fixture
def office(world):
    """Staff of the inspecting body's office (the role that opens campaigns)."""
    user = UserFactory(username="office")
    MembershipFactory(user=user, role="inspection_office", org_unit=world.inspect_office)
    return user


@pytest.fixture
def other_leader(world):
    """The team leader of another campaign of the same office."""
    user = UserFactory(username="other_leader")
    MembershipFactory(user=user, role="team_leader", campaign=world.other_campaign)
    return user


@pytest.fixture
def other_office(world):
    unit = OrgUnitFactory(kind="inspectorate", unit_type="inspection_office", code="JX-DCB", name_zh="江西省督察办")
    user = UserFactory(username="jx_office")
    MembershipFactory(user=user, role="inspection_office", org_unit=unit)
    return user


def _body(world, **over):
    body = {
        "code": "hn-3-changde",
        "name_zh": "湖南省第三督察组督察常德市",
        "level": "provincial",
        "campaign_type": "routine",
        "round_no": 3,
        "inspecting_unit": str(world.inspect_office.pk),
        "targets": [str(world.city_b.pk)],
        "stationing_start": stay_day(30).isoformat(),
        "reply_days": 5,
        "reply_day_unit": "working",
        "team": {"name_zh": "湖南省第三生态环境保护督察组", "code": "3", "hotline": "0736-1234567"},
    }
    body.update(over)
    return body


# -- creating: the office ------------------------------------------------------------------


def test_office_creates_campaigns_matrix(world, office):
    (r,) = assert_matrix(
        "/api/v1/campaigns/", method="post", data=_body(world),
        forbidden=[world.team_leader, world.inspector, world.liaison_a, world.auditor], allowed=[office],
    )  # fmt: skip
    data = r.json()
    assert data["round_no"] == 3 and data["reply_day_unit"] == "working" and data["reply_days"] == 5
    c = Campaign.objects.get(pk=data["id"])
    assert list(c.targets.all()) == [world.city_b]  # any government unit may be a target
    assert Team.objects.get(campaign=c).hotline == "0736-1234567"
    assert AuditEvent.objects.filter(verb="campaign.create", object_id=str(c.pk), actor=office).exists()
    assert AuditEvent.objects.filter(verb="team.create", actor=office).exists()
    # The office sees and keeps its new campaign.
    assert client(office).get(f"/api/v1/campaigns/{c.pk}/").status_code == 200


def test_another_office_cannot_open_a_campaign_for_this_office(world, other_office):
    r = client(other_office).post("/api/v1/campaigns/", _body(world), content_type="application/json")
    assert r.status_code == 400 and "inspecting_unit" in r.json()
    assert not Campaign.objects.filter(code="hn-3-changde").exists()


def test_create_validation_in_both_languages_saves_nothing(world, office):
    body = _body(world, stationing_end=stay_day(29).isoformat())
    r = client(office, "en").post("/api/v1/campaigns/", body, content_type="application/json")
    assert r.status_code == 400 and "cannot end before it starts" in str(r.json())
    r = client(office, "zh-hans").post("/api/v1/campaigns/", body, content_type="application/json")
    assert r.status_code == 400 and "不能早于开始日期" in str(r.json())
    assert not Campaign.objects.filter(code="hn-3-changde").exists()


# -- editing: the team leader ------------------------------------------------------------------


def test_team_leader_sets_feedback_hotline_and_po_box_matrix(world, other_leader):
    feedback = world.campaign.stationing_end + dt.timedelta(days=10)
    url = f"/api/v1/campaigns/{world.campaign.pk}/"
    body = {
        "feedback_date": feedback.isoformat(),
        "team": {"hotline": "0730-8888888", "po_box": "岳阳市A001信箱", "hotline_opens": "09:00", "hotline_closes": "18:00"},
    }
    (r,) = assert_matrix(
        url, method="patch", data=body, out_of_scope=[other_leader, world.liaison_b, world.outsider],
        forbidden=[world.inspector, world.liaison_a], allowed=[world.team_leader],
    )  # fmt: skip
    expected = calendar.add_working_days(feedback, 30)
    assert r.json()["plan_due"] == expected.isoformat()
    assert r.json()["team"]["po_box"] == "岳阳市A001信箱" and r.json()["team"]["hotline_opens"] == "09:00:00"
    ev = AuditEvent.objects.get(verb="campaign.update", object_id=str(world.campaign.pk))
    assert ev.actor == world.team_leader
    assert AuditEvent.objects.filter(verb="team.update", actor=world.team_leader).exists()
    # The campaign page shows the plan due date, not "—".
    html = client(world.inspector).get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert expected.strftime("%Y-%m-%d") in html and "0730-8888888" in html and "岳阳市A001信箱" in html


def test_team_leader_may_not_change_what_the_office_sets(world, office):
    url = f"/api/v1/campaigns/{world.campaign.pk}/"
    r = client(world.team_leader).patch(url, {"level": "central", "round_no": 9}, content_type="application/json")
    assert r.status_code == 403 and "level" in str(r.json()) and "office" in str(r.json())
    r = client(world.team_leader, "zh-hans").patch(url, {"level": "central"}, content_type="application/json")
    assert r.status_code == 403 and "只有督察机构的办公室可以修改" in str(r.json())
    # Sending the office's fields unchanged is fine.
    r = client(world.team_leader).patch(url, {"level": world.campaign.level}, content_type="application/json")
    assert r.status_code == 200
    r = client(office).patch(
        url, {"round_no": 9, "targets": [str(world.city_a.pk), str(world.county_a.pk)]}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["round_no"] == 9 and len(r.json()["targets"]) == 2
    world.campaign.refresh_from_db()
    assert world.campaign.round_no == 9


def test_edit_validation_in_both_languages(world):
    url = f"/api/v1/campaigns/{world.campaign.pk}/"
    early = {"feedback_date": (world.campaign.stationing_end - dt.timedelta(days=1)).isoformat()}
    r = client(world.team_leader, "en").patch(url, early, content_type="application/json")
    assert r.status_code == 400 and "Feedback cannot come before the stay ends." in str(r.json())
    r = client(world.team_leader, "zh-hans").patch(url, early, content_type="application/json")
    assert r.status_code == 400 and "反馈不能早于进驻结束。" in str(r.json())
    same = {"team": {"hotline_opens": "08:00", "hotline_closes": "08:00"}}
    r = client(world.team_leader, "en").patch(url, same, content_type="application/json")
    assert r.status_code == 400 and "cannot open and close at the same time" in str(r.json())
    r = client(world.team_leader, "zh-hans").patch(url, same, content_type="application/json")
    assert r.status_code == 400 and "不能相同" in str(r.json())
    world.campaign.refresh_from_db()
    assert world.campaign.feedback_date is None and world.campaign.plan_due is None


# -- the roster ----------------------------------------------------------------------------


def _members_url(world) -> str:
    return f"/api/v1/campaigns/{world.campaign.pk}/members/"


def test_roster_list_and_add_matrix(world, other_leader):
    newcomer = UserFactory(username="newcomer")
    assert_matrix(_members_url(world), allowed=[world.team_leader, world.liaison_a], out_of_scope=[other_leader, world.liaison_b])
    since = timezone.localdate() - dt.timedelta(days=3)
    body = {"user": "newcomer", "role": "inspector", "title": "信访组", "valid_from": since.isoformat()}
    (r,) = assert_matrix(
        _members_url(world), method="post", data=body, out_of_scope=[other_leader, world.liaison_b],
        forbidden=[world.inspector, world.liaison_a], allowed=[world.team_leader],
    )  # fmt: skip
    assert r.json()["user"] == "newcomer" and r.json()["valid_from"] == since.isoformat()
    m = Membership.objects.get(user=newcomer, campaign=world.campaign)
    assert m.role == "inspector" and m.org_unit == world.inspect_office
    assert AuditEvent.objects.filter(verb="membership.create", object_id=str(m.pk), actor=world.team_leader).exists()
    # The grant works: the newcomer now reaches the campaign, and only it.
    r = client(newcomer).get("/api/v1/campaigns/")
    assert [x["code"] for x in r.json()["results"]] == ["hn-2-yueyang"]
    listed = client(world.team_leader).get(_members_url(world)).json()
    assert {x["user"] for x in listed} >= {"newcomer", "inspector", "leader"}


def test_roster_end_matrix_and_access_ends(world, other_leader):
    newcomer = UserFactory(username="newcomer")
    m = MembershipFactory(
        user=newcomer, role="inspector", campaign=world.campaign, valid_from=timezone.localdate() - dt.timedelta(days=10)
    )
    url = f"{_members_url(world)}{m.pk}/end/"
    last_day = timezone.localdate() - dt.timedelta(days=1)
    assert_matrix(
        url, method="post", data={"valid_until": last_day.isoformat(), "reason": "调回原单位"},
        out_of_scope=[other_leader, world.liaison_b], forbidden=[world.inspector, world.liaison_a],
        allowed=[world.team_leader],
    )  # fmt: skip
    m.refresh_from_db()
    assert m.valid_until == last_day
    ev = AuditEvent.objects.get(verb="membership.end", object_id=str(m.pk))
    assert ev.actor == world.team_leader and ev.reason == "调回原单位"
    assert client(newcomer).get(f"/api/v1/campaigns/{world.campaign.pk}/").status_code == 404
    # Ending it again is refused; the history stays.
    r = client(world.team_leader).post(url, {}, content_type="application/json")
    assert r.status_code == 400 and "already ended" in str(r.json())
    # A membership of another campaign is not in this roster.
    foreign = Membership.objects.get(user=other_leader)
    r = client(world.team_leader).post(f"{_members_url(world)}{foreign.pk}/end/", {}, content_type="application/json")
    assert r.status_code == 404


def test_the_office_keeps_rosters_of_its_campaigns(world, office):
    r = client(office).post(
        f"/api/v1/campaigns/{world.other_campaign.pk}/members/",
        {"user": "inspector", "role": "team_leader"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content


def test_roster_validation_in_both_languages(world):
    UserFactory(username="newcomer")
    url = _members_url(world)
    cases = [
        ({"user": "newcomer", "role": "liaison"}, "role", None),
        ({"user": "nobody", "role": "inspector"}, "user", None),
        (
            {
                "user": "newcomer",
                "role": "inspector",
                "valid_from": stay_day(5).isoformat(),
                "valid_until": stay_day(1).isoformat(),
            },
            "cannot end before it starts",
            "任职的结束日期不能早于开始日期",
        ),
        ({"user": "leader", "role": "team_leader"}, "overlapping period", None),
    ]
    for body, en, zh in cases:
        r = client(world.team_leader, "en").post(url, body, content_type="application/json")
        assert r.status_code == 400 and en in str(r.json()), (body, r.content)
        if zh:
            r = client(world.team_leader, "zh-hans").post(url, body, content_type="application/json")
            assert r.status_code == 400 and zh in str(r.json())
    assert not Membership.objects.filter(user__username="newcomer").exists()


# -- pages -----------------------------------------------------------------------------------


def _form(world, **over):
    data = {
        "code": "hn-3-changde", "name_zh": "湖南省第三督察组督察常德市", "level": "provincial",
        "campaign_type": "routine", "inspecting_unit": str(world.inspect_office.pk), "targets": [str(world.city_b.pk)],
        "stationing_start": stay_day(30).isoformat(), "reply_day_unit": "calendar", "daily_cutoff": "20:00",
        "notice_working_days": "5", "team_name_zh": "湖南省第三生态环境保护督察组", "team_code": "3",
        "team_hotline_opens": "08:00", "team_hotline_closes": "20:00",
    }  # fmt: skip
    data.update(over)
    return data


def test_new_campaign_page(world, office):
    assert_matrix("/campaigns/new/", api=False, forbidden=[world.team_leader, world.inspector, world.liaison_a], allowed=[office])
    assert "New campaign" in client(office).get("/campaigns/").content.decode()
    assert "/campaigns/new/" not in client(world.team_leader).get("/campaigns/").content.decode()
    r = client(office, "zh-hans").post("/campaigns/new/", _form(world, team_hotline_closes="08:00"))
    assert r.status_code == 400 and "举报电话的受理开始与结束时间不能相同。" in r.content.decode()
    assert not Campaign.objects.filter(code="hn-3-changde").exists()  # nothing half-saved
    r = client(office).post("/campaigns/new/", _form(world))
    c = Campaign.objects.get(code="hn-3-changde")
    assert r.status_code == 302 and r["Location"] == f"/campaigns/{c.pk}/"
    assert c.team.code == "3" and AuditEvent.objects.filter(verb="campaign.create", object_id=str(c.pk)).exists()


def test_edit_page_matrix_and_team_leader_form(world, office, other_leader):
    url = f"/campaigns/{world.campaign.pk}/edit/"
    assert_matrix(
        url, api=False, out_of_scope=[other_leader, world.liaison_b], forbidden=[world.inspector, world.liaison_a],
        allowed=[world.team_leader, office],
    )  # fmt: skip
    html = client(world.team_leader).get(url).content.decode()
    assert 'name="feedback_date"' in html and 'name="team_po_box"' in html and 'name="level"' not in html
    assert 'name="level"' in client(office).get(url).content.decode()
    detail = client(world.team_leader).get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert url in detail and f"/campaigns/{world.campaign.pk}/members/" in detail
    assert url not in client(world.inspector).get(f"/campaigns/{world.campaign.pk}/").content.decode()


def test_edit_page_sets_feedback_and_shows_plan_due(world):
    url = f"/campaigns/{world.campaign.pk}/edit/"
    team = world.campaign.team
    form = {
        "descent_start": "", "summary": "边督边改", "team_name_zh": team.name_zh, "team_code": team.code,
        "team_hotline": "0730-8888888", "team_po_box": "岳阳市A001信箱", "team_hotline_opens": "08:00",
        "team_hotline_closes": "20:00",
    }  # fmt: skip
    early = (world.campaign.stationing_end - dt.timedelta(days=1)).isoformat()
    r = client(world.team_leader, "zh-hans").post(url, {**form, "feedback_date": early})
    assert r.status_code == 400 and "反馈不能早于进驻结束。" in r.content.decode()
    r = client(world.team_leader, "en").post(url, {**form, "feedback_date": early})
    assert r.status_code == 400 and "Feedback cannot come before the stay ends." in r.content.decode()
    team.refresh_from_db()
    assert team.hotline != "0730-8888888"  # nothing half-saved
    feedback = world.campaign.stationing_end + dt.timedelta(days=3)
    r = client(world.team_leader).post(url, {**form, "feedback_date": feedback.isoformat()})
    assert r.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.plan_due == calendar.add_working_days(feedback, 30)
    html = client(world.team_leader, "en").get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert world.campaign.plan_due.strftime("%Y-%m-%d") in html and "岳阳市A001信箱" in html
    assert AuditEvent.objects.filter(verb="campaign.update", actor=world.team_leader).exists()
    assert AuditEvent.objects.filter(verb="team.update", actor=world.team_leader).exists()


def test_roster_page_add_and_end(world, other_leader):
    url = f"/campaigns/{world.campaign.pk}/members/"
    assert_matrix(url, api=False, allowed=[world.team_leader, world.liaison_a], out_of_scope=[other_leader, world.liaison_b])
    assert 'id="member-form"' not in client(world.liaison_a).get(url).content.decode()
    assert "督察组名单" in client(world.team_leader, "zh-hans").get(url).content.decode()
    newcomer = UserFactory(username="newcomer", display_name="王组员")
    body = {"username": "newcomer", "role": "inspector", "title": "信访组", "valid_from": "", "valid_until": ""}
    assert_matrix(
        url, method="post", data=body, api=False, out_of_scope=[other_leader, world.liaison_b],
        forbidden=[world.inspector, world.liaison_a], allowed=[world.team_leader], ok=302,
    )  # fmt: skip
    m = Membership.objects.get(user=newcomer, campaign=world.campaign)
    assert "王组员" in client(world.team_leader).get(url).content.decode()
    r = client(world.team_leader, "zh-hans").post(url, {**body, "username": "nobody"})
    assert r.status_code == 400 and "没有名为“nobody”的在用用户。" in r.content.decode()
    end = f"/campaigns/{world.campaign.pk}/members/{m.pk}/end/"
    assert_matrix(
        end, method="post", data={"valid_until": timezone.localdate().isoformat()}, api=False,
        out_of_scope=[other_leader, world.liaison_b], forbidden=[world.inspector, world.liaison_a],
        allowed=[world.team_leader], ok=302,
    )  # fmt: skip
    m.refresh_from_db()
    assert m.valid_until == timezone.localdate()
    assert AuditEvent.objects.filter(verb="membership.end", object_id=str(m.pk), actor=world.team_leader).exists()


def test_the_inspected_side_never_runs_the_campaign(world):
    """An administrator of the target city holds the permissions but sits on the inspected side: refused, with why."""
    city_admin = UserFactory(username="yy_admin")
    MembershipFactory(user=city_admin, role="admin", org_unit=world.city_a)
    url = f"/api/v1/campaigns/{world.campaign.pk}/"
    r = client(city_admin).patch(url, {"summary": "x"}, content_type="application/json")
    assert r.status_code == 403 and "inspected side" in str(r.json())
    r = client(city_admin).post(f"{url}members/", {"user": "yy_admin", "role": "inspector"}, content_type="application/json")
    assert r.status_code == 403
    assert client(city_admin).get(f"/campaigns/{world.campaign.pk}/edit/").status_code == 403
    world.campaign.refresh_from_db()
    assert world.campaign.summary == "" and not Membership.objects.filter(user=city_admin, campaign=world.campaign).exists()
