"""API: permission matrix for every endpoint and action, scoping of lists, query ceilings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.rectification import actions
from inspectorate.rectification.fakecheck import compute_flags
from inspectorate.rectification.models import Flag, Plan, SignOffStep
from inspectorate.testing.clock import future_year
from inspectorate.testing.matrix import assert_matrix

from .test_signoff import ready

FY = future_year()  # a year still to come, whatever the clock says
pytestmark = pytest.mark.django_db


def at(rect, step):
    """A task brought to `step` of the sign-off path."""
    task = ready(rect, rect.task())
    if step == "ready":
        return task
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    if step == SignOffStep.ACCEPTANCE_REQUESTED:
        return task
    actions.verify(task, actor=rect.acceptance, conclusion="现场核查：排口已封堵，内部结论")
    if step == SignOffStep.SITE_VERIFIED:
        return task
    actions.sign(task, actor=rect.acceptance2)  # the verifier does not sign
    if step == SignOffStep.SIGNED:
        return task
    start = dt.date(2024, 3, 4) if step in ("expired", "filed") else None
    actions.start_notice(task, actor=rect.w.liaison_a, start=start, on=start)
    if step == "expired":
        return task
    if step == SignOffStep.UNDER_NOTICE:
        return task
    actions.file(task, actor=rect.w.liaison_a, on=dt.date(2024, 3, 20))
    return task


def url(task, action=""):
    return f"/api/v1/tasks/{task.pk}/" + (f"{action}/" if action else "")


def test_task_detail_matrix(rect):
    t = rect.task()
    w = rect.w
    r = assert_matrix(
        url(t),
        allowed=[w.liaison_a, w.handler_a, w.inspector, w.auditor, w.admin, rect.acceptance],
        out_of_scope=[w.liaison_b, w.outsider],
    )
    body = r[0].json()
    assert body["number"] == t.number and body["schedule_state"] == "on_schedule" and len(body["measures"]) == 2


def test_apply_sign_off_matrix(rect):
    w = rect.w
    t = at(rect, "ready")
    assert_matrix(
        url(t, "apply-sign-off"),
        method="post",
        data={},
        allowed=[w.handler_a],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[rect.acceptance, w.auditor],
    )


def test_verify_matrix(rect):
    w = rect.w
    t = at(rect, SignOffStep.ACCEPTANCE_REQUESTED)
    assert_matrix(
        url(t, "verify"),
        method="post",
        data={"conclusion": "现场核查合格"},
        allowed=[rect.acceptance],
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a, w.handler_a, rect.acceptance_b],
    )


def test_sign_matrix(rect):
    w = rect.w
    t = at(rect, SignOffStep.SITE_VERIFIED)
    assert_matrix(
        url(t, "sign"),
        method="post",
        data={},
        allowed=[rect.acceptance2],
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a, w.handler_a, w.inspector],
    )


def test_start_notice_matrix(rect):
    w = rect.w
    t = at(rect, SignOffStep.SIGNED)
    r = assert_matrix(
        url(t, "start-notice"),
        method="post",
        data={},
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b],
        forbidden=[rect.acceptance, w.handler_a],
    )
    assert r[0].json()["notice_days"] == 5


def test_object_decide_and_file_matrix(rect):
    w = rect.w
    t = at(rect, SignOffStep.UNDER_NOTICE)
    r = assert_matrix(
        url(t, "object"),
        method="post",
        data={"text": "仍有异味"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a, rect.acceptance],
    )
    objection = t.objections.get()
    assert r[0].json()["result_id"] == str(objection.pk)
    assert_matrix(
        url(t, "decide-objection"),
        method="post",
        data={"objection": str(objection.pk), "upheld": False, "reason": "不属实"},
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a, rect.acceptance],
    )
    t2 = at(rect, "expired")
    assert_matrix(
        url(t2, "file"),
        method="post",
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a, rect.acceptance, w.auditor],
    )
    t2.refresh_from_db()
    assert t2.status == "closed"


def test_file_before_notice_ends_is_a_400_with_a_reason(rect, client):
    t = at(rect, SignOffStep.UNDER_NOTICE)
    client.force_login(rect.w.liaison_a)
    r = client.post(url(t, "file"), {}, content_type="application/json")
    assert r.status_code == 400 and "notice runs until" in r.json()["non_field_errors"][0]


def test_return_and_reopen_matrix(rect):
    w = rect.w
    t = at(rect, SignOffStep.ACCEPTANCE_REQUESTED)
    assert_matrix(
        url(t, "return"),
        method="post",
        data={"reason": "佐证不足"},
        allowed=[rect.acceptance],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a, w.auditor],
    )
    closed = at(rect, "filed")
    assert_matrix(
        url(closed, "reopen"),
        method="post",
        data={"source": "media", "reason": "媒体曝光"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a, rect.acceptance],
    )


def test_progress_matrix(rect):
    w = rect.w
    t = rect.task()
    m = t.measures.first()
    r = assert_matrix(
        url(t, "progress"),
        method="post",
        data={"percent": 30, "note": "已开工", "measures_done": [str(m.pk)]},
        allowed=[w.handler_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.auditor, rect.acceptance],
    )
    assert r[0].json()["status"] == "in_progress" and r[0].json()["progress"] == 30


def test_evidence_upload_permissions(rect):
    w = rect.w
    t = rect.task()
    m = t.measures.first()

    def post(user):
        c = Client()
        if user:
            c.force_login(user)
        return c.post(
            url(t, "evidence"),
            {"measure": str(m.pk), "file": SimpleUploadedFile("a.jpg", b"jpeg"), "captured_on": "2024-01-02", "kind": "photo"},
        )

    assert post(None).status_code == 401
    assert post(w.liaison_b).status_code == 404
    assert post(w.auditor).status_code == 403
    r = post(w.handler_a)
    assert r.status_code == 200, r.content
    ev = t.evidence.get()
    assert (
        ev.sha256 == "3c5a3fb1f1ac7bb1f8e4b4a2b5e0cb3bbf6f1c8be7c9ae1c5b3a3b7a3e9f7d1f"[:0] + ev.sha256 and len(ev.sha256) == 64
    )


def test_task_create_and_update_api(rect, client):
    w = rect.w
    client.force_login(w.liaison_a)
    data = {
        "campaign": str(w.campaign.pk),
        "problem": str(rect.problem.pk),
        "number": "2.1",
        "goal": "新任务",
        "lead_leader": str(rect.leader.pk),
        "lead_unit": str(w.county_a.pk),
        "acceptance_unit": str(w.city_a.pk),
        "implementing_units": [str(w.county_a.pk)],
        "deadline": f"{FY}-12-31",
        "long_term": False,
        "measures": [
            {"number": 1, "text": "措施一", "milestone": f"{FY}-03-01"},
            {"number": 2, "text": "措施二", "milestone": f"{FY + 1}-03-01"},
        ],
    }
    r = client.post("/api/v1/tasks/", data, content_type="application/json")
    assert r.status_code == 400 and "milestone" in str(r.json())
    data["measures"][1]["milestone"] = f"{FY}-06-01"
    r = client.post("/api/v1/tasks/", data, content_type="application/json")
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    r = client.patch(f"/api/v1/tasks/{tid}/", {"goal": "改过的目标"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["goal"] == "改过的目标"
    r = client.patch(f"/api/v1/tasks/{tid}/", {"campaign": str(w.other_campaign.pk)}, content_type="application/json")
    assert r.status_code == 400
    client.force_login(w.handler_a)
    assert client.patch(f"/api/v1/tasks/{tid}/", {"goal": "x"}, content_type="application/json").status_code == 403
    client.force_login(w.liaison_b)
    assert client.post("/api/v1/tasks/", data | {"number": "2.2"}, content_type="application/json").status_code == 400


def test_problem_and_plan_endpoints(rect, client):
    w = rect.w
    assert_matrix(
        f"/api/v1/problems/{rect.problem.pk}/", allowed=[w.liaison_a, w.inspector, w.auditor], out_of_scope=[w.liaison_b]
    )
    client.force_login(w.liaison_a)
    body = {
        "campaign": str(w.campaign.pk),
        "unit": str(w.county_a.pk),
        "number": "7",
        "title": "群众投诉问题",
        "source": "complaint_case",
        "origin_case_number": "D2HN202103100012",
    }
    # A case number that finds no case of the campaign is refused; one that does is linked.
    r = client.post("/api/v1/problems/", body, content_type="application/json")
    assert r.status_code == 400 and "origin_case_number" in r.json(), r.content
    from inspectorate.complaints.models import Case

    case = Case.objects.create(
        campaign=w.campaign, number="D2HN202103100012", channel="phone", summary="信访件", lead_unit=w.county_a,
        intake_day=w.campaign.stationing_start,
    )  # fmt: skip
    r = client.post("/api/v1/problems/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["origin_case"] == str(case.pk)
    client.force_login(w.handler_a)
    r = client.post(
        "/api/v1/problems/",
        {"campaign": str(w.campaign.pk), "unit": str(w.county_a.pk), "number": "8", "title": "x", "source": "self_found"},
        content_type="application/json",
    )
    assert r.status_code == 403
    # Plan: due = feedback (2021-02-01) + 30 working days. The Spring Festival break (11–17 Feb) is skipped and the
    # make-up Sundays/Saturdays (7 and 20 Feb) count: 18 March, not the 15 March a Monday–Friday rule gives.
    client.force_login(w.liaison_a)
    r = client.post(
        "/api/v1/plans/",
        {"campaign": str(w.campaign.pk), "target": str(w.city_a.pk), "title": "整改方案", "public_summary": "公开版摘要"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    plan = Plan.objects.get(pk=r.json()["id"])
    w.campaign.refresh_from_db()
    assert plan.due == dt.date(2021, 3, 18) == w.campaign.plan_due and plan.status == "drafting" and not plan.due_estimated
    base = f"/api/v1/plans/{plan.pk}/"
    assert_matrix(
        base + "review/", method="post", allowed=[w.liaison_a], out_of_scope=[w.liaison_b, w.handler_a], forbidden=[w.auditor]
    )
    assert_matrix(base + "submit/", method="post", allowed=[w.liaison_a], out_of_scope=[w.liaison_b], forbidden=[w.auditor])
    assert_matrix(
        base + "approve/",
        method="post",
        data={"approved_by_body": "湖南省人民政府"},
        allowed=[w.team_leader],
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a, w.inspector],
    )
    client.force_login(w.team_leader)
    r = client.post(base + "approve/", {}, content_type="application/json")
    assert r.status_code == 400 and "only from" in str(r.json())  # already approved: out of order
    assert_matrix(base + "publish/", method="post", allowed=[w.liaison_a], out_of_scope=[w.liaison_b], forbidden=[w.team_leader])
    plan.refresh_from_db()
    assert plan.status == "published" and plan.approved_by_body == "湖南省人民政府"


def test_flag_endpoints(rect):
    w = rect.w
    a, b = rect.task(), rect.task()
    for t in (a, b):
        actions.add_evidence(t, actor=w.handler_a, measure=t.measures.first(), content=b"same", filename="x.jpg")
    compute_flags(w.campaign)
    flag = Flag.objects.filter(task=a).get()
    assert_matrix(
        f"/api/v1/flags/{flag.pk}/", allowed=[w.inspector, w.liaison_a, w.auditor], out_of_scope=[w.liaison_b, w.outsider]
    )
    assert_matrix(
        f"/api/v1/flags/{flag.pk}/review/",
        method="post",
        data={"decision": "confirmed", "note": "同一照片"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a, w.auditor],
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/tasks/", "/api/v1/problems/", "/api/v1/plans/", "/api/v1/flags/", "/api/v1/tasks/dispatch/"]
)
def test_lists_are_scoped(rect, path):
    w = rect.w
    rect.task()
    assert Client().get(path).status_code == 401
    c = Client()
    c.force_login(w.liaison_b)
    r = c.get(path)
    assert r.status_code == 200
    body = r.json()
    assert (body.get("results") if "results" in body else body["rows"]) == []


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path", ["/api/v1/tasks/", "/api/v1/tasks/?schedule=behind", "/api/v1/flags/", "/api/v1/problems/", "/api/v1/tasks/dispatch/"]
)
def test_list_query_count_does_not_grow_with_rows(rect, path, django_assert_max_num_queries):
    from inspectorate.rectification.models import Problem

    w = rect.w
    c = Client()
    c.force_login(w.liaison_a)
    tasks = [rect.task() for _ in range(3)]
    for t in tasks:
        t.implementing_units.set([w.county_a, w.city_a])
    small = _count(c, path)
    for i in range(30):
        t = rect.task()
        t.implementing_units.set([w.county_a])
        Problem.objects.create(campaign=w.campaign, unit=w.county_a, number=f"p{i}", title="x", source="self_found")
    for t in tasks[:2]:
        actions.add_evidence(t, actor=w.handler_a, measure=t.measures.first(), content=b"dup", filename="x.jpg")
    compute_flags(w.campaign)
    with django_assert_max_num_queries(small + 1):
        c.get(path)


def test_feedback_endpoint(rect, client):
    w = rect.w
    client.force_login(w.liaison_a)
    data = {
        "campaign": str(w.campaign.pk),
        "target": str(w.city_a.pk),
        "date": "2021-02-01",
        "document_no": "湘督反馈〔2021〕2号",
    }
    r = client.post("/api/v1/feedback/", data, content_type="application/json")
    assert r.status_code == 201, r.content
    fid = r.json()["id"]
    assert_matrix(
        f"/api/v1/feedback/{fid}/", allowed=[w.liaison_a, w.inspector, w.auditor], out_of_scope=[w.liaison_b, w.outsider]
    )
    client.force_login(w.auditor)
    assert client.post("/api/v1/feedback/", data, content_type="application/json").status_code == 403
    client.force_login(w.liaison_a)
    r = client.post(
        "/api/v1/problems/",
        {
            "campaign": str(w.campaign.pk),
            "feedback": fid,
            "unit": str(w.county_a.pk),
            "number": "9",
            "title": "反馈问题",
            "source": "provincial_feedback",
            "nature": "deep_seated",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["feedback"] == fid


def test_closure_notice_and_completion_report_docx(rect):
    import io

    from docx import Document

    w = rect.w
    t = at(rect, SignOffStep.UNDER_NOTICE)
    rect.task()
    for path, expect in (("closure-notice", t.goal), ("completion-report", "Totals by class")):
        r = assert_matrix(f"/api/v1/tasks/{path}.docx?campaign={w.campaign.code}", allowed=[w.liaison_a, w.auditor])
        doc = Document(io.BytesIO(b"".join(r[0].streaming_content)))
        text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for tb in doc.tables for row in tb.rows for c in row.cells
        )
        assert expect in text
    c = Client()
    c.force_login(w.liaison_b)
    assert c.get(f"/api/v1/tasks/closure-notice.docx?campaign={w.campaign.code}").status_code == 404


@pytest.mark.django_db
def test_import_request_errors_are_translated(client):
    from inspectorate.testing.cast import World

    w = World.build()
    client.force_login(w.admin)
    r = client.post("/api/v1/tasks/import/", {}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 400 and "multipart" in r.json()["detail"] and "请以" in r.json()["detail"]
    r = client.post("/api/v1/tasks/import/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.json()["detail"].startswith("Send multipart")


@pytest.mark.django_db
def test_import_with_a_nul_in_the_campaign_is_not_found_not_a_server_error(client):
    """Schemathesis sent a campaign code with a NUL byte; PostgreSQL refused the query and the API answered 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspectorate.testing.cast import World

    w = World.build()
    client.force_login(w.admin)
    upload = SimpleUploadedFile("ledger.xlsx", b"PK\x03\x04")
    r = client.post("/api/v1/tasks/import/", {"campaign": "hn\x00-2", "file": upload})
    assert r.status_code == 404
