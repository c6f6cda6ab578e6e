from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from rest_framework.test import APIClient

from inspectorate.complaints.models import Complaint, DeadlineWarning

from .conftest import at, flow_to_dispatch

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["received_at", "text", "address", "lat", "lon", "reporter_name", "reporter_phone", "call_duration"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    [f"{at(3):%Y-%m-%d} 09:10", "平江县某化工厂偷排废水", "岳阳市平江县", "", "", "张三", "13900000001", "95"],
    [f"{at(3):%Y-%m-%d} 10:20", "云溪区工业园臭气扰民", "岳阳市云溪区", "29.5", "113.3", "", "", "60"],
]


def _post(user, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = APIClient()
    c.force_authenticate(user)
    f = SimpleUploadedFile("calls.xlsx", data)
    return c.post("/api/v1/complaints/import/", {"campaign": "hn-2-yueyang", "file": f}, format="multipart")


def test_import_all_or_nothing(world):
    bad = [
        *GOOD,
        ["2026-13-03 10:20", "坏行", "岳阳市", "", "", "", "", ""],
        [f"{at(3):%Y-%m-%d} 11:00", "坐标错误的行", "", "95", "200", "", "", "x"],
    ]
    r = _post(world.inspector, _xlsx(bad))
    assert r.status_code == 400
    report = r.json()
    assert not report["ok"] and report["created"] == 0
    assert {(e["row"], e["column"]) for e in report["errors"]} >= {(4, "received_at"), (5, "call_duration")}
    assert Complaint.objects.count() == 0
    # A row that only fails inside submit_complaint (bad coordinates) also rolls everything back.
    bad2 = [*GOOD, [f"{at(3):%Y-%m-%d} 11:00", "坐标错误的行", "", "95", "200", "", "", ""]]
    r = _post(world.inspector, _xlsx(bad2))
    assert r.status_code == 400 and r.json()["errors"][0]["row"] == 4
    assert Complaint.objects.count() == 0
    r = _post(world.inspector, _xlsx(GOOD))
    assert r.status_code == 201 and r.json()["created"] == 2
    c = Complaint.objects.get(reporter_phone__isnull=False, text__startswith="平江")
    assert c.channel == "phone" and c.channel_details == {"call_duration_s": 95}


def test_import_wrong_file_and_permission(world):
    r = _post(world.inspector, b"not a workbook")
    assert r.status_code == 400 and r.json()["errors"][0]["row"] == 0
    r = _post(world.liaison_a, _xlsx(GOOD))
    assert r.status_code == 403
    assert Complaint.objects.count() == 0


def test_run_deadlines_is_idempotent(world):
    _c, case, _b = flow_to_dispatch(world)  # due on day 11 (at(4) + 7)
    out = io.StringIO()
    call_command("run_deadlines", today=f"{at(9):%Y-%m-%d}", stdout=out)
    assert "blue 1" in out.getvalue()
    call_command("run_deadlines", today=f"{at(9):%Y-%m-%d}", stdout=io.StringIO())
    assert DeadlineWarning.objects.filter(case=case).count() == 1
    call_command("run_deadlines", today=f"{at(10):%Y-%m-%d}", stdout=io.StringIO())
    call_command("run_deadlines", today=f"{at(12):%Y-%m-%d}", stdout=io.StringIO())
    call_command("run_deadlines", today=f"{at(12):%Y-%m-%d}", stdout=io.StringIO())
    assert sorted(DeadlineWarning.objects.filter(case=case).values_list("level", flat=True)) == ["blue", "red", "yellow"]


def test_notice_task_stores_files(world, settings):
    from inspectorate.complaints.models import TransferNotice
    from inspectorate.complaints.tasks import generate_notices

    _c, _case, batch = flow_to_dispatch(world)
    assert generate_notices.call(str(batch.pk)) == 1
    n = TransferNotice.objects.get(batch=batch)
    assert n.xlsx.name.endswith(".xlsx") and n.docx.name.endswith(".docx")


def test_background_import_via_task_worker(live_world):
    """Committed data (the worker closes and reopens database connections)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    world = live_world
    c = APIClient()
    c.force_authenticate(world.inspector)
    f = SimpleUploadedFile("calls.xlsx", _xlsx(GOOD))
    r = c.post("/api/v1/complaints/import/?background=1", {"campaign": "hn-2-yueyang", "file": f}, format="multipart")
    assert r.status_code == 202, r.content
    url = r.json()["url"]
    assert c.get(url).json()["status"] in ("READY", "RUNNING")
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO())
    body = c.get(url).json()
    assert body["status"] == "SUCCESSFUL" and body["report"]["created"] == 2
    assert Complaint.objects.count() == 2
    other = APIClient()
    other.force_authenticate(world.team_leader)
    assert other.get(url).status_code == 404
