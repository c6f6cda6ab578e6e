"""Three simultaneities: steps with dates and documents; operation refused while a step is missing, with the list;
overridable with a written reason by the liaison office only; every step audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.facilities.models import Project, ProjectStep
from inspectorate.testing.matrix import assert_matrix

from .conftest import day

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def project(ent):  # type: ignore[no-untyped-def]
    r = _client(ent.officer_a).post(
        "/api/v1/projects/", {"name": "2号焦炉扩建工程", "unit": str(ent.plant_a.pk)}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    return Project.objects.get(pk=r.json()["id"])


def test_create_matrix_and_idempotency(ent):
    body = {"name": "焦炉煤气脱硫改造", "unit": str(ent.plant_a.pk)}
    # the outsider holds no role anywhere: 403 before the body is read
    assert_matrix("/api/v1/projects/", method="post", data=body, out_of_scope=[ent.officer_b],
                  forbidden=[ent.group_auditor, ent.outsider], allowed=[ent.officer_a], ok=201)  # fmt: skip
    c = _client(ent.officer_a)
    body2 = {"name": "干熄焦项目", "unit": str(ent.plant_a.pk)}
    a = c.post("/api/v1/projects/", body2, content_type="application/json", HTTP_IDEMPOTENCY_KEY="p1")
    b = c.post("/api/v1/projects/", body2, content_type="application/json", HTTP_IDEMPOTENCY_KEY="p1")
    assert a.json()["id"] == b.json()["id"] and Project.objects.count() == 2
    dup = c.post("/api/v1/projects/", body2, content_type="application/json")
    assert dup.status_code == 400


def test_operation_refused_with_missing_steps_listed(ent, project):
    c = _client(ent.officer_a)
    url = f"/api/v1/projects/{project.pk}/steps/"
    doc = SimpleUploadedFile("eia.pdf", b"%PDF-1.4 approval", content_type="application/pdf")
    r = c.post(url, {"kind": "eia", "done_on": day(-300).isoformat(), "reference": "晋环审批〔2020〕12号", "document": doc})
    assert r.status_code == 201 and r.json()["has_document"]
    r = c.post(
        url, {"kind": "design", "done_on": day(-200).isoformat(), "reference": "环保设施设计"}, content_type="application/json"
    )
    assert r.status_code == 201
    # Before the EIA, twice, or in the future: refused, nothing saved.
    assert (
        c.post(
            url, {"kind": "construction", "done_on": day(-400).isoformat(), "reference": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        c.post(
            url, {"kind": "design", "done_on": day(-100).isoformat(), "reference": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        c.post(
            url, {"kind": "construction", "done_on": day(3).isoformat(), "reference": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert ProjectStep.objects.count() == 2
    op = f"/api/v1/projects/{project.pk}/start-operation/"
    r = c.post(op, {}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["missing_steps"] == ["construction", "commissioning"]
    # The officer may not override; the liaison office may, with a reason; the sibling plant never sees it.
    r = c.post(op, {"override_reason": "试生产"}, content_type="application/json")
    assert (r.status_code == 403 and "authorised" in r.json()["detail"]) or "授权" in r.json()["detail"]
    assert_matrix(op, method="post", data={"override_reason": "省厅批准试运行，竣工验收限期三个月内补齐"},
                  out_of_scope=[ent.officer_b, ent.outsider], forbidden=[ent.group_auditor],
                  allowed=[ent.group_liaison])  # fmt: skip
    project.refresh_from_db()
    assert project.status == "in_operation" and project.override_reason.startswith("省厅")
    ev = AuditEvent.objects.get(verb="project.operate_override", object_id=str(project.pk))
    assert ev.after["missing_steps"] == ["construction", "commissioning"] and ev.reason.startswith("省厅")


def test_complete_project_goes_into_operation(ent, project):
    c = _client(ent.officer_a)
    for i, kind in enumerate(["eia", "design", "construction", "commissioning"]):
        r = c.post(f"/api/v1/projects/{project.pk}/steps/", {"kind": kind, "done_on": day(-100 + i * 10).isoformat(),
                   "reference": f"文件{i}"}, content_type="application/json")  # fmt: skip
        assert r.status_code == 201
    r = c.post(f"/api/v1/projects/{project.pk}/start-operation/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "in_operation" and r.json()["missing_steps"] == []
    assert AuditEvent.objects.filter(verb="project.operate", object_id=str(project.pk)).exists()
    assert AuditEvent.objects.filter(verb="project.step", object_id=str(project.pk)).count() == 4


def test_project_pages(ent, project):
    assert_matrix("/facilities/projects/", api=False, allowed=[ent.officer_a, ent.group_liaison, ent.group_auditor])
    assert_matrix(f"/facilities/projects/{project.pk}/", api=False, out_of_scope=[ent.officer_b, ent.outsider],
                  allowed=[ent.officer_a, ent.group_liaison])  # fmt: skip
    assert_matrix("/facilities/projects/new/", api=False, forbidden=[ent.group_auditor], allowed=[ent.officer_a])
    c = _client(ent.officer_a)
    listing = c.get("/facilities/projects/").content.decode()
    assert project.name in listing
    assert project.name not in _client(ent.officer_b).get("/facilities/projects/").content.decode()
    r = c.post(f"/facilities/projects/{project.pk}/operate/", {"override_reason": ""})
    assert (r.status_code == 400 and "EIA" in r.content.decode()) or "环评" in r.content.decode()
    r = c.post(f"/facilities/projects/{project.pk}/steps/", {"kind": "eia", "done_on": day(-30).isoformat(), "reference": "批复"})
    assert r.status_code == 302 and project.steps.count() == 1
    assert_matrix(f"/facilities/projects/{project.pk}/steps/", method="post", api=False,
                  data={"kind": "design", "done_on": day(-2).isoformat(), "reference": "设计"},
                  out_of_scope=[ent.officer_b], forbidden=[ent.group_auditor], allowed=[ent.group_liaison], ok=302)  # fmt: skip
