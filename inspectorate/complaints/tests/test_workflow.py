from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.complaints import actions
from inspectorate.complaints.models import CaseStatus, ComplaintStatus, DisclosureTable, Rating, TransferNotice
from inspectorate.testing.clock import today, ymd

from .conftest import at, submit

pytestmark = pytest.mark.django_db


def _flow(world):
    a = submit(world)
    dup = submit(world, text="平江县化工厂晚上偷偷排放废水，河里的水都黑了", channel="web", actor=None)
    junk = submit(world, text="咨询社保缴费的问题，与环境无关", address="岳阳市")
    case = actions.accept_complaint(a, actor=world.inspector, is_key=True)
    actions.merge_complaint(dup, actor=world.inspector, into=case, reason="same site")
    actions.mark_invalid(junk, actor=world.inspector, reason="not environmental")
    batch = actions.close_intake_day(world.campaign, a.intake_day, actor=world.inspector)
    actions.transfer_batch(batch, actor=world.team_leader, at=at(4, 9))
    return a, dup, junk, case, batch


def test_full_flow(world):
    a, dup, _junk, case, batch = _flow(world)
    case.refresh_from_db()
    assert case.number == f"D2HN{ymd(at(3).date())}0001"
    assert case.status == CaseStatus.TRANSFERRED
    assert case.due_date == at(4).date() + dt.timedelta(days=7)  # provincial: 7 calendar days from transfer
    assert case.lead_unit == world.city_a
    assert case.region == world.county_a
    assert "王小明" not in case.summary and "13912345678" not in case.summary
    dup.refresh_from_db()
    assert dup.status == ComplaintStatus.DUPLICATE and dup.case == case
    notice = TransferNotice.objects.get(batch=batch)
    assert notice.unit == world.city_a and notice.key_count == 1
    with pytest.raises(PermissionDenied):
        actions.acknowledge_batch(batch, actor=world.liaison_b)
    actions.acknowledge_batch(batch, actor=world.liaison_a)
    actions.dispatch_case(case, actor=world.liaison_a, unit=world.county_a)
    with pytest.raises(ValidationError):
        actions.reply_case(case, actor=world.handler_a, summary="查实", verdict="true", status="open")
    actions.reply_case(
        case,
        actor=world.handler_a,
        summary="经查，该公司存在偷排行为。",
        verdict="true",
        status="closed",
        measures="责令停产整改，罚款10万元。",
        ordered_to_rectify=1,
        cases_filed=1,
        penalties=[{"enterprise_name": "平江县某化工有限公司", "amount": "100000"}],
        evidence=[("report.pdf", b"%PDF-1.4 evidence")],
    )
    with pytest.raises(ValidationError):
        actions.review_case(case, actor=world.inspector, accept=False, reason="")
    actions.review_case(case, actor=world.inspector, accept=False, reason="证据不足")
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    r2 = actions.reply_case(
        case,
        actor=world.handler_a,
        summary="补充现场照片",
        verdict="true",
        status="closed",
        ordered_to_rectify=1,
        penalties=[{"enterprise_name": "平江县某化工有限公司", "amount": "100000.00"}],
    )
    assert r2.version == 2
    actions.review_case(case, actor=world.inspector, accept=True)
    table = actions.publish_batch(batch, actor=world.team_leader)
    assert table.status == DisclosureTable.Status.PUBLISHED
    assert table.rows[0]["verdict"] == "true"
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED
    # Complainant rating: "not satisfied" opens a review, it does not reopen the case.
    rating = actions.rate_result(a, score=Rating.Score.NOT_SATISFIED, comment="还在排")
    case.refresh_from_db()
    assert rating.review_open and case.under_review and case.status == CaseStatus.PUBLISHED
    actions.close_rating_review(rating, actor=world.inspector, outcome="回访核实，已停产")
    case.refresh_from_db()
    assert not case.under_review

    from inspectorate.complaints.bulletin import bulletin

    fig = bulletin([world.campaign], today())
    assert fig["received"] == 3 and fig["valid"] == 2 and fig["transferred"] == 1 and fig["closed"] == 1
    assert fig["penalised_enterprises"] == 1 and fig["fines_yuan"] == Decimal("100000.00")
    early = bulletin([world.campaign], at(3).date())
    assert early["transferred"] == 0 and early["received"] == 3


