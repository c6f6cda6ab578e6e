"""Background ledger export: requested through the API, run by the real django-tasks database worker, polled, downloaded."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from inspectorate.audit.models import AuditEvent
from inspectorate.reports.models import ExportJob
from inspectorate.testing.matrix import assert_matrix
from inspectorate.testing.spreadsheets import ledger_sheet

pytestmark = pytest.mark.django_db


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_ledger_export_in_the_background(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    from inspectorate.accounts.models import User
    from inspectorate.rectification.models import Task

    liaison = User.objects.get(username="sxjm_liaison")
    c = Client()
    c.force_login(liaison)
    # Committed for real: the worker is another consumer of the queue.
    r = c.post("/api/v1/exports/", {"kind": "ledger", "query": "campaign=sxjm-2021"}, content_type="application/json")
    assert r.status_code == 202, r.content
    job_id = r.json()["id"]
    assert r.json()["status"] == "queued" and r.json()["download"] is None
    assert c.get(f"/api/v1/exports/{job_id}/download/").status_code == 404  # not ready yet

    _run_worker()

    job = c.get(f"/api/v1/exports/{job_id}/").json()
    assert job["status"] == "done" and job["percent"] == 100 and job["progress"] == job["total"] > 0
    f = c.get(job["download"])
    assert f.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(f.streaming_content)), read_only=True)
    ws, at, _columns = ledger_sheet(wb, "tasks")
    numbers = [row[0] for row in ws.iter_rows(min_row=at + 1, values_only=True)]
    expected = Task.objects.filter(campaign__code="sxjm-2021").count()
    assert len(numbers) == expected > 0
    assert AuditEvent.objects.filter(verb="export.request", object_id=job_id).exists()
    assert AuditEvent.objects.filter(verb="export.done", object_id=job_id).exists()

    # Jobs are private: another user gets 404 for the job and its file.
    assert_matrix(f"/api/v1/exports/{job_id}/", allowed=[liaison], out_of_scope=[User.objects.get(username="yy_liaison")])
    assert_matrix(job["download"], allowed=[liaison], out_of_scope=[User.objects.get(username="admin")])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_scope_applies_inside_the_export(settings, tmp_path):
    """A user who sees no tasks of a campaign gets an empty ledger, not someone else's rows."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    from inspectorate.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(username="yy_liaison"))
    job_id = c.post(
        "/api/v1/exports/", {"kind": "ledger", "query": "campaign=sxjm-2021"}, content_type="application/json"
    ).json()["id"]
    _run_worker()
    job = ExportJob.objects.get(pk=job_id)
    assert job.status == "done" and job.total == 0


def test_bad_kind_is_refused_in_both_languages(world):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(world.liaison_a)
    r = c.post("/api/v1/exports/", {"kind": "everything"}, content_type="application/json")
    assert r.status_code == 400 and "Unknown export kind" in str(r.json())
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(world.liaison_a)
    assert "未知的导出类型" in str(c.post("/api/v1/exports/", {"kind": "x"}, content_type="application/json").json())
    assert not ExportJob.objects.exists()
    assert Client().post("/api/v1/exports/", {"kind": "ledger"}, content_type="application/json").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_export_pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    from inspectorate.accounts.models import User

    liaison = User.objects.get(username="sxjm_liaison")
    assert_matrix("/reports/exports/", api=False, allowed=[liaison])
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(liaison)
    ledger = c.get("/rectification/", {"campaign": "sxjm-2021"}).content.decode()
    assert "Export in the background" in ledger
    r = c.post("/reports/exports/start/", {"kind": "ledger", "query": "campaign=sxjm-2021"})
    assert r.status_code == 302
    page = c.get("/reports/exports/").content.decode()
    assert "Queued" in page and 'hx-trigger="every 2s"' in page  # polls while running
    _run_worker()
    page = c.get("/reports/exports/", HTTP_HX_REQUEST="true").content.decode()
    assert "Download" in page and "every 2s" not in page
    other = Client()
    other.force_login(User.objects.get(username="yy_liaison"))
    assert "campaign=sxjm-2021" not in other.get("/reports/exports/").content.decode()
