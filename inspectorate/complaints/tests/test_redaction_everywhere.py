"""Plant a reporter's identity in complaint texts, run each complaint through screening, transfer, reply and
publication, and prove that none of it shows on a public page, in an Open311 answer, in an export or notice,
or on the handling unit's case page before the audited reveal (issue 8, point 5)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints import actions
from inspectorate.complaints.models import Complaint
from inspectorate.testing.matrix import assert_matrix

from .identities import Identity, full_width, identities

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _open_intake(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    c = world.campaign
    if c.stationing_start != today - dt.timedelta(days=3):
        c.stationing_start, c.stationing_end = today - dt.timedelta(days=3), today + dt.timedelta(days=20)
        c.save()


def _docx_text(body: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(body))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    parts += [p.text for s in doc.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
    return "\n".join(parts)


def _xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def _text(resp) -> str:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, (resp.status_code, getattr(resp, "content", b"")[:300])
    body = b"".join(resp.streaming_content) if getattr(resp, "streaming", False) else resp.content
    ctype = resp.get("Content-Type", "")
    if ctype.startswith(DOCX):
        return _docx_text(body)
    if ctype.startswith(XLSX):
        return _xlsx_text(body)
    if ctype.startswith("application/zip"):
        z = zipfile.ZipFile(io.BytesIO(body))
        return "\n".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    text = body.decode("utf-8")
    if ctype.startswith("application/json"):  # compare the characters, not their \\u escapes
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _run_case(w, ident: Identity, reply_form: str):  # type: ignore[no-untyped-def]
    """One public complaint carrying `ident`, taken all the way to a published result; (complaint, case, batch, table)."""
    c = actions.submit_complaint(
        campaign=w.campaign,
        channel="web",
        text=ident.text(),
        address="岳阳市平江县城关镇",
        reporter_name=ident.name,
        reporter_phone=ident.mobile,
    )
    actions.confirm_classification(c, actor=w.inspector, pollution_types=["water"])
    case = actions.accept_complaint(c, actor=w.inspector, lead_unit=w.city_a)
    batch = actions.close_intake_day(w.campaign, c.intake_day, actor=w.inspector)
    actions.transfer_batch(batch, actor=w.team_leader)
    case.refresh_from_db()
    actions.dispatch_case(case, actor=w.liaison_a, unit=w.county_a)
    # The unit's findings quote the reporter: the published table must not.
    actions.reply_case(
        case,
        actor=w.handler_a,
        summary=f"经查属实。举报人{ident.name}（电话{reply_form}）反映的化工厂偷排问题已责令整改",
        measures=f"已回访举报人{ident.name}",
        verdict="true",
        status="closed",
    )
    actions.review_case(case, actor=w.inspector, accept=True)
    table = actions.publish_batch(batch, actor=w.team_leader)
    c.refresh_from_db()
    case.refresh_from_db()
    batch.refresh_from_db()
    return c, case, batch, table


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ident=identities(), spaced=st.booleans())
def test_planted_identities_reach_no_public_page_open311_export_notice_or_handler(world, ident, spaced):
    w = world
    _open_intake(w)
    d = ident.mobile
    reply_form = f"{d[:3]} {d[3:7]} {d[7:]}" if spaced else full_width(d)
    c, case, batch, table = _run_case(w, ident, reply_form)

    public = Client()
    pages = {
        "results list": public.get("/public/results/"),
        "results table": public.get(f"/public/results/{table.pk}/"),
        "tracking page": public.post("/public/track/", {"receipt_code": c.receipt_code, "secret": c.tracking_secret}),
        "open311 list json": public.get("/open311/v2/requests.json?jurisdiction_id=hn-2-yueyang"),
        "open311 list xml": public.get("/open311/v2/requests.xml?jurisdiction_id=hn-2-yueyang"),
        "open311 request json": public.get(f"/open311/v2/requests/{c.pk}.json?jurisdiction_id=hn-2-yueyang"),
        "open311 request xml": public.get(f"/open311/v2/requests/{c.pk}.xml?jurisdiction_id=hn-2-yueyang"),
    }
    texts = {label: _text(r) for label, r in pages.items()}
    assert case.number in texts["results table"] and case.number in texts["tracking page"]
    assert str(c.pk) in texts["open311 list json"], "the screened, published complaint is listed"

    liaison = Client()
    liaison.force_login(w.liaison_a)
    for kind in ("docx", "xlsx"):
        texts[f"notice {kind}"] = _text(liaison.get(f"/complaints/batches/{batch.pk}/notice/{w.city_a.pk}.{kind}"))
        texts[f"notice {kind} (API)"] = _text(liaison.get(f"/api/v1/batches/{batch.pk}/notice/?unit={w.city_a.code}&kind={kind}"))
    assert case.number in texts["notice docx"] and case.number in texts["notice xlsx"]
    texts["batch disclosures (API)"] = _text(liaison.get(f"/api/v1/batches/{batch.pk}/disclosures/"))

    handler = Client()
    handler.force_login(w.handler_a)
    texts["handler case page"] = _text(handler.get(f"/complaints/cases/{case.pk}/"))
    texts["handler case list"] = _text(handler.get("/complaints/cases/"))
    texts["handler case file"] = _text(handler.get(f"/complaints/cases/{case.pk}/file.zip"))
    texts["handler case (API)"] = _text(handler.get(f"/api/v1/cases/{case.pk}/"))
    assert "化工厂偷排" in texts["handler case page"], "the handler reads the complaint's own words"
    team = Client()
    team.force_login(w.inspector)
    texts["team case page before reveal"] = _text(team.get(f"/complaints/cases/{case.pk}/"))

    for label, text in texts.items():
        ident.assert_absent(text, label)
    # The coarse place stays for the people who act on it.
    assert "平江县城关镇" in texts["handler case page"] and "平江县城关镇" in texts["notice docx"]


def test_handler_cannot_reveal_and_team_reveal_is_audited(world):
    """The clear text reaches nobody without the reveal permission; a reveal shows it once and is audited."""
    w = world
    _open_intake(w)
    text = "我叫王琰，住在平江县城关镇璟珞路18号3栋2单元501室，电话139-8765-4322。平江县某化工厂偷排废水"
    c, case, _batch, _table = _run_case(
        w, Identity(name="王琰", mobile="13987654322", segments=[text], markers={"王琰", "璟珞路18号"}), "13987654322"
    )
    origin = Complaint.objects.get(pk=c.pk)
    handler = Client()
    handler.force_login(w.handler_a)
    page = _text(handler.get(f"/complaints/cases/{case.pk}/"))
    assert "我叫***，住在平江县城关镇***，电话***。平江县某化工厂偷排废水" in page
    assert f"/complaints/{origin.pk}/reveal/" not in page, "no reveal form without the permission"
    before = AuditEvent.objects.filter(verb="complaint.reveal_reporter").count()
    assert handler.post(f"/complaints/{origin.pk}/reveal/", {"reason": "x", "show": "text"}).status_code == 404
    assert AuditEvent.objects.filter(verb="complaint.reveal_reporter").count() == before

    team = Client()
    team.force_login(w.inspector)
    page = _text(team.get(f"/complaints/cases/{case.pk}/"))
    assert "璟珞路18号" not in page and f"/complaints/{origin.pk}/reveal/" in page
    resp = team.post(f"/complaints/{origin.pk}/reveal/", {"reason": "核实举报人身份", "show": "text"}, HTTP_HX_REQUEST="true")
    revealed = _text(resp)
    assert "璟珞路18号3栋2单元501室" in revealed and "13987654322" in revealed and "王琰" in revealed
    event = AuditEvent.objects.filter(verb="complaint.reveal_reporter").latest("seq")
    assert event.reason == "核实举报人身份" and event.after == {"revealed": ["reporter_name", "reporter_phone", "text"]}
    assert "璟珞路" not in json.dumps(event.after, ensure_ascii=False)


def test_text_reveal_matrix(world):
    """Reveal of the full text: login first; units outside the team (liaison, handler, other province) get 404."""
    w = world
    _open_intake(w)
    c = actions.submit_complaint(
        campaign=w.campaign, channel="phone", text="本人刘翎，电话13912340000，化工厂偷排", address="平江县", actor=w.inspector
    )
    (resp,) = assert_matrix(
        f"/complaints/{c.pk}/reveal/",
        method="post",
        data={"reason": "回访", "show": "text"},
        api=False,
        allowed=[w.inspector],
        out_of_scope=[w.liaison_a, w.handler_a, w.liaison_b],
    )
    assert "本人刘翎，电话13912340000" in resp.content.decode()
    assert AuditEvent.objects.filter(verb="complaint.reveal_reporter", object_id=str(c.pk)).count() == 1
