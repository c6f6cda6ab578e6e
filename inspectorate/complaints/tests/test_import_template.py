"""The calls import template: who may download it, what it explains, and that a filled-in template imports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from inspectorate.complaints.actions.intake import IMPORT_COLUMNS, OPTIONAL_COLUMNS
from inspectorate.complaints.models import Complaint
from inspectorate.testing.clock import stay_at
from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db
URL = "/complaints/import/template.xlsx"


def test_template_permission_matrix(world):
    assert_matrix(URL, api=False, allowed=[world.inspector], forbidden=[world.handler_a, world.liaison_b])


def test_template_explains_every_column_and_imports_when_filled(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.inspector)
    wb = load_workbook(io.BytesIO(client.get(URL).content))
    calls, explained = wb.worksheets
    assert [c.value for c in calls[1]] == IMPORT_COLUMNS + OPTIONAL_COLUMNS and calls.freeze_panes == "A2"
    rows = {r[0]: r for r in explained.iter_rows(min_row=2, values_only=True)}
    assert set(IMPORT_COLUMNS + OPTIONAL_COLUMNS) <= set(rows) and rows["text"][1] == "是" and rows["lat"][1] == "否"
    assert "北京时间" in rows["received_at"][2]
    page = client.get("/complaints/import/")
    assert URL in page.content.decode()
    received = stay_at(3, 9)
    calls.append([f"{received:%Y-%m-%d %H:%M}", "化工厂夜里排放刺鼻气体", "岳阳市云溪区长岭街道"])
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("calls.xlsx", buf.getvalue())
    r = client.post("/complaints/import/", {"campaign": world.campaign.code, "file": upload})
    assert r.status_code == 200 and Complaint.objects.filter(text="化工厂夜里排放刺鼻气体").count() == 1
