"""Scope holes (issue 8, point 6): team roles stay in their own campaign, the bulletin's region is looked up in
scope only and defaults to today, a batch's results tables show a handling unit only its own cases' rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from inspectorate.complaints import actions
from inspectorate.complaints.models import Complaint
from inspectorate.testing.factories import MembershipFactory, OrgUnitFactory, UserFactory
from inspectorate.testing.matrix import assert_matrix

from .conftest import at, flow_to_dispatch, submit

pytestmark = pytest.mark.django_db


def _client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def office_inspector(world):
    """An inspector whose team membership also names the inspecting office (as the demo's users do)."""
    user = UserFactory(username="office_inspector")
    MembershipFactory(user=user, role="inspector", org_unit=world.inspect_office, campaign=world.campaign)
    return user


@pytest.fixture
def office_leader(world):
    user = UserFactory(username="office_leader")
    MembershipFactory(user=user, role="team_leader", org_unit=world.inspect_office, campaign=world.campaign)
    return user


def _body(campaign_code: str, text: str) -> dict[str, str]:
    return {
        "campaign": campaign_code,
        "channel": "phone",
        "text": text,
        "received_at": at(3).isoformat(),
        "address": "常德市某区",
        "reporter_name": "李四",
        "reporter_phone": "13800001111",
    }


def test_team_role_reaches_its_own_campaign_only(world, office_inspector, office_leader):
    w = world
    other = w.other_campaign
    # Own campaign: allowed (the matrix also checks anonymous and out-of-scope callers).
    assert_matrix(f"/api/v1/campaigns/{w.campaign.pk}/", allowed=[office_inspector, office_leader], out_of_scope=[w.liaison_b])
    # The office's other campaign: invisible, whatever the route.
    assert_matrix(
        f"/api/v1/campaigns/{other.pk}/",
        allowed=[w.admin, w.liaison_b],
        out_of_scope=[office_inspector, office_leader, w.inspector, w.team_leader, w.liaison_a],
    )
    assert_matrix(f"/campaigns/{other.pk}/", api=False, allowed=[w.admin], out_of_scope=[office_inspector, office_leader])
    ids = {c["id"] for c in _client(office_inspector).get("/api/v1/campaigns/").json()["results"]}
    assert ids == {str(w.campaign.pk)}


def test_team_role_cannot_file_into_another_campaign(world, office_inspector, office_leader):
    w = world
    assert_matrix(
        "/api/v1/complaints/",
        method="post",
        data=_body(w.other_campaign.code, "常德市某造纸厂夜间偷排废水"),
        allowed=[w.admin],
        out_of_scope=[office_inspector, office_leader, w.inspector],
    )
    assert Complaint.objects.filter(campaign=w.other_campaign).count() == 1  # the admin's only
    # Own campaign still works for the same user.
    r = _client(office_inspector).post("/api/v1/complaints/", _body(w.campaign.code, "平江县某化工厂偷排废水"), format="json")
    assert r.status_code == 201, r.content
    # The staff form does not offer, and refuses, the other campaign.
    page = Client()
    page.force_login(office_inspector)
    html = page.get("/complaints/new/").content.decode()
    assert w.campaign.code in html and w.other_campaign.code not in html
    r = page.post(
        "/complaints/new/",
        {"campaign": w.other_campaign.code, "channel": "phone", "text": "常德市某造纸厂偷排", "received_at": "2026-11-03T10:00"},
    )
    assert r.status_code == 404
    assert Complaint.objects.filter(campaign=w.other_campaign).count() == 1
    # "Similar reports" of the other campaign: not found either.
    r = _client(office_inspector).post(
        "/api/v1/complaints/similar/", {"campaign": w.other_campaign.code, "text": "常德市某造纸厂"}, format="json"
    )
    assert r.status_code == 404


def test_team_role_does_not_read_another_campaigns_complaints(world, office_inspector):
    w = world
    theirs = submit(world, campaign=w.other_campaign, actor=w.admin, text="常德市某造纸厂夜间偷排废水", address="常德市")
    ours = submit(world, actor=office_inspector)
    assert_matrix(f"/api/v1/complaints/{theirs.pk}/", allowed=[w.admin], out_of_scope=[office_inspector, w.inspector])
    assert_matrix(f"/api/v1/complaints/{ours.pk}/", allowed=[office_inspector, w.inspector], out_of_scope=[w.liaison_b])
    listed = {c["id"] for c in _client(office_inspector).get("/api/v1/complaints/").json()["results"]}
    assert listed == {str(ours.pk)}
    r = _client(office_inspector).post(f"/api/v1/complaints/{theirs.pk}/accept/", {}, format="json")
    assert r.status_code == 404


def test_team_membership_without_campaign_reaches_nothing(world):
    from inspectorate.accounts.models import Membership

    user = UserFactory(username="stray_inspector")
    Membership.objects.create(user=user, role="inspector", org_unit=world.inspect_office, valid_from=dt.date(2020, 1, 1))
    assert _client(user).get("/api/v1/campaigns/").json()["results"] == []
    assert_matrix(f"/api/v1/campaigns/{world.campaign.pk}/", allowed=[world.inspector], out_of_scope=[user])


def test_bulletin_region_only_in_scope(world):
    w = world
    submit(world)
    base = "/api/v1/reports/bulletin/?campaign=hn-2-yueyang"
    # A unit outside the caller's scope is unknown, not silently looked up everywhere.
    assert_matrix(f"{base}&region={w.city_b.code}", allowed=[w.admin], out_of_scope=[w.liaison_a, w.handler_a])
    assert_matrix(f"{base}&region={w.county_a.code}", allowed=[w.liaison_a, w.handler_a, w.admin], out_of_scope=[w.liaison_b])
    r = _client(w.liaison_a).get(f"{base}&region={w.county_a.pk}")
    assert r.status_code == 200 and r.json()["received"] == 1
    assert _client(w.liaison_a).get(f"{base}&region=no-such-unit").status_code == 404


def test_bulletin_as_of_defaults_to_today(world):
    submit(world)
    client = _client(world.inspector)
    r = client.get("/api/v1/reports/bulletin/?campaign=hn-2-yueyang")
    assert r.status_code == 200, r.content
    today = timezone.localdate().isoformat()
    assert r.json() == client.get(f"/api/v1/reports/bulletin/?campaign=hn-2-yueyang&as_of={today}").json()
    r = client.get("/api/v1/reports/bulletin/?campaign=hn-2-yueyang&as_of=31/12/2026")
    assert r.status_code == 400 and "as_of" in r.json()
    r = client.get("/api/v1/reports/bulletin/?campaign=hn-2-yueyang&batch=first")
    assert r.status_code == 400 and "batch" in r.json()
    assert client.get("/api/v1/reports/bulletin/").status_code == 400


def _two_unit_batch(world):
    """One batch, two cases: one dispatched to county_a (handler_a's), one to a sister county of city_a."""
    c1, case1, batch = flow_to_dispatch(world)
    sister = OrgUnitFactory(parent=world.city_a, unit_type="county", code="430623", name_zh="华容县", name_en="Huarong")
    handler_s = UserFactory(username="handler_sister")
    MembershipFactory(user=handler_s, role="handler", org_unit=sister)
    c2 = submit(world, text="华容县某养殖场粪污直排入河，臭味很大", address="岳阳市华容县", received_at=c1.received_at)
    case2 = actions.accept_complaint(c2, actor=world.inspector)
    # Same intake day: the second case goes into a new batch unless it is moved into the first; keep both in one.
    case2.batch = batch
    case2.status = case1.status
    case2.lead_unit = world.city_a
    case2.save(update_fields=["batch", "status", "lead_unit"])
    actions.dispatch_case(case2, actor=world.liaison_a, unit=sister)
    case2.refresh_from_db()
    table = actions.approve_disclosure(batch, actor=world.team_leader)
    assert {r["number"] for r in table.rows} == {case1.number, case2.number}
    return batch, case1, case2, handler_s


def test_batch_disclosures_show_a_handling_unit_only_its_rows(world):
    w = world
    batch, case1, case2, handler_s = _two_unit_batch(world)
    url = f"/api/v1/batches/{batch.pk}/disclosures/"
    full = assert_matrix(url, allowed=[w.team_leader, w.inspector, w.liaison_a, w.admin], out_of_scope=[w.liaison_b, w.outsider])
    for r in full:
        assert {row["number"] for row in r.json()[0]["rows"]} == {case1.number, case2.number}
    (mine,) = assert_matrix(url, allowed=[w.handler_a])
    assert [row["number"] for row in mine.json()[0]["rows"]] == [case1.number]
    (theirs,) = assert_matrix(url, allowed=[handler_s])
    assert [row["number"] for row in theirs.json()[0]["rows"]] == [case2.number]
    # The stored table is untouched.
    assert len(batch.disclosures.get().rows) == 2


def test_batch_page_shows_a_handling_unit_only_its_rows(world):
    w = world
    batch, case1, _case2, _handler_s = _two_unit_batch(world)
    url = f"/complaints/batches/{batch.pk}/"
    (page,) = assert_matrix(url, api=False, allowed=[w.handler_a], out_of_scope=[w.liaison_b])
    (table,) = page.context["tables"]
    assert [row["number"] for row in table.rows] == [case1.number]
    (page,) = assert_matrix(url, api=False, allowed=[w.team_leader])
    (table,) = page.context["tables"]
    assert len(table.rows) == 2
