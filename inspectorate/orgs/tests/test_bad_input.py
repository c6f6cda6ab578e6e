"""The org-unit import refuses an oversized workbook before parsing it; its template keeps text as text (issue 8)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from inspectorate.orgs.importer import COLUMNS
from inspectorate.orgs.models import OrgUnit
from inspectorate.testing.spreadsheets import zip_bomb

pytestmark = pytest.mark.django_db


def _named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_org_import_refuses_a_zip_bomb(world):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(world.admin)
    before = OrgUnit.objects.count()
    r = c.post("/api/v1/org-units/import/", {"file": _named(zip_bomb(COLUMNS, 40), "units.xlsx")})
    assert r.status_code == 400 and "unpacks to more than 30 MB" in r.json()["errors"][0]["message"]
    assert OrgUnit.objects.count() == before


def test_org_import_template_is_text(world):
    c = Client()
    c.force_login(world.admin)
    r = c.get("/orgs/units/import/template.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]] == COLUMNS
    assert {c.data_type for row in ws.iter_rows() for c in row if c.value} == {"s"}