def test_unmerge_and_split_and_joint(world):
    a = submit(world)
    b = submit(world, text="平江县某化工厂夜间偷排废水，河水发黑发臭，汨罗江也受影响")
    case_a = actions.accept_complaint(a, actor=world.inspector)
    case_b = actions.accept_complaint(b, actor=world.inspector)
    actions.merge_complaint(b, actor=world.inspector, into=case_a, reason="同一企业")
    case_b.refresh_from_db()
    assert case_b.status == CaseStatus.MERGED and case_b.merged_into == case_a
    actions.unmerge_complaint(b, actor=world.inspector, reason="不同排口")
    case_b.refresh_from_db()
    b.refresh_from_db()
    assert case_b.status == CaseStatus.REGISTERED and b.case == case_b and b.status == ComplaintStatus.ACCEPTED
    parts = actions.split_case(case_a, actor=world.inspector, units=[world.county_a, world.city_a], reason="两地")
    assert len(parts) == 1 and parts[0].split_from == case_a
    actions.set_joint(case_b, actor=world.inspector, lead_unit=world.city_a, co_units=[world.county_a])
    case_b.refresh_from_db()
    assert case_b.is_joint
    with pytest.raises(PermissionDenied):
        actions.split_case(case_a, actor=world.liaison_a, units=[world.county_a])


def test_transfer_notice_contents(world):
    import io
    import zipfile

    from openpyxl import load_workbook

    from inspectorate.complaints.notices import notice_docx, notice_xlsx

    _a, _dup, _junk, case, batch = _flow(world)
    case.refresh_from_db()
    wb = load_workbook(io.BytesIO(notice_xlsx(batch, world.city_a)))
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert case.number in cells and "*" in cells and case.due_date.isoformat() in cells
    docx = zipfile.ZipFile(io.BytesIO(notice_docx(batch, world.city_a))).read("word/document.xml").decode()
    assert case.number in docx and "重点件1件" in docx


def test_case_file_zip_with_manifest(world):
    import hashlib
    import io
    import json
    import zipfile

    from django.test import Client

    from .conftest import flow_to_dispatch

    _c, case, _b = flow_to_dispatch(world)
    actions.reply_case(case, actor=world.handler_a, summary="查实", verdict="true", status="closed",
                       evidence=[("监测报告.pdf", b"%PDF-1.4 monitoring")])  # fmt: skip
    client = Client()
    client.force_login(world.liaison_a)
    r = client.get(f"/complaints/cases/{case.pk}/file.zip")
    assert r.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(r.content))
    doc = json.loads(z.read("case.json"))
    assert doc["number"] == case.number and doc["results"][0]["verdict"] == "true"
    sums = z.read("SHA256SUMS").decode()
    assert hashlib.sha256(b"%PDF-1.4 monitoring").hexdigest() in sums and "MISMATCH" not in sums
    client.force_login(world.liaison_b)
    assert client.get(f"/complaints/cases/{case.pk}/file.zip").status_code == 404


def test_not_satisfied_review_can_reopen(world):
    from .conftest import flow_to_dispatch

    c, case, batch = flow_to_dispatch(world)
    actions.reply_case(case, actor=world.handler_a, summary="查实", verdict="true", status="closed")
    actions.review_case(case, actor=world.inspector, accept=True)
    actions.publish_batch(batch, actor=world.team_leader)
    rating = actions.rate_result(c, score="not_satisfied", comment="仍在偷排")
    with pytest.raises(PermissionDenied):
        actions.close_rating_review(rating, actor=world.handler_a, outcome="x", reopen=True)
    actions.close_rating_review(rating, actor=world.inspector, outcome="回访发现仍在偷排，重新办理", reopen=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED and case.due_rule.startswith("reopened")
    r = actions.reply_case(case, actor=world.handler_a, summary="再次查处", verdict="true", status="closed")
    assert r.version == 2
