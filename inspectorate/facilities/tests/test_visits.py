"""Government-enterprise visits: the district records a visit, the enterprise raises problems, the district
assigns each to a department with a due date, the department answers; both sides see the status."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.facilities.models import EnterpriseVisit, VisitRequest
from inspectorate.testing.factories import MembershipFactory, OrgUnitFactory, UserFactory
from inspectorate.testing.matrix import assert_matrix

from .conftest import day

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def gov(ent):  # type: ignore[no-untyped-def]
    district = OrgUnitFactory(unit_type="county", name_zh="上街区")
    dept = OrgUnitFactory(unit_type="department", parent=district, name_zh="上街区发展和改革委员会")
    other = OrgUnitFactory(unit_type="county", name_zh="中原区")
    users = {}
    for name, role, unit in [
        ("district", "liaison", district),
        ("dept", "handler", dept),
        ("other_district", "liaison", other),
        ("district_auditor", "auditor", district),
    ]:
        users[name] = UserFactory(username=name)
        MembershipFactory(user=users[name], role=role, org_unit=unit)
    return type("Gov", (), {"district_unit": district, "dept_unit": dept, **users})


def _visit(ent, gov):  # type: ignore[no-untyped-def]
    body = {"government_unit": str(gov.district_unit.pk), "enterprise_unit": str(ent.plant_a.pk),
            "visited_on": day(-3).isoformat(), "participants": "区长、副区长，发改、工信、消防、应急、督查室负责人",
            "topics": ["clean_production", "air_pollution"]}  # fmt: skip
    r = _client(gov.district).post("/api/v1/enterprise-visits/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    return EnterpriseVisit.objects.get(pk=r.json()["id"])


def test_visit_flow_and_matrix(ent, gov):
    body = {"government_unit": str(gov.district_unit.pk), "enterprise_unit": str(ent.plant_a.pk),
            "visited_on": day(-3).isoformat(), "participants": "区长", "topics": ["air_pollution"]}  # fmt: skip
    # the outsider holds no role anywhere: 403 before the body is read
    assert_matrix("/api/v1/enterprise-visits/", method="post", data=body, out_of_scope=[gov.other_district],
                  forbidden=[gov.district_auditor, ent.outsider], allowed=[gov.district], ok=201)  # fmt: skip
    # Future visits and unknown topics are refused, nothing saved.
    bad = dict(body, visited_on=day(2).isoformat())
    assert _client(gov.district).post("/api/v1/enterprise-visits/", bad, content_type="application/json").status_code == 400
    assert (
        _client(gov.district)
        .post("/api/v1/enterprise-visits/", dict(body, topics=["x"]), content_type="application/json")
        .status_code
        == 400
    )
    assert EnterpriseVisit.objects.count() == 1
    visit = EnterpriseVisit.objects.get()
    # Both sides see it; a sibling plant and another district do not.
    assert_matrix(f"/api/v1/enterprise-visits/{visit.pk}/", out_of_scope=[ent.officer_b, gov.other_district],
                  allowed=[gov.district, ent.officer_a, ent.group_liaison])  # fmt: skip
    raise_url = f"/api/v1/enterprise-visits/{visit.pk}/requests/"
    assert_matrix(raise_url, method="post", data={"title": "赤泥库扩容用地审批", "topic": "permits"},
                  out_of_scope=[ent.officer_b, gov.other_district], forbidden=[ent.group_auditor],
                  allowed=[ent.officer_a], ok=201)  # fmt: skip
    req = VisitRequest.objects.get()
    dup = _client(ent.officer_a).post(raise_url, {"title": "赤泥库扩容用地审批"}, content_type="application/json")
    assert dup.status_code == 400
    # The department sees nothing until the problem is assigned to it.
    assert _client(gov.dept).get("/api/v1/visit-requests/").json()["count"] == 0
    assign = f"/api/v1/visit-requests/{req.pk}/assign/"
    body = {"owner_unit": str(gov.dept_unit.pk), "due_on": day(20).isoformat()}
    assert_matrix(assign, method="post", data=body, out_of_scope=[gov.other_district, ent.officer_b],
                  forbidden=[ent.officer_a], allowed=[gov.district])  # fmt: skip
    assert _client(gov.dept).get("/api/v1/visit-requests/").json()["count"] == 1
    answer = f"/api/v1/visit-requests/{req.pk}/answer/"
    assert _client(gov.dept).post(answer, {"answer": ""}, content_type="application/json").status_code == 400
    assert_matrix(answer, method="post", data={"answer": "已列入区重点项目用地计划，两周内组织会审"},
                  out_of_scope=[gov.other_district], forbidden=[ent.officer_a], allowed=[gov.dept])  # fmt: skip
    seen = _client(ent.officer_a).get(f"/api/v1/visit-requests/{req.pk}/").json()
    assert seen["status"] == "answered" and seen["answer"].startswith("已列入")
    verbs = set(AuditEvent.objects.filter(object_id__in=[str(visit.pk), str(req.pk)]).values_list("verb", flat=True))
    assert {"visit.create", "visit_request.raise", "visit_request.assign", "visit_request.answer"} <= verbs


def test_visit_pages(ent, gov):
    visit = _visit(ent, gov)
    assert_matrix("/facilities/visits/", api=False, allowed=[gov.district, ent.officer_a])
    assert_matrix("/facilities/visits/new/", api=False, forbidden=[ent.officer_a], allowed=[gov.district])
    assert_matrix(f"/facilities/visits/{visit.pk}/", api=False, out_of_scope=[ent.officer_b, gov.other_district],
                  allowed=[gov.district, ent.officer_a])  # fmt: skip
    assert "上街区" not in _client(gov.other_district).get("/facilities/visits/").content.decode()
    r = _client(ent.officer_a).post(
        f"/facilities/visits/{visit.pk}/raise/", {"title": "厂区周边道路改造", "topic": "infrastructure"}
    )
    assert r.status_code == 302 and VisitRequest.objects.count() == 1
    req = VisitRequest.objects.get()
    r = _client(gov.district).post(
        f"/facilities/visits/{req.pk}/assign/", {"owner_unit": gov.dept_unit.pk, "due_on": day(10).isoformat()}
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == "assigned" and req.owner_unit == gov.dept_unit
    page = _client(ent.officer_a).get(f"/facilities/visits/{visit.pk}/").content.decode()
    assert "厂区周边道路改造" in page and gov.dept_unit.name_zh in page
