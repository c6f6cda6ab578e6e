"""Word documents in the official style (GB/T 9704): page, fonts with their Noto fallbacks, page numbers; the transfer
notice in Chinese throughout; the case file opening with a readable cover sheet."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from inspectorate.complaints import actions
from inspectorate.complaints.notices import notice_docx
from inspectorate.core.officedoc import official_document


def _reopen(raw: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(raw))


def _bytes(doc) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_page_fonts_and_page_numbers_follow_the_standard():
    raw = _bytes(official_document("关于某某问题整改情况的报告"))
    doc = _reopen(raw)
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = doc.paragraphs[0]
    assert title.style.name == "Title" and title.text == "关于某某问题整改情况的报告"
    assert title.style.font.size == Pt(22) and title.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    footer = s.footer._element.xml
    assert "PAGE" in footer and "— " in footer
    font_table = zipfile.ZipFile(io.BytesIO(raw)).read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in font_table and "Noto Serif CJK SC" in font_table and "Noto Sans CJK SC" in font_table


def test_landscape_turns_the_page_and_its_margins():
    s = _reopen(_bytes(official_document("交办通知", landscape=True))).sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (297, 210)
    assert round(s.left_margin.mm) == 35 and round(s.top_margin.mm) == 28


@pytest.mark.django_db
def test_transfer_notice_is_chinese_throughout_even_for_an_english_user(world):
    from inspectorate.complaints.tests.conftest import flow_to_dispatch

    _c, case, batch = flow_to_dispatch(world)
    with translation.override("en"):
        raw = notice_docx(batch, world.city_a)
    doc = _reopen(raw)
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert case.number in text and "汇总" in text
    for english in ("Cases", "Key cases", "Audit", "Phone", "Letter"):
        assert english not in text, english
    assert round(doc.sections[0].page_width.mm) == 297  # nine columns: landscape
    assert doc.tables[0].rows[0].cells[0].text == "序号"


@pytest.mark.django_db
def test_case_file_zip_opens_with_a_cover_sheet_listing_its_contents(world):
    from inspectorate.complaints.tests.conftest import flow_to_dispatch

    _c, case, _b = flow_to_dispatch(world)
    actions.reply_case(case, actor=world.handler_a, summary="查实", verdict="true", status="closed",
                       evidence=[("监测报告.pdf", b"%PDF-1.4 monitoring")])  # fmt: skip
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.liaison_a)
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/complaints/cases/{case.pk}/file.zip").content))
    assert z.namelist()[0] == "00-cover.docx"
    cover = _reopen(z.read("00-cover.docx"))
    assert case.number in cover.paragraphs[0].text
    listed = [r.cells[0].text for r in cover.tables[-1].rows[1:]]
    assert listed == ["00-cover.docx", "case.json", "evidence/v1/监测报告.pdf", "SHA256SUMS"]
    facts = {r.cells[0].text: r.cells[1].text for r in cover.tables[0].rows[1:]}
    assert facts["承办单位"] == case.lead_unit.name_zh
    assert "00-cover.docx" in z.read("SHA256SUMS").decode()
