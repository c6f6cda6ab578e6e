"""Site visits: unannounced ones stay hidden from the target until done; findings become cases or problems."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.models import Case
from inspectorate.fieldwork import actions
from inspectorate.fieldwork.models import SiteVisit, VisitFinding, VisitPhoto
from inspectorate.rectification.models import Problem
from inspectorate.testing.clock import stay_day, today
from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db
API = "/api/v1/visits/"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def client(user):
    c = Client()
    c.force_login(user)
    return c


def visit(field, kind="unannounced", **kw):
    fields = {
        "actor": field.w.inspector,
        "campaign": field.w.campaign,
        "unit": field.w.county_a,
        "kind": kind,
        "planned_on": today(),
        "location": "平江县某化工园区排污口",
        "lat": 28.70,
        "lon": 113.60,
        "enterprises": [field.w.enterprise_a],
    }
    fields.update(kw)
    return actions.create_visit(**fields)


def test_unannounced_visit_hidden_from_target_until_done(field):
    w = field.w
    v = visit(field)
    announced = visit(field, kind="announced", location="岳阳市污水处理厂")
    for user in (w.liaison_a, w.handler_a):
        c = client(user)
        ids = [row["id"] for row in c.get(API).json()["results"]]
        assert ids == [str(announced.pk)]
        assert c.get(f"{API}{v.pk}/").status_code == 404
        assert c.get(f"/fieldwork/visits/{v.pk}/").status_code == 404
        assert v.location not in c.get("/fieldwork/visits/").content.decode()
    assert client(w.inspector).get(f"{API}{v.pk}/").status_code == 200
    actions.complete_visit(v, actor=w.inspector, visited_on=today(), findings=["排污口偷排黑臭废水"])
    assert client(w.liaison_a).get(f"{API}{v.pk}/").status_code == 200
    assert client(w.handler_a).get(f"/fieldwork/visits/{v.pk}/").status_code == 200


def test_create_matrix_and_bad_input(field):
    w = field.w
    data = {
        "campaign": str(w.campaign.pk),
        "unit": str(w.county_a.pk),
        "kind": "unannounced",
        "planned_on": stay_day(5).isoformat(),
        "location": "某养殖场",
        "lat": 28.8,
        "lon": 113.5,
        "enterprises": [str(w.enterprise_a.pk)],
    }
    assert_matrix(API, method="post", data=data, forbidden=[w.liaison_a, w.handler_a], allowed=[w.inspector], ok=201)
    c = client(w.team_leader)
    r1 = c.post(API, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY="v1")
    r2 = c.post(API, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY="v1")
    assert (r1.status_code, r2.status_code) == (201, 200) and r1.json()["id"] == r2.json()["id"]
    assert SiteVisit.objects.count() == 2
    r = c.post(API, {**data, "lat": 123.0}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Latitude" in r.json()["lat"][0]
    r = c.post(API, {**data, "lon": None}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "both latitude and longitude" in r.json()["lat"][0]
    r = c.post(API, {**data, "enterprises": [str(w.enterprise_b.pk)]}, content_type="application/json")
    assert r.status_code == 400  # an enterprise outside the user's scope and the campaign
    assert SiteVisit.objects.count() == 2
    v = SiteVisit.objects.get(pk=r1.json()["id"])
    url = f"{API}{v.pk}/complete/"
    future = today().toordinal() + 3
    import datetime as dt

    r = c.post(
        url, {"visited_on": dt.date.fromordinal(future).isoformat()}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 400 and "visited_on" in r.json()
    assert_matrix(
        url,
        method="post",
        data={"visited_on": today().isoformat(), "summary": "发现偷排", "findings": ["雨水排口有废水流出"]},
        out_of_scope=[w.liaison_a, w.liaison_b],  # the target does not see the unannounced visit: 404, not 403
        forbidden=[field.discipline] if False else [],
        allowed=[w.inspector],
    )
    v.refresh_from_db()
    assert v.status == "done" and v.findings.count() == 1
    r = c.post(url, {"visited_on": today().isoformat()}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "already recorded as done" in str(r.json())
    # once done the target sees it, but may not record on it
    assert client(w.liaison_a).post(f"{API}{v.pk}/findings/", {"text": "x"}, content_type="application/json").status_code == 403


def test_finding_becomes_a_case_in_one_step(field):
    w = field.w
    v = visit(field)
    actions.complete_visit(v, actor=w.inspector, visited_on=today(), findings=["化工厂雨水排口偷排废水，气味刺鼻"])
    f = v.findings.get()
    url = f"/api/v1/visit-findings/{f.pk}/to-case/"
    assert_matrix(
        url,
        method="post",
        data={"is_key": True, "pollution_types": ["water"]},
        out_of_scope=[w.liaison_b, field.leader_b],
        forbidden=[w.liaison_a, w.handler_a],
        allowed=[w.inspector],
    )
    f.refresh_from_db()
    case = Case.objects.get(pk=f.case_id)
    assert case.channel == "visit" and case.is_key and case.pollution_types == ["water"]
    assert case.lead_unit == w.city_a and case.region == w.county_a and case.number.startswith("F")
    assert case.summary == f.text
    assert AuditEvent.objects.filter(verb="case.register", object_id=str(case.pk)).exists()
    assert AuditEvent.objects.filter(verb="visit_finding.to_case", object_id=str(f.pk)).exists()
    r = client(w.inspector).post(url, {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "already become" in str(r.json())
    r = client(w.inspector).post(f"/api/v1/visit-findings/{f.pk}/to-problem/", {}, content_type="application/json")
    assert r.status_code == 400 and Case.objects.count() == 1 and not Problem.objects.exists()
    # the case is in the complaints app's lists, for the team and for the handling unit
    assert client(w.liaison_a).get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_finding_becomes_a_problem_linking_back(field):
    w = field.w
    v = visit(field, kind="announced")
    actions.complete_visit(v, actor=w.inspector, visited_on=today())
    f = actions.add_finding(v, actor=w.inspector, text="园区污水处理厂长期超负荷运行", enterprise=w.enterprise_a)
    r = client(w.inspector).post(f"/fieldwork/findings/{f.pk}/to-problem/", {"number": "V1"})
    assert r.status_code == 302
    f.refresh_from_db()
    p = Problem.objects.get(pk=f.problem_id)
    assert p.number == "V1" and p.origin == f and p.unit == w.county_a and p.enterprise == w.enterprise_a
    assert AuditEvent.objects.filter(verb="problem.create", object_id=str(p.pk)).exists()
    assert AuditEvent.objects.filter(verb="visit_finding.to_problem", object_id=str(f.pk)).exists()
    page = client(w.inspector).get(f"/fieldwork/visits/{v.pk}/").content.decode()
    assert "V1" in page


def test_photos_checked_and_pages(field):
    w = field.w
    v = visit(field)
    url = f"{API}{v.pk}/photos/"
    c = client(w.inspector)
    r = c.post(url, {"attachments": SimpleUploadedFile("a.txt", b"hello")}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "not a photo or video" in str(r.json())
    r = c.post(url, {"attachments": SimpleUploadedFile("现场.jpg", JPEG)})
    assert r.status_code == 200 and r.json()["photos"][0]["name"] == "现场.jpg"
    assert client(w.liaison_a).post(url, {}).status_code == 404
    photo = VisitPhoto.objects.get()
    assert_matrix(f"/fieldwork/photos/{photo.pk}/", api=False, allowed=[w.inspector], out_of_scope=[w.liaison_a, w.liaison_b])
    assert_matrix("/fieldwork/visits/", api=False, allowed=[w.inspector, w.liaison_a])
    r = assert_matrix(f"/fieldwork/visits/{v.pk}/", api=False, allowed=[w.inspector], out_of_scope=[w.liaison_a, w.liaison_b])
    body = r[0].content.decode()
    assert 'id="fw-map"' in body and "leaflet.js" in body and "113.6" in body and 'id="form-complete"' in body
    assert_matrix("/fieldwork/visits/new/", api=False, allowed=[w.inspector], forbidden=[w.liaison_a])
    r = c.post(
        "/fieldwork/visits/new/",
        {
            "campaign": str(w.campaign.pk),
            "unit": str(w.county_a.pk),
            "kind": "unannounced",
            "planned_on": today().isoformat(),
            "location": "某砂场",
            "lat": "95",
            "lon": "113",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400 and "Latitude must lie between" in r.content.decode()
    r = client(w.inspector).post(f"/fieldwork/visits/{v.pk}/complete/", {"visited_on": today().isoformat()})
    assert r.status_code == 302
    r = client(w.inspector).post(f"/fieldwork/visits/{v.pk}/findings/", {"text": "发现渗坑"})
    assert r.status_code == 302 and VisitFinding.objects.filter(visit=v).count() == 1
    f = VisitFinding.objects.get(visit=v)
    assert_matrix(
        f"/fieldwork/findings/{f.pk}/to-case/",
        method="post",
        api=False,
        data={},
        ok=302,
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a],
        allowed=[w.inspector],
    )
    f.refresh_from_db()
    assert f.case_id is not None
