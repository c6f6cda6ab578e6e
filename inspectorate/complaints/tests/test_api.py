from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from inspectorate.complaints import actions
from inspectorate.complaints.models import Complaint
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .conftest import at, bulk_cases, flow_to_dispatch, submit

pytestmark = pytest.mark.django_db

BODY = {
    "campaign": "hn-2-yueyang",
    "channel": "phone",
    "text": "平江县某化工厂偷排废水，河水发黑",
    "received_at": at(3).isoformat(),
    "address": "岳阳市平江县",
    "reporter_name": "李四",
    "reporter_phone": "13800001111",
}


def _client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_create_with_idempotency_key(world):
    client = _client(world.inspector)
    r1 = client.post("/api/v1/complaints/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert r1.status_code == 201, r1.content
    data = r1.json()
    assert set(data) >= {"id", "receipt_code", "jurisdiction", "pollution_types", "similar"}
    assert data["reporter_name"] == "李*" and data["reporter_phone"] == "138****1111"
    r2 = client.post("/api/v1/complaints/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert r2.status_code == 201 and r2.json()["id"] == data["id"]
    assert Complaint.objects.count() == 1
    r3 = client.post(
        "/api/v1/complaints/", {**BODY, "text": "完全不同的投诉：噪声扰民"}, format="json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert r3.status_code == 422
    assert "Idempotency-Key" in r3.json()["detail"]
    assert Complaint.objects.count() == 1
    # Another user may use the same key for their own request.
    r4 = _client(world.team_leader).post("/api/v1/complaints/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert r4.status_code == 201 and r4.json()["id"] != data["id"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"lat": 200, "lon": 1}, "lat"),
        ({"address": ""}, "address"),
        ({"channel": "fax"}, "channel"),
        ({"type_hints": ["magma"]}, "type_hints"),
    ],
)
def test_create_bad_input(world, patch, field):
    r = _client(world.inspector).post("/api/v1/complaints/", {**BODY, **patch}, format="json")
    assert r.status_code == 400
    assert field in r.json()
    assert Complaint.objects.count() == 0


def test_create_malformed_json(world):
    r = _client(world.inspector).post("/api/v1/complaints/", "{not json", content_type="application/json")
    assert r.status_code == 400


def test_matrix_complaint_endpoints(world):
    w = world
    assert_matrix("/api/v1/complaints/", allowed=[w.inspector, w.team_leader, w.admin], forbidden=[w.liaison_a, w.auditor])
    assert_matrix(
        "/api/v1/complaints/",
        method="post",
        data={**BODY, "text": "矩阵测试：污水直排"},
        allowed=[w.inspector],
        forbidden=[w.liaison_a, w.handler_a, w.liaison_b],  # no intake role anywhere: 403 before the body is read
    )
    c = submit(world)
    url = f"/api/v1/complaints/{c.pk}/"
    assert_matrix(url, allowed=[w.inspector, w.team_leader], out_of_scope=[w.liaison_a, w.liaison_b, w.handler_a, w.auditor])
    r = assert_matrix(
        url + "reveal-reporter/", method="post", data={"reason": "回访"}, allowed=[w.inspector], out_of_scope=[w.liaison_a]
    )
    assert r[0].json()["reporter_phone"] == "13912345678"
    assert_matrix(
        url + "classify/",
        method="post",
        data={"pollution_types": ["water"], "sector": "industry"},
        allowed=[w.inspector],
        out_of_scope=[w.handler_a],
    )
    r = assert_matrix(url + "accept/", method="post", data={"is_key": True}, allowed=[w.inspector], out_of_scope=[w.liaison_a])
    case_id = r[0].json()["id"]
    other = submit(world, text="另一件：平江县某化工厂偷排废水，河水发黑")
    assert_matrix(
        f"/api/v1/complaints/{other.pk}/merge/",
        method="post",
        data={"into": case_id, "reason": "重复"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
    )
    assert_matrix(
        f"/api/v1/complaints/{other.pk}/unmerge/",
        method="post",
        data={"reason": "不同"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
    )
    assert_matrix(
        f"/api/v1/complaints/{other.pk}/invalid/",
        method="post",
        data={"reason": "无效"},
        allowed=[w.team_leader],
        out_of_scope=[w.handler_a],
    )
    assert_matrix(
        f"/api/v1/complaints/{other.pk}/route/",
        method="post",
        data={"unit": str(w.county_a.pk)},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_a],
    )


def test_matrix_case_and_batch_endpoints(world):
    w = world
    _c, case, batch = flow_to_dispatch(world)
    cu = f"/api/v1/cases/{case.pk}/"
    assert_matrix(cu, allowed=[w.inspector, w.liaison_a, w.handler_a, w.auditor], out_of_scope=[w.liaison_b, w.outsider])
    assert_matrix(cu + "results/", allowed=[w.inspector, w.handler_a], out_of_scope=[w.liaison_b])
    assert_matrix(
        cu + "dispatch/",
        method="post",
        data={"unit": str(w.county_a.pk)},
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.inspector, w.handler_a],
    )
    reply = {
        "summary": "经查属实",
        "verdict": "true",
        "status": "closed",
        "ordered_to_rectify": 1,
        "penalties": [{"enterprise_name": "某公司", "amount": "5000.50"}],
    }
    r = assert_matrix(
        cu + "reply/",
        method="post",
        data=reply,
        allowed=[w.handler_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.inspector, w.liaison_a, w.auditor],
    )
    assert r[0].json()["penalties"][0]["amount"] == "5000.50"
    assert_matrix(
        cu + "review/",
        method="post",
        data={"decision": "accept"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a, w.liaison_a],
    )
    bu = f"/api/v1/batches/{batch.pk}/"
    assert_matrix(bu, allowed=[w.inspector, w.liaison_a, w.handler_a], out_of_scope=[w.liaison_b])
    assert_matrix(bu + "notices/", allowed=[w.liaison_a, w.team_leader], out_of_scope=[w.liaison_b])
    r = assert_matrix(bu + f"notice/?unit={w.city_a.code}&kind=docx", allowed=[w.liaison_a], out_of_scope=[w.liaison_b])
    assert r[0]["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_matrix(bu + "acknowledge/", method="post", allowed=[w.liaison_a], out_of_scope=[w.liaison_b], forbidden=[w.inspector])
    assert_matrix(
        bu + "approve/",
        method="post",
        allowed=[w.team_leader],
        out_of_scope=[w.liaison_b],
        forbidden=[w.inspector, w.liaison_a, w.handler_a],
    )
    assert_matrix(bu + "publish/", method="post", allowed=[w.liaison_a], out_of_scope=[w.liaison_b], forbidden=[w.handler_a])
    assert_matrix(bu + "disclosures/", allowed=[w.liaison_a], out_of_scope=[w.liaison_b])
    assert_matrix(bu + "transfer/", method="post", allowed=[], out_of_scope=[w.liaison_b], forbidden=[w.inspector, w.liaison_a])


def test_matrix_close_day_split_and_bulletin(world):
    w = world
    c = submit(world)
    case = actions.accept_complaint(c, actor=w.inspector)
    assert_matrix(
        f"/api/v1/cases/{case.pk}/split/",
        method="post",
        data={"units": [str(w.county_a.pk)]},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
    )
    assert_matrix(f"/api/v1/cases/{case.pk}/key/", method="post", data={"is_key": True}, allowed=[w.team_leader])
    assert_matrix(
        "/api/v1/batches/close-day/",
        method="post",
        data={"campaign": "hn-2-yueyang", "day": at(3).date().isoformat()},
        allowed=[w.inspector],
        forbidden=[w.liaison_a],
    )
    url = f"/api/v1/reports/bulletin/?campaign=hn-2-yueyang&as_of={today()}"
    r = assert_matrix(url, allowed=[w.inspector, w.liaison_a, w.auditor], out_of_scope=[w.liaison_b, w.outsider])
    assert set(r[0].json()) == {
        "received",
        "valid",
        "transferred",
        "closed",
        "staged_closed",
        "open",
        "ordered_to_rectify",
        "penalised_enterprises",
        "fines_yuan",
        "criminal_cases",
        "detained",
        "interviewed",
        "held_accountable",
    }
    client = _client(w.inspector)
    assert client.get("/api/v1/reports/bulletin/?campaign=hn-2-yueyang&as_of=yesterday").status_code == 400
    assert client.get(f"/api/v1/reports/bulletin/?campaign=hn-2-yueyang&as_of={today()}&batch=99").status_code == 404
    r = client.get(f"/api/v1/reports/bulletin/?campaign=hn-2-yueyang&as_of={today()}&region={w.county_a.code}")
    assert r.status_code == 200 and r.json()["received"] == 1


def test_reply_with_evidence_upload(world):
    _c, case, _b = flow_to_dispatch(world)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(world.handler_a)
    data = {
        "summary": "经查部分属实",
        "verdict": "partly_true",
        "status": "staged_closed",
        "next_step_date": at(40).date().isoformat(),
        "penalties": json.dumps([]),
        "evidence": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 jpeg"),
    }
    r = client.post(f"/api/v1/cases/{case.pk}/reply/", data, format="multipart")
    assert r.status_code == 201, r.content
    import hashlib

    assert r.json()["evidence"][0]["sha256"] == hashlib.sha256(b"\xff\xd8\xff\xe0 jpeg").hexdigest()


def test_list_query_ceilings(world, django_assert_max_num_queries):
    from inspectorate.complaints.models import TransferBatch

    batch = TransferBatch.objects.create(campaign=world.campaign, number=1, intake_day=at(3).date(), status="transferred")
    bulk_cases(world, 40, batch=batch)
    for user, url in [
        (world.inspector, "/api/v1/complaints/"),
        (world.inspector, "/api/v1/cases/"),
        (world.liaison_a, "/api/v1/cases/"),
        (world.liaison_a, "/api/v1/batches/"),
    ]:
        client = _client(user)
        with django_assert_max_num_queries(12):
            r = client.get(url)
        assert r.status_code == 200
        assert r.json()["count"] >= 1
