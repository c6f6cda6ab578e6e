"""Reading CSV and xlsx uploads into rows, and the row-level error report every import returns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _


class TableError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, str(message)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
        }


def read_table(data: bytes | IO[bytes], filename: str, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, {header: text}); headers are matched case-insensitively."""
    raw = data if isinstance(data, bytes) else data.read()
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(raw)
    elif name.endswith(".csv"):
        rows = _csv_rows(raw)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not rows:
        raise TableError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in required if c.lower() not in header]
    if missing:
        raise TableError(_("Missing required columns: %(cols)s") % {"cols": ", ".join(missing)})
    out: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows[1:], start=2):
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        out.append((number, dict(zip(header, cells, strict=False))))
    return out


def _csv_rows(raw: bytes) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise TableError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from None
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _xlsx_rows(raw: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        raise TableError(_("The file is not a readable .xlsx workbook.")) from None
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows
