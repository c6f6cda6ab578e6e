"""Hostile input at the ledger (issue 8): formula-looking text is exported as text and comes back unchanged; an
oversized workbook is refused before it is parsed; deeply nested JSON answers 400."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from inspectorate.rectification.ledger import MEASURE_COLUMNS, TASK_COLUMNS
from inspectorate.rectification.models import Task
from inspectorate.testing.spreadsheets import FORMULA_LOOKING, ledger_sheet, many_rows, zip_bomb

pytestmark = pytest.mark.django_db


def test_ledger_export_keeps_formula_looking_text_as_text(rect, client):
    for i, text in enumerate(FORMULA_LOOKING, start=1):
        t = rect.task(number=f"1.{i}", goal=text)
        t.measures.filter(number=1).update(text=text)
    client.force_login(rect.w.liaison_a)
    r = client.get(f"/api/v1/tasks/export.xlsx?campaign={rect.w.campaign.code}")
    raw = b"".join(r.streaming_content)
    wb = load_workbook(io.BytesIO(raw))
    for sheet in ("tasks", "measures"):
        cells = {c.value: c for row in ledger_sheet(wb, sheet)[0].iter_rows() for c in row if isinstance(c.value, str)}
        for text in FORMULA_LOOKING:
            assert cells[text].data_type == "s" and cells[text].quotePrefix, (sheet, text)
    # Imported back: the same text, nothing evaluated (the import trims surrounding white space, as for any cell).
    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", raw)})
    assert r.status_code == 200, r.content
    assert sorted(Task.objects.values_list("goal", flat=True)) == sorted(t.strip() for t in FORMULA_LOOKING)


def test_ledger_import_refuses_a_zip_bomb_at_once(rect, client):
    bomb = zip_bomb(TASK_COLUMNS, 40, sheets=("tasks", "measures"))
    client.force_login(rect.w.liaison_a)
    started = time.monotonic()
    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", bomb)})
    assert time.monotonic() - started < 3
    assert r.status_code == 400 and "unpacks to more than 30 MB" in r.json()["errors"][0]["message"]


def test_ledger_import_refuses_too_many_rows(rect, client, settings):
    settings.IMPORT_MAX_ROWS = 100
    book = many_rows(MEASURE_COLUMNS, 101, sheets=("measures", "tasks"))
    client.force_login(rect.w.liaison_a)
    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", book)})
    assert r.status_code == 400 and "more than 100 rows" in r.json()["errors"][0]["message"]


def test_deeply_nested_json_is_a_clear_400(rect, client):
    t = rect.task()
    client.force_login(rect.w.liaison_a)
    body = '{"progress": ' + "[" * 5000 + "]" * 5000 + "}"
    r = client.post(f"/api/v1/tasks/{t.pk}/apply-sign-off/", body, content_type="application/json")
    assert r.status_code == 400 and "nested more than" in r.json()["detail"]
