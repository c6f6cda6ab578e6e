from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints import actions
from inspectorate.complaints.models import CaseStatus, Complaint
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .conftest import at, bulk_cases, flow_to_dispatch, submit

pytestmark = pytest.mark.django_db


def test_page_matrix(world):
    w = world
    c, case, batch = flow_to_dispatch(world)
    other = submit(world, text="页面矩阵：平江县某化工厂偷排废水")
    P = {"api": False}
    assert_matrix("/complaints/", allowed=[w.inspector, w.team_leader], forbidden=[w.liaison_a, w.handler_a], **P)
    assert_matrix("/complaints/new/", allowed=[w.inspector], forbidden=[w.liaison_a, w.auditor], **P)
    assert_matrix("/complaints/import/", allowed=[w.inspector], forbidden=[w.liaison_a], **P)
    assert_matrix(f"/complaints/{c.pk}/", allowed=[w.inspector], out_of_scope=[w.liaison_a, w.handler_a, w.liaison_b], **P)
    r = assert_matrix(
        f"/complaints/{other.pk}/reveal/",
        method="post",
        data={"reason": "x"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_a],
        **P,
    )
    assert "13912345678" in r[0].content.decode()
    assert AuditEvent.objects.filter(verb="complaint.reveal_reporter", object_id=str(other.pk)).count() == 1
    assert_matrix(
        f"/complaints/{other.pk}/invalid/",
        method="post",
        data={"reason": "无效"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_a],
        ok=302,
        **P,
    )
    assert_matrix("/complaints/cases/", allowed=[w.inspector, w.liaison_a, w.handler_a, w.auditor], **P)
    assert_matrix(
        f"/complaints/cases/{case.pk}/",
        allowed=[w.inspector, w.liaison_a, w.handler_a],
        out_of_scope=[w.liaison_b, w.outsider],
        **P,
    )
    assert_matrix(
        f"/complaints/cases/{case.pk}/reply/",
        method="post",
        data={
            "summary": "查实",
            "verdict": "true",
            "status": "closed",
            "ordered_to_rectify": 0,
            "cases_filed": 0,
            "criminal_cases": 0,
            "detained_administrative": 0,
            "detained_criminal": 0,
            "interviewed": 0,
            "held_accountable": 0,
        },
        allowed=[w.handler_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a, w.inspector],
        ok=302,
        **P,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    assert_matrix(
        f"/complaints/cases/{case.pk}/review/",
        method="post",
        data={"decision": "accept"},
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a],
        ok=302,
        **P,
    )
    assert_matrix("/complaints/batches/", allowed=[w.inspector, w.liaison_a], **P)
    bu = f"/complaints/batches/{batch.pk}/"
    assert_matrix(bu, allowed=[w.inspector, w.liaison_a, w.handler_a], out_of_scope=[w.liaison_b], **P)
    assert_matrix(bu + f"notice/{w.city_a.pk}.xlsx", allowed=[w.liaison_a, w.team_leader], out_of_scope=[w.liaison_b], **P)
    assert_matrix(
        bu + "acknowledge/",
        method="post",
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.inspector],
        ok=302,
        **P,
    )
    assert_matrix(
        bu + "approve/", method="post", allowed=[w.team_leader], out_of_scope=[w.liaison_b], forbidden=[w.liaison_a], ok=302, **P
    )
    assert_matrix(
        f"/complaints/bulletin/?campaign=hn-2-yueyang&as_of={today()}", allowed=[w.inspector, w.liaison_a, w.auditor], **P
    )
    assert_matrix(
        "/complaints/batches/close/",
        method="post",
        data={"campaign": "hn-2-yueyang", "day": today().isoformat()},
        allowed=[w.inspector],
        forbidden=[w.liaison_a],
        ok=302,
        **P,
    )


def test_staff_entry_with_channel_fields(world):
    client = Client()
    client.force_login(world.inspector)
    r = client.post(
        "/complaints/new/",
        {
            "campaign": "hn-2-yueyang",
            "channel": "letter",
            "received_at": at(5).strftime("%Y-%m-%dT%H:%M"),
            "text": "来信反映汨罗江边有人倾倒垃圾",
            "address": "岳阳市平江县",
            "postmark": at(4).date().isoformat(),
            "reporter_name": "王五",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    c = Complaint.objects.get()
    assert c.channel_details == {"postmark": at(4).date().isoformat()}
    assert c.operator == world.inspector
    page = client.get(f"/complaints/{c.pk}/").content.decode()
    assert "王*" in page and "王五" not in page


def test_screening_buttons(world):
    client = Client()
    client.force_login(world.inspector)
    a = submit(world)
    r = client.post(f"/complaints/{a.pk}/accept/", {"is_key": "on"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.case.is_key
    b = submit(world, text="同一问题的重复举报，平江县某化工厂偷排废水")
    client.post(f"/complaints/{b.pk}/merge/", {"into": a.case.number, "reason": "重复"})
    b.refresh_from_db()
    assert b.status == "duplicate"
    client.post(f"/complaints/{b.pk}/unmerge/", {"reason": "其实不同"})
    b.refresh_from_db()
    assert b.status == "screened"
    r = client.post(f"/complaints/{b.pk}/classify/", {"pollution_types": ["water", "soil"], "sector": "industry"})
    b.refresh_from_db()
    assert b.pollution_types == ["soil", "water"] and b.types_confirmed


def test_page_query_ceilings(world, django_assert_max_num_queries):
    from inspectorate.complaints.models import TransferBatch

    batch = TransferBatch.objects.create(campaign=world.campaign, number=1, intake_day=at(3).date(), status="transferred")
    bulk_cases(world, 40, batch=batch)
    client = Client()
    client.force_login(world.team_leader)
    for url in ["/complaints/", "/complaints/cases/", f"/complaints/batches/{batch.pk}/", "/complaints/batches/"]:
        with django_assert_max_num_queries(25):
            r = client.get(url)
        assert r.status_code == 200


def test_disclosure_versions_are_frozen(world):
    _c, case, batch = flow_to_dispatch(world)
    actions.reply_case(
        case,
        actor=world.handler_a,
        summary="一期处理",
        verdict="partly_true",
        status="staged_closed",
        next_step_date=at(30).date(),
    )
    actions.review_case(case, actor=world.inspector, accept=True)
    v1 = actions.publish_batch(batch, actor=world.team_leader)
    case.refresh_from_db()
    actions.reply_case(case, actor=world.handler_a, summary="全部完成", verdict="partly_true", status="closed")
    actions.review_case(case, actor=world.inspector, accept=True)
    v2 = actions.publish_batch(batch, actor=world.team_leader)
    v1.refresh_from_db()
    assert v1.rows[0]["status"] == "staged_closed" and v2.rows[0]["status"] == "closed"
    assert v2.version == 2 and v2.supersedes == v1
