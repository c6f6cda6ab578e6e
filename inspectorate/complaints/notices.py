"""Transfer notices (交办通知) per receiving unit, as xlsx and docx: case list, key flags, due dates, totals.

A notice is an official letter to a Chinese unit: it is written in Chinese throughout, whatever the language of the
person who transfers the batch (labels, totals and the audit stamp included). The docx follows GB/T 9704
(`inspectorate.core.officedoc`), on landscape A4 for the nine-column case list.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from inspectorate.audit.anchors import export_stamp, stamp_docx

from .models import Case, CaseStatus, PollutionType, TransferBatch
from .redact import redact, reporter_of

HEADERS = ("序号", "案件编号", "重点件", "来源", "区域", "举报内容（已隐去个人信息）", "污染类型", "承办单位", "办理时限")


def in_chinese(fn: Callable[..., bytes]) -> Callable[..., bytes]:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> bytes:
        with translation.override("zh-hans"):
            return fn(*args, **kwargs)

    return wrapper


def notice_cases(batch: TransferBatch, unit: Any) -> list[Case]:
    return list(
        Case.objects.filter(batch=batch, lead_unit=unit)
        .exclude(status=CaseStatus.MERGED)
        .select_related("region", "lead_unit", "origin")
        .order_by("-is_key", "number")
    )


def _types(codes: list[str]) -> str:
    labels = dict(PollutionType.choices)
    return "、".join(str(labels.get(c, c)).split(" (")[-1].rstrip(")") for c in codes)


def _rows(cases: list[Case]) -> list[list[str]]:
    return [
        [
            str(i),
            c.number,
            "*" if c.is_key else "",
            c.get_channel_display(),
            c.region.name_zh if c.region else "",
            redact(c.summary, reporter_of(c.origin)),
            _types(c.pollution_types),
            c.lead_unit.name_zh,
            c.due_date.isoformat() if c.due_date else "",
        ]
        for i, c in enumerate(cases, start=1)
    ]


def _title(batch: TransferBatch, unit: Any) -> str:
    return f"{batch.campaign.name_zh} 第{batch.number}批 交办通知 — {unit.name_zh}"


def totals(cases: list[Case]) -> list[tuple[str, int]]:
    by_region: Counter[str] = Counter(c.region.name_zh if c.region else "" for c in cases)
    by_type: Counter[str] = Counter(t for c in cases for t in c.pollution_types)
    out = [(str(_("Cases")), len(cases)), (str(_("Key cases")), sum(1 for c in cases if c.is_key))]
    out += [(f"区域：{k}", v) for k, v in sorted(by_region.items())]
    out += [(f"类型：{_types([k])}", v) for k, v in sorted(by_type.items())]
    return out


@in_chinese
def notice_xlsx(batch: TransferBatch, unit: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from inspectorate.core.xlsx import append_row

    cases = notice_cases(batch, unit)
    wb = Workbook()
    ws = wb.active
    ws.title = f"第{batch.number}批"
    append_row(ws, [_title(batch, unit)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    append_row(ws, list(HEADERS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in _rows(cases):
        append_row(ws, row)
    ws.append([])
    for label, n in totals(cases):
        append_row(ws, [label, n])
    ws.append([])
    for label, value in export_stamp():  # footer: the audit chain head and anchor as of this notice
        append_row(ws, [label, value])
    for col, width in zip("ABCDEFGHI", (6, 22, 8, 8, 12, 60, 14, 16, 12), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@in_chinese
def notice_docx(batch: TransferBatch, unit: Any) -> bytes:
    from inspectorate.core import officedoc

    cases = notice_cases(batch, unit)
    doc = officedoc.official_document(_title(batch, unit), landscape=True)
    when = batch.transferred_at.date().isoformat() if batch.transferred_at else ""
    officedoc.body(doc, f"{unit.name_zh}：", indent=False)
    officedoc.body(
        doc,
        f"现将第{batch.number}批群众信访举报件共{len(cases)}件（其中重点件"
        f"{sum(1 for c in cases if c.is_key)}件）转交你单位办理，请按时限报送办理结果。交办日期：{when}。",
    )
    officedoc.table(doc, list(HEADERS), _rows(cases))
    doc.add_heading("汇总", level=1)
    for label, n in totals(cases):
        officedoc.body(doc, f"{label}：{n}")
    stamp_docx(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
