"""Hostile input at the complaints API and pages (issue 8): formula-looking text in the transfer notice stays text,
oversized workbooks are refused before parsing (sync, background, page), deeply nested JSON answers 400."""

from __future__ import annotations

import io
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from inspectorate.complaints.models import Case, Complaint
from inspectorate.complaints.redact import redact
from inspectorate.testing.spreadsheets import FORMULA_LOOKING, many_rows, zip_bomb

from .conftest import flow_to_dispatch

pytestmark = pytest.mark.django_db

HEADER = ["received_at", "text", "address"]


def _client(user):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user)
    return c


def test_transfer_notice_writes_formula_looking_text_as_text(world):
    _c, case, batch = flow_to_dispatch(world)
    for text in FORMULA_LOOKING:
        Case.objects.filter(pk=case.pk).update(summary=text)
        r = _client(world.liaison_a).get(f"/api/v1/batches/{batch.pk}/notice/?unit={world.city_a.code}&kind=xlsx")
        assert r.status_code == 200
        ws = load_workbook(io.BytesIO(r.content)).active
        shown = redact(text)  # the notice carries the redacted summary ("+86-138…" is a phone number: masked)
        (cell,) = [c for row in ws.iter_rows() for c in row if c.value == shown]
        assert cell.data_type == "s" and (cell.quotePrefix or not shown.startswith(("=", "+", "-", "@", "\t", "\r"))), text
    # The page's download link writes the same file.
    page = Client()
    page.force_login(world.liaison_a)
    r = page.get(f"/complaints/batches/{batch.pk}/notice/{world.city_a.pk}.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert {c.data_type for row in ws.iter_rows() for c in row if c.value == FORMULA_LOOKING[-1]} == {"s"}


def _upload(data: bytes, name: str = "calls.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_import_refuses_a_zip_bomb_at_once(world):
    bomb = zip_bomb(HEADER, 40)
    assert len(bomb) < 400_000
    client = _client(world.inspector)
    started = time.monotonic()
    r = client.post("/api/v1/complaints/import/", {"campaign": "hn-2-yueyang", "file": _upload(bomb)}, format="multipart")
    assert time.monotonic() - started < 3
    assert r.status_code == 400 and "unpacks to more than 30 MB" in r.json()["errors"][0]["message"]
    # In the background: refused before it is queued.
    r = client.post(
        "/api/v1/complaints/import/?background=1", {"campaign": "hn-2-yueyang", "file": _upload(bomb)}, format="multipart"
    )
    assert r.status_code == 400 and "unpacks to more than" in r.json()["errors"][0]["message"]
    # The import page.
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(world.inspector)
    r = page.post("/complaints/import/", {"campaign": "hn-2-yueyang", "file": _upload(bomb)})
    assert r.status_code == 200 and "解压后超过" in r.content.decode()
    assert Complaint.objects.count() == 0


def test_import_refuses_too_many_rows(world, settings):
    settings.IMPORT_MAX_ROWS = 100
    r = _client(world.inspector).post(
        "/api/v1/complaints/import/", {"campaign": "hn-2-yueyang", "file": _upload(many_rows(HEADER, 150))}, format="multipart"
    )
    assert r.status_code == 400 and "more than 100 rows" in r.json()["errors"][0]["message"]
    csv_body = ("received_at,text,address\n" + "2026-11-03 09:00,某厂偷排,平江县\n" * 150).encode()
    r = _client(world.inspector).post(
        "/api/v1/complaints/import/",
        {"campaign": "hn-2-yueyang", "file": _upload(csv_body, "calls.csv")},
        format="multipart",
    )
    assert r.status_code == 400 and "more than 100 rows" in r.json()["errors"][0]["message"]
    assert Complaint.objects.count() == 0


def _nested(depth: int) -> str:
    return '{"campaign": "hn-2-yueyang", "text": ' + "[" * depth + "]" * depth + "}"


def test_deeply_nested_json_is_a_clear_400(world):
    client = _client(world.inspector)
    r = client.post("/api/v1/complaints/", _nested(5000), content_type="application/json")
    assert r.status_code == 400 and "nested more than 32 levels" in r.json()["detail"]
    r = client.post("/api/v1/complaints/", _nested(40), content_type="application/json")
    assert r.status_code == 400 and "nested" in r.json()["detail"]
    zh = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.force_authenticate(world.inspector)
    r = zh.post("/api/v1/complaints/", _nested(5000), content_type="application/json")
    assert r.status_code == 400 and "嵌套" in r.json()["detail"]
    assert Complaint.objects.count() == 0


def test_deeply_nested_penalties_in_a_multipart_reply(world):
    _c, case, _b = flow_to_dispatch(world)
    data = {"summary": "经查属实", "verdict": "true", "status": "closed", "penalties": "[" * 5000 + "]" * 5000}
    r = _client(world.handler_a).post(f"/api/v1/cases/{case.pk}/reply/", data, format="multipart")
    assert r.status_code == 400 and "penalties" in r.json()
    r = _client(world.handler_a).post(
        f"/api/v1/cases/{case.pk}/reply/", json.loads(json.dumps({**data, "penalties": []})), format="json"
    )
    assert r.status_code == 201, r.content
