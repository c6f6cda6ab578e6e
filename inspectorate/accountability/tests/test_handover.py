"""The feedback handover pack: generated from the data as docx, archived with its sha256, opened and checked;
only the team and the discipline body reach it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.test import Client
from django.utils import timezone

from inspectorate.accountability import actions
from inspectorate.accountability.models import HandoverPack
from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.models import Case
from inspectorate.rectification.models import Feedback, Problem
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

URL = "/api/v1/accountability-issues/handover-pack/"


def _data(acc):
    w = acc.w
    Feedback.objects.create(
        campaign=w.campaign, target=w.city_a, date=today(), document_no="湘督反馈〔2026〕2号", summary="反馈意见摘要"
    )
    Problem.objects.create(campaign=w.campaign, number="1", title="黑臭水体整治不力", unit=w.county_a)
    Case.objects.create(
        campaign=w.campaign, number="D2HN000077", channel="phone", summary="养殖场直排", lead_unit=w.county_a,
        region=w.county_a, intake_day=today() - dt.timedelta(days=3), status="dispatched", transferred_at=timezone.now(),
    )  # fmt: skip
    actions.create_issue(
        actor=w.team_leader, campaign=w.campaign, title="监管失职问题", facts="长期未查处", responsible_units=[w.county_a],
        suggested_people="建议追责：某局长",
    )  # fmt: skip


def test_pack_is_generated_archived_and_checked(acc):
    from docx import Document

    _data(acc)
    r = acc.api(acc.w.team_leader).post(URL, {"campaign": str(acc.w.campaign.pk)}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    pack = HandoverPack.objects.get(pk=body["id"])
    assert (body["issues"], body["cases"]) == (1, 1)
    c = Client()
    c.force_login(acc.discipline)
    f = c.get(body["download"])
    assert f.status_code == 200
    data = b"".join(f.streaming_content)
    assert hashlib.sha256(data).hexdigest() == pack.sha256 == body["sha256"] and len(data) == pack.size
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "湘督反馈〔2026〕2号" in cells and "黑臭水体整治不力" in cells
    assert "监管失职问题" in cells and "建议追责：某局长" in cells and "D2HN000077" in cells
    assert len(doc.tables) == 4 and text
    assert AuditEvent.objects.filter(verb="handover_pack.create", object_id=str(pack.pk)).count() == 1
    # a second pack is a new version; the first is kept
    acc.api(acc.w.team_leader).post(URL, {"campaign": str(acc.w.campaign.pk)}, format="json")
    assert HandoverPack.objects.count() == 2


def test_tampered_file_is_refused(acc):
    _data(acc)
    body = acc.api(acc.w.team_leader).post(URL, {"campaign": str(acc.w.campaign.pk)}, format="json").json()
    pack = HandoverPack.objects.get(pk=body["id"])
    with pack.file.open("wb") as fh:
        fh.write(b"changed")
    c = Client()
    c.force_login(acc.w.team_leader)
    assert c.get(body["download"]).status_code == 403


def test_matrix(acc):
    w = acc.w
    _data(acc)
    assert_matrix(
        URL,
        method="post",
        data={"campaign": str(w.campaign.pk)},
        forbidden=[w.inspector],
        allowed=[w.team_leader],
        ok=201,
    )
    for user in (w.liaison_a, acc.discipline):  # the campaign is out of their reach as a team: a bad reference or 403
        assert acc.api(user).post(URL, {"campaign": str(w.campaign.pk)}, format="json").status_code in (400, 403)
    pack = HandoverPack.objects.get()
    assert_matrix(
        f"/accountability/handover-packs/{pack.pk}/",
        api=False,
        allowed=[w.team_leader, w.inspector, acc.discipline],
        out_of_scope=[w.liaison_a, w.liaison_b, acc.discipline_b, w.outsider],
    )
