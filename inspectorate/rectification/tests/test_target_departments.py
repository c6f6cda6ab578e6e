"""The target keeps its implementing departments: org units of type "department" under its units (API, pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.orgs.models import OrgUnit
from inspectorate.testing.clock import future_year
from inspectorate.testing.matrix import assert_matrix

FY = future_year()
pytestmark = pytest.mark.django_db


def login(user, lang: str = "en") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


def test_departments_api_matrix_create_update_end(world):
    w = world
    r = assert_matrix(
        "/api/v1/departments/",
        method="post",
        data={"parent": str(w.county_a.pk), "code": "430626-HBJ", "name_zh": "平江县生态环境分局"},
        allowed=[w.liaison_a],
        forbidden=[w.handler_a, w.inspector],
        ok=201,
    )
    dept = OrgUnit.objects.get(pk=r[0].json()["id"])
    assert (dept.unit_type, dept.kind, dept.parent_id, dept.active) == ("department", "government", w.county_a.pk, True)
    assert_matrix(
        f"/api/v1/departments/{dept.pk}/",
        method="patch",
        data={"name_en": "Pingjiang EEB"},
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.handler_a, w.inspector],
    )
    assert_matrix(
        f"/api/v1/departments/{dept.pk}/end/",
        method="post",
        data={"reason": "机构改革"},
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.handler_a, w.inspector],
    )
    dept.refresh_from_db()
    assert dept.name_en == "Pingjiang EEB" and dept.active is False
    verbs = list(AuditEvent.objects.filter(object_id=str(dept.pk)).order_by("seq").values_list("verb", flat=True))
    assert verbs == ["department.create", "department.update", "department.end"]
    # Another target's liaison cannot put a department under a unit it does not reach; only departments are kept here.
    r = login(w.liaison_b).post(
        "/api/v1/departments/", {"parent": str(w.county_a.pk), "code": "X1", "name_zh": "x"}, content_type="application/json"
    )
    assert r.status_code == 400 and "parent" in r.json()
    assert (
        login(w.liaison_a)
        .patch(f"/api/v1/departments/{w.county_a.pk}/", {"name_en": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    assert login(w.liaison_a).get("/api/v1/departments/?active=false").json()["results"][0]["id"] == str(dept.pk)


def test_department_errors_in_both_languages(world):
    w = world
    body = {"parent": str(w.county_a.pk), "code": "D1", "name_zh": "甲局"}
    assert login(w.liaison_a).post("/api/v1/departments/", body, content_type="application/json").status_code == 201
    dept = OrgUnit.objects.get(code="D1")
    login(w.liaison_a).post(f"/api/v1/departments/{dept.pk}/end/", {}, content_type="application/json")
    for lang, ended in (("en", "This department has already been ended."), ("zh-hans", "该部门已经撤销。")):
        r = login(w.liaison_a, lang).post(f"/api/v1/departments/{dept.pk}/end/", {}, content_type="application/json")
        assert r.status_code == 400 and ended in str(r.json()), r.json()


def test_an_ended_department_stays_on_its_tasks_and_is_not_named_again(rect):
    w = rect.w
    c = login(w.liaison_a)
    r = c.post(
        "/api/v1/departments/", {"parent": str(w.county_a.pk), "code": "D2", "name_zh": "乙局"}, content_type="application/json"
    )
    dept = OrgUnit.objects.get(pk=r.json()["id"])
    task = rect.task()
    task.implementing_units.set([dept])
    c.post(f"/api/v1/departments/{dept.pk}/end/", {}, content_type="application/json")
    r = c.patch(
        f"/api/v1/tasks/{task.pk}/", {"goal": "新目标", "implementing_units": [str(dept.pk)]}, content_type="application/json"
    )
    assert r.status_code == 200, r.content  # the task keeps it
    body = {
        "campaign": str(w.campaign.pk), "problem": str(rect.problem.pk), "number": "8.1", "goal": "g",
        "lead_leader": str(rect.leader.pk), "lead_unit": str(w.county_a.pk), "acceptance_unit": str(w.city_a.pk),
        "implementing_units": [str(dept.pk)], "deadline": f"{FY}-06-30", "long_term": False,
    }  # fmt: skip
    for lang, msg in (("en", "has been ended and cannot be named"), ("zh-hans", "已撤销，不能再指定")):
        r = login(w.liaison_a, lang).post("/api/v1/tasks/", body, content_type="application/json")
        assert r.status_code == 400 and msg in str(r.json()), r.json()
    page = c.get("/rectification/tasks/new/").content.decode()
    implementing = page[page.index('name="implementing_units"') :]
    implementing = implementing[: implementing.index("</select>")]
    assert str(dept.pk) not in implementing and str(w.county_a.pk) in implementing


def test_department_pages(world):
    w = world
    assert_matrix("/rectification/departments/new/", api=False, allowed=[w.liaison_a], forbidden=[w.handler_a, w.auditor])
    c = login(w.liaison_a)
    r = c.post("/rectification/departments/new/", {"parent": str(w.county_a.pk), "code": "D3", "name_zh": "丙局"})
    assert r.status_code == 302, r.content.decode()[:1500]
    dept = OrgUnit.objects.get(code="D3")
    assert_matrix(
        f"/rectification/departments/{dept.pk}/edit/",
        api=False,
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.handler_a],
    )
    assert "丙局" in c.get("/rectification/departments/").content.decode()
    assert "/rectification/departments/" in c.get("/rectification/").content.decode()
    assert login(w.handler_a).post(f"/rectification/departments/{dept.pk}/end/").status_code == 403
    assert login(w.liaison_b).post(f"/rectification/departments/{dept.pk}/end/").status_code == 404
    assert c.post(f"/rectification/departments/{dept.pk}/end/", {"reason": "合并"}).status_code == 302
    dept.refresh_from_db()
    assert dept.active is False
    r = c.post("/rectification/departments/new/", {"parent": str(w.city_b.pk), "code": "D4", "name_zh": "丁局"})
    assert r.status_code == 400 and not OrgUnit.objects.filter(code="D4").exists()
