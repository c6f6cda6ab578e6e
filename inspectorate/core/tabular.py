"""Reading CSV and xlsx uploads into rows, the size limits every import checks first, and the row-level error
report every import returns."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
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


# A worksheet row element, with or without a namespace prefix (not <rowBreaks>, <rows…>).
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?row[\s/>]")
_CARRY = 64
_CHUNK = 1 << 20


def check_xlsx_limits(raw: bytes) -> None:
    """Refuse an xlsx upload before any spreadsheet library parses it: the members' total uncompressed size
    (settings.IMPORT_MAX_UNCOMPRESSED_MB) and each worksheet's row count (settings.IMPORT_MAX_ROWS, counted by
    streaming the sheet's XML, which the size limit bounds). A small file that unpacks to a huge one (a "zip
    bomb") is refused in milliseconds. Every xlsx import calls this first."""
    max_bytes = settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError):
        raise TableError(_("The file is not a readable .xlsx workbook.")) from None
    with zf:
        members = zf.infolist()
        # The declared sizes are what zipfile will ever inflate (it stops at a member's declared size).
        if sum(m.file_size for m in members) > max_bytes:
            raise TableError(
                _("The workbook unpacks to more than %(mb)s MB. Split it into smaller files.")
                % {"mb": settings.IMPORT_MAX_UNCOMPRESSED_MB}
            )
        sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
        for m in sheets:
            if _count_rows(zf, m, settings.IMPORT_MAX_ROWS + 1) > settings.IMPORT_MAX_ROWS:
                raise TableError(_too_many_rows())


def _too_many_rows() -> str:
    return _("A sheet has more than %(n)s rows. Split it into smaller files.") % {"n": settings.IMPORT_MAX_ROWS}


def _count_rows(zf: zipfile.ZipFile, member: zipfile.ZipInfo, stop_at: int) -> int:
    n = 0
    carry = b""
    try:
        with zf.open(member) as sheet:
            while chunk := sheet.read(_CHUNK):
                buf = carry + chunk
                last_end = 0
                for match in _ROW_TAG.finditer(buf):
                    n += 1
                    last_end = match.end()
                if n >= stop_at:
                    return n
                carry = buf[max(last_end, len(buf) - _CARRY) :]
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise TableError(_("The file is not a readable .xlsx workbook.")) from None
    return n


def _csv_rows(raw: bytes) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise TableError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from None
    rows: list[list[Any]] = []
    try:
        for r in csv.reader(io.StringIO(text)):
            rows.append(list(r))
            if len(rows) > settings.IMPORT_MAX_ROWS:
                raise TableError(_too_many_rows())
    except csv.Error:
        raise TableError(_("The CSV file cannot be read near line %(line)s.") % {"line": len(rows) + 1}) from None
    return rows


def _xlsx_rows(raw: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    check_xlsx_limits(raw)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        raise TableError(_("The file is not a readable .xlsx workbook.")) from None
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows
