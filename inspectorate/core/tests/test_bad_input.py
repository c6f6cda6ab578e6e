"""Shared guards against hostile input (issue 8): formula-looking text stays text in every xlsx we write, imports
refuse oversized workbooks before parsing them, JSON bodies nested too deeply are refused."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import Workbook, load_workbook

from inspectorate.core.parsers import JSONTooDeep, loads_limited
from inspectorate.core.tabular import TableError, check_xlsx_limits, read_table
from inspectorate.core.xlsx import StreamingWorkbook, append_row
from inspectorate.testing.spreadsheets import FORMULA_LOOKING, many_rows, zip_bomb


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _cells(raw: bytes) -> dict[str, tuple[str, bool]]:
    wb = load_workbook(io.BytesIO(raw))
    return {c.value: (c.data_type, bool(c.quotePrefix)) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}


def test_streaming_writer_keeps_formula_text_as_text():
    buf = io.BytesIO()
    wb = StreamingWorkbook(buf)
    wb.write_sheet("s", ["=header", "plain"], [[v, "ok", 3, -4] for v in FORMULA_LOOKING])
    wb.close()
    cells = _cells(buf.getvalue())
    for v in [*FORMULA_LOOKING, "=header"]:
        assert cells[v] == ("s", True), v
    assert cells["ok"] == ("s", False)
    assert cells[-4][0] == "n"  # numbers stay numbers


def test_openpyxl_rows_keep_formula_text_as_text():
    wb = Workbook()
    ws = wb.active
    for v in FORMULA_LOOKING:
        append_row(ws, [v, "ok", 1])
    buf = io.BytesIO()
    wb.save(buf)
    raw = buf.getvalue()
    cells = _cells(raw)
    for v in FORMULA_LOOKING:
        assert cells[v] == ("s", True), v
    # Plain openpyxl would have written live formulas:
    plain = Workbook()
    plain.active.append([FORMULA_LOOKING[0]])
    assert plain.active["A1"].data_type == "f"


def test_zip_bomb_refused_before_parsing():
    raw = zip_bomb(["a", "b"], 40)
    assert len(raw) < 400_000
    started = time.monotonic()
    with pytest.raises(TableError, match="unpacks to more than 30 MB"):
        read_table(raw, "calls.xlsx", ["a"])
    assert time.monotonic() - started < 2


def test_row_count_refused_before_parsing(settings):
    settings.IMPORT_MAX_ROWS = 50
    with pytest.raises(TableError, match="more than 50 rows"):
        check_xlsx_limits(many_rows(["a"], 51))
    check_xlsx_limits(many_rows(["a"], 49))  # header + 49 rows = 50
    assert len(read_table(many_rows(["a"], 49), "x.xlsx", ["a"])) == 49
    with pytest.raises(TableError, match="more than 50 rows"):
        read_table(("a\n" + "x\n" * 60).encode(), "x.csv", ["a"])


def test_not_a_workbook():
    with pytest.raises(TableError, match="not a readable"):
        check_xlsx_limits(b"PK\x03\x04 not really")
    with pytest.raises(TableError, match="cannot be read"):
        read_table(b'a\n"' + b"x" * 200_000 + b'"\n', "x.csv", ["a"])  # a field beyond csv.field_size_limit


def test_json_depth_limit(settings):
    settings.API_JSON_MAX_DEPTH = 5
    assert loads_limited('{"a": [[{"b": 1}]]}') == {"a": [[{"b": 1}]]}
    with pytest.raises(JSONTooDeep):
        loads_limited("[[[[[[1]]]]]]")
    with pytest.raises(JSONTooDeep):
        loads_limited("[" * 5000 + "]" * 5000)
    with pytest.raises(ValueError):
        loads_limited("{nope")
