"""Hostile spreadsheets for tests, built on the fly: a small xlsx that unpacks to a huge sheet (a "zip bomb"), and
one with very many rows. Both are well-formed workbooks that openpyxl would read, slowly."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from inspectorate.core.xlsx import CONTENT_TYPES, ROOT_RELS, SHEET_CT, SHEET_HEAD, SHEET_TAIL, STYLES

FORMULA_LOOKING = ['=HYPERLINK("http://evil.example/","点击")', "+86-13800001111", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _row(values: Sequence[str]) -> str:
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in values) + "</row>"


def workbook(sheets: dict[str, tuple[Sequence[str], bytes, int]], compresslevel: int = 9) -> bytes:
    """sheets: name → (header, one block of row XML, how many times the block repeats)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        names = list(sheets)
        z.writestr(
            "[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(SHEET_CT.format(n=i) for i in range(1, len(names) + 1)))
        )
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/styles.xml", STYLES)
        entries = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{entries}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, name in enumerate(names, 1):
            header, block, times = sheets[name]
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                out.write(SHEET_HEAD.encode() + _row(header).encode())
                for _ in range(times):
                    out.write(block)
                out.write(SHEET_TAIL.encode())
    return buf.getvalue()


def zip_bomb(header: Sequence[str], uncompressed_mb: int, sheets: Sequence[str] = ("Sheet1",)) -> bytes:
    """A workbook whose first sheet holds about `uncompressed_mb` MB of rows (compressing to a few hundred KB)."""
    block = (_row(["x"] * len(header)) * 4096).encode()
    times = uncompressed_mb * 1024 * 1024 // len(block) + 1
    parts: dict[str, tuple[Sequence[str], bytes, int]] = {sheets[0]: (header, block, times)}
    for name in sheets[1:]:
        parts[name] = (header, b"", 0)
    return workbook(parts)


def many_rows(header: Sequence[str], rows: int, sheets: Sequence[str] = ("Sheet1",)) -> bytes:
    block = _row(["x"] * len(header)).encode()
    parts: dict[str, tuple[Sequence[str], bytes, int]] = {sheets[0]: (header, block, rows)}
    for name in sheets[1:]:
        parts[name] = (header, b"", 0)
    return workbook(parts)


def ledger_sheet(wb: Any, key: str) -> tuple[Any, int, dict[str, int]]:
    """A sheet of an exported ledger in either language: (worksheet, header row number, column code → 0-based index)."""
    from inspectorate.rectification import ledger_layout as layout

    names = layout.sheet_aliases()
    ws = next(wb[n] for n in wb.sheetnames if names.get(n.strip().lower()) == key)
    columns = layout.aliases(layout.TASK_LABELS if key == "tasks" else layout.MEASURE_LABELS)
    for number, row in enumerate(ws.iter_rows(max_row=5, values_only=True), start=1):
        found = {columns.get(str(v or "").strip().lower()): i for i, v in enumerate(row)}
        found.pop(None, None)
        if len(found) > 2:
            return ws, number, {k: v for k, v in found.items() if k is not None}
    raise AssertionError(f"no header row in sheet {key}")
