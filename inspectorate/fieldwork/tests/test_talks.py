"""Individual talks: the notes reach the team and the discipline body, never the target (page, API, search, audit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.fieldwork import actions
from inspectorate.fieldwork.models import Talk
from inspectorate.testing.clock import stay_day
from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db
API = "/api/v1/talks/"
SECRET = "该局长承认2019年曾授意删改在线监测数据"


def client(user):
    c = Client()
    c.force_login(user)
    return c


def talk(field, **kw):
    fields = {
        "actor": field.w.inspector,
        "campaign": field.w.campaign,
        "unit": field.dept,
        "person_name": "市生态环境局局长",
        "post": "局长",
        "rank": "division",
        "date": stay_day(3),
        "topics": "在线监测数据管理；信访件办理",
        "notes": SECRET,
    }
    fields.update(kw)
    return actions.create_talk(**fields)


def test_create_matrix_idempotency_and_notes_not_in_audit(field):
    w = field.w
    data = {
        "campaign": str(w.campaign.pk),
        "unit": str(field.dept.pk),
        "person_name": "副市长",
        "post": "分管副市长",
        "rank": "bureau",
        "date": stay_day(4).isoformat(),
        "topics": "大气污染防治",
        "notes": SECRET,
    }
    assert_matrix(
        API,
        method="post",
        data=data,
        forbidden=[w.liaison_a, field.dept_handler, field.discipline],
        allowed=[w.inspector],
        ok=201,
    )
    r = client(field.leader_b).post(API, data, content_type="application/json")
    assert r.status_code == 400  # another campaign's team: this campaign does not exist for it
    c = client(w.team_leader)
    r1 = c.post(API, {**data, "person_name": "甲"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t1")
    r2 = c.post(API, {**data, "person_name": "甲"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t1")
    assert (r1.status_code, r2.status_code) == (201, 200) and r1.json()["id"] == r2.json()["id"]
    assert Talk.objects.filter(person_name="甲").count() == 1
    assert r1.json()["notes"] == SECRET  # the team reads its own notes
    events = AuditEvent.objects.filter(verb="talk.create")
    assert events.count() == 2 and all(SECRET not in str(e.after) for e in events)


def test_notes_never_reach_the_target(field):
    w = field.w
    t = talk(field)
    for user in (w.liaison_a, field.dept_handler):
        c = client(user)
        got = c.get(f"{API}{t.pk}/").json()
        assert got["person_name"] == "市生态环境局局长" and "notes" not in got
        listing = c.get(API).json()["results"]
        assert listing and all("notes" not in row for row in listing)
        page = c.get(f"/fieldwork/talks/{t.pk}/").content.decode()
        assert SECRET not in page and 'id="notes-withheld"' in page
        assert SECRET not in c.get("/fieldwork/talks/").content.decode()
        # a search on the notes' words finds nothing, so it cannot be used to probe them
        assert c.get(API, {"q": "授意删改"}).json()["count"] == 0
    for user in (w.inspector, w.team_leader, field.discipline):
        c = client(user)
        assert c.get(f"{API}{t.pk}/").json()["notes"] == SECRET
        assert SECRET in c.get(f"/fieldwork/talks/{t.pk}/").content.decode()


def test_talk_pages_and_api_matrix(field):
    w = field.w
    t = talk(field)
    assert_matrix(
        f"{API}{t.pk}/",
        allowed=[w.inspector, w.liaison_a, field.discipline],
        out_of_scope=[w.liaison_b, field.leader_b, w.outsider],
    )
    assert_matrix(
        f"/fieldwork/talks/{t.pk}/",
        api=False,
        allowed=[w.inspector, field.dept_handler],
        out_of_scope=[w.liaison_b, field.leader_b],
    )
    assert_matrix("/fieldwork/talks/", api=False, allowed=[w.inspector, w.liaison_b])
    assert_matrix("/fieldwork/talks/new/", api=False, allowed=[w.inspector], forbidden=[w.liaison_a, field.discipline])
    assert_matrix(
        f"{API}{t.pk}/",
        method="patch",
        data={"topics": "补充：秸秆焚烧"},
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a, field.discipline],
        allowed=[w.inspector],
    )
    t.refresh_from_db()
    assert t.topics == "补充：秸秆焚烧" and t.notes == SECRET


def test_talk_bad_input(field):
    w = field.w
    c = client(w.inspector)
    base = {
        "campaign": str(w.campaign.pk),
        "unit": str(w.city_b.pk),
        "person_name": "x",
        "post": "y",
        "date": stay_day(1).isoformat(),
        "topics": "z",
    }
    r = c.post(API, base, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400  # a unit outside the campaign's targets
    far = (stay_day(0) + dt.timedelta(days=800)).isoformat()
    r = c.post(API, {**base, "unit": str(w.city_a.pk), "date": far}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "more than a year ahead" in r.json()["date"][0]
    r = c.post("/fieldwork/talks/new/", {**base, "unit": str(w.city_a.pk), "rank": "nonsense"})
    assert r.status_code == 400
    assert not Talk.objects.exists()
    r = c.post("/fieldwork/talks/new/", {**base, "unit": str(w.city_a.pk), "rank": "section", "notes": SECRET})
    assert r.status_code == 302 and Talk.objects.get().notes == SECRET
