"""The redaction engine: the issue's literal examples, what must go, what must stay, and idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspectorate.complaints.redact import MASK, redact, redact_row, summarise

from .identities import identities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Issue 8, point 5: the home address kept its street and number.
        ("我叫***，住在平江县城关镇幸福路18号", "我叫***，住在平江县城关镇***"),
        # The phone typed into the text in the forms that leaked.
        ("电话139-8765-4322，平江县某化工厂偷排", "电话***，平江县某化工厂偷排"),
        ("有事打+8613987654323", "有事打***"),
        ("有事打 139 8765 4321 找我", "有事打 *** 找我"),
        ("手机：+86 139-8765-4321", "手机：***"),
        ("手机１３９８７６５４３２１", "手机***"),
        ("座机(0730)8123456或0730-8123456", "座机***或***"),
        ("座机（０７３０）８１２３４５６", "座机***"),
        ("打 +86 730 8123456 转 12", "打 ***"),
        ("微信：wxid_ab12cd34，QQ 123456789", "微信：***，QQ ***"),
        ("加vx zhangsan_88", "加vx ***"),
        ("身份证430621199001011234", "身份证***"),
        ("证件 43062119900101123X 请保密", "证件 *** 请保密"),
        ("车牌湘F·12345、湘F12345、湘FD12345的渣土车", "车牌***、***、***的渣土车"),
        ("邮箱 zhang.san@163.com", "邮箱 ***"),
        ("邮箱 ｚｈａｎｇ＠ｑｑ．ｃｏｍ", "邮箱 ***"),
        ("我叫张三，本人住在幸福小区3栋2单元501室", "我叫***，本人住在幸福小区***"),
        ("举报人：欧阳娜娜，反映化工厂偷排", "举报人：***，反映化工厂偷排"),
        ("姓名：王小明 电话8123456", "姓名：*** 电话***"),
        ("本人李四住在城关镇", "本人***住在城关镇"),
        ("我姓张", "我姓***"),
        ("平江县城关镇幸福村3组12号旁边养猪场", "平江县城关镇幸福村***旁边养猪场"),
        ("家住幸福路18号5号楼", "家住***"),
    ],
)
def test_issue_examples_are_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # The place and the polluter are the point of the complaint.
        "平江县城关镇某化工厂夜间偷排废水，河水发黑发臭",
        "岳阳市平江县城关镇幸福村的养猪场粪水直排",
        "幸福路上的烧烤店油烟扰民",
        "化工厂2号排污口偷排，3号车间夜间生产",
        "本人于今日发现平江化工厂偷排",
        "本人住在城关镇，长期受到噪声影响",
        "沿路2公里有垃圾，路边3个垃圾堆",
        # Dates, amounts, measurements, case numbers.
        "2026年11月3日，罚款20000元，COD浓度123mg/L，案件D3GX202008310018",
        "噪声85分贝，持续3小时",
    ],
)
def test_places_polluters_and_facts_stay(text):
    assert redact(text) == text


def test_reporter_fields_are_masked_in_any_spacing():
    text = "王小明反映：电话 139.1234.5678，小明说"
    out = redact(text, ("王小明", "13912345678"))
    assert "王小明" not in out and "5678" not in out
    assert redact("+86 139 1234 5678", ("13912345678",)) == MASK


def test_summary_is_one_line_cut_after_redaction():
    s = summarise("我叫张三，\n电话13987654321。" + "河水发黑" * 200, limit=50)
    assert "\n" not in s and len(s) == 50 and s.startswith("我叫***， 电话***。")


def test_row_texts_are_redacted_other_fields_kept():
    row = {"number": "D3GX202008310018", "summary": "电话13987654321", "facts": "经查，举报人张三", "region": "平江县"}
    assert redact_row(row) == {**row, "summary": "电话***", "facts": "经查，举报人***"}


@settings(max_examples=200, deadline=None)
@given(identities(), st.text(alphabet="河水发黑臭，。平江县城关镇化工厂 0123456789", max_size=30))
def test_planted_identities_never_survive_and_redaction_is_idempotent(ident, filler):
    text = ident.text(filler)
    out = redact(text, ident.fields)
    ident.assert_absent(out, "redacted text")
    assert redact(out, ident.fields) == out
    assert "平江县城关镇" in out  # the coarse place stays
