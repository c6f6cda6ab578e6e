"""The ledger spreadsheet: export → import round trip, re-import updates, every kind of bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from inspectorate.audit.models import AuditEvent
from inspectorate.orgs.selectors import units_for
from inspectorate.rectification.ledger import import_ledger, ledger_snapshot, write_ledger
from inspectorate.rectification.ledger_layout import sheet_name
from inspectorate.rectification.models import Leader, Problem, Task
from inspectorate.testing.clock import future_year
from inspectorate.testing.factories import CampaignFactory
from inspectorate.testing.spreadsheets import ledger_sheet

FY = future_year()  # a year still to come, whatever the clock says
pytestmark = pytest.mark.django_db


def export(qs) -> bytes:
    buf = io.BytesIO()
    write_ledger(qs, buf)
    return buf.getvalue()


def sample(rect):
    a = rect.task(number="1.1")
    a.implementing_units.set([rect.w.city_a])
    b = rect.task(number="1.2", deadline=None, review_dates=[f"{FY + 1}-01-01", f"{FY + 1}-07-01"], closure_claim="stopped")
    c = rect.task(number="1.10", progress=40, status="in_progress")
    Task.objects.filter(pk=c.pk).update(
        status="closed",
        closed_on=dt.date(2024, 3, 11),
        notice_start=dt.date(2024, 3, 4),
        notice_end=dt.date(2024, 3, 8),
        progress=100,
    )
    m = b.measures.first()
    m.done, m.done_on = True, dt.date(FY - 1, 12, 1)
    m.save()
    return [a, b, c]


def rows_of(raw: bytes, sheet: str) -> list[tuple]:
    """The header row and the rows of a sheet (its office title row left out), whatever the language of the export."""
    wb = load_workbook(io.BytesIO(raw), read_only=True)
    rows = [tuple(r) for r in wb[sheet_name(sheet)].iter_rows(values_only=True)]
    titled = len(rows) > 1 and all(v is None for v in rows[0][1:]) and sum(v is not None for v in rows[1]) > 1
    return rows[1:] if titled else rows


def test_export_then_import_gives_the_same_ledger(rect):
    sample(rect)
    qs = Task.objects.filter(campaign=rect.w.campaign)
    before = ledger_snapshot(qs)
    raw = export(qs)
    assert [r[0] for r in rows_of(raw, "tasks")[1:]] == ["1.1", "1.2", "1.10"]  # ledger order, not text order
    # Into an empty campaign of the same target: the open tasks come out the same.
    fresh = CampaignFactory(code="hn-copy", inspecting_unit=rect.w.inspect_office, targets=[rect.w.city_a])
    open_qs = qs.exclude(status="closed")
    report = import_ledger(export(open_qs), campaign=fresh, actor=rect.w.liaison_a, units=units_for(rect.w.liaison_a))
    assert report.ok, report.errors
    assert report.created == 2
    assert ledger_snapshot(Task.objects.filter(campaign=fresh)) == ledger_snapshot(open_qs)
    # A closed task cannot be created by import: closing goes through sign-off.
    # Row 5 is task 1.10: a title row, the header, then the tasks.
    other = CampaignFactory(code="hn-copy2", inspecting_unit=rect.w.inspect_office, targets=[rect.w.city_a])
    report = import_ledger(raw, campaign=other, actor=rect.w.liaison_a, units=units_for(rect.w.liaison_a))
    assert {(e.row, e.column) for e in report.errors} == {
        (5, "tasks.status"), (5, "tasks.notice_start"), (5, "tasks.notice_end"), (5, "tasks.closed_on"),
    }  # fmt: skip
    assert not Task.objects.filter(campaign=other).exists()
    # Re-importing the same file into the original is accepted, changes nothing and never duplicates.
    events = AuditEvent.objects.count()
    report = import_ledger(raw, campaign=rect.w.campaign, actor=rect.w.liaison_a, units=units_for(rect.w.liaison_a))
    assert report.ok and report.created == 0 and report.updated == 0
    assert Task.objects.filter(campaign=rect.w.campaign).count() == 3
    assert ledger_snapshot(qs) == before
    assert AuditEvent.objects.count() == events  # nothing happened, so nothing is recorded


def test_reimport_applies_changes(rect):
    sample(rect)
    qs = Task.objects.filter(campaign=rect.w.campaign)
    wb = load_workbook(io.BytesIO(export(qs)))
    ws, at, column = ledger_sheet(wb, "tasks")
    ws.cell(row=at + 1, column=column["goal"] + 1, value="新的目标")
    ws.cell(row=at + 1, column=column["progress"] + 1, value=55)
    ms, _at, _columns = ledger_sheet(wb, "measures")
    ms.append(["1.1", 3, "新增措施", dt.date(FY, 2, 1), "no", None])
    buf = io.BytesIO()
    wb.save(buf)
    report = import_ledger(buf.getvalue(), campaign=rect.w.campaign, actor=rect.w.liaison_a, units=units_for(rect.w.liaison_a))
    assert report.ok, report.errors
    t = Task.objects.get(campaign=rect.w.campaign, number="1.1")
    assert t.goal == "新的目标" and t.progress == 55 and t.measures.count() == 3


def workbook(
    tasks: list[list], measures: list[list], task_header=None, measure_header=None, sheets=("tasks", "measures")
) -> bytes:
    from inspectorate.rectification.ledger import MEASURE_COLUMNS, TASK_COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = sheets[0]
    ws.append(task_header or TASK_COLUMNS)
    for r in tasks:
        ws.append(r)
    if len(sheets) > 1:
        ms = wb.create_sheet(sheets[1])
        ms.append(measure_header or MEASURE_COLUMNS)
        for r in measures:
            ms.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def trow(no="9.1", leader="平江县副县长", lead="430626", acc="430600", deadline=f"{FY}-06-30", long_term="no", impl=""):
    return [
        no,
        "9",
        "新问题",
        "self_found",
        "immediate",
        "specific",
        "目标",
        leader,
        lead,
        impl,
        acc,
        deadline,
        long_term,
        "",
        0,
        "not_started",
        "",
        None,
        None,
        None,
    ]


def run(rect, raw):
    return import_ledger(raw, campaign=rect.w.campaign, actor=rect.w.liaison_a, units=units_for(rect.w.liaison_a))


def test_bad_rows_are_all_reported_and_nothing_is_saved(rect):
    raw = workbook(
        [
            trow("9.1"),  # fine
            trow("9.2", leader="不存在的领导"),  # unknown leader
            trow("9.3", lead="999999"),  # unknown unit
            trow("9.4", lead="430700"),  # a real unit outside the importer's scope
            trow("9.1"),  # duplicate number
            trow("9.5", deadline=""),  # no deadline and not long-term
            trow("9.6", impl="430626;NOPE"),
        ],
        [
            ["9.1", 1, "措施", f"{FY}-01-01", "no", None],
            ["9.1", 2, "措施", f"{FY + 1}-01-01", "no", None],  # milestone after the deadline
            ["9.1", 2, "重复", f"{FY}-01-01", "no", None],  # duplicate measure number
            ["8.8", 1, "无此任务", f"{FY}-01-01", "no", None],
            ["9.1", 3, "坏日期", "not-a-date", "no", None],
        ],
    )
    before = Task.objects.count(), Problem.objects.count()
    report = run(rect, raw)
    assert not report.ok
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert "Unknown leader" in errors[(3, "tasks.lead_leader")]
    assert "Unknown unit" in errors[(4, "tasks.lead_unit")]
    assert "Unknown unit" in errors[(5, "tasks.lead_unit")]
    assert "Duplicate task number" in errors[(6, "tasks.task_no")]
    assert "required" in errors[(7, "tasks.deadline")]
    assert "NOPE" in errors[(8, "tasks.implementing_units")]
    assert "out of order" in errors[(3, "measures.milestone")]
    assert "Duplicate measure" in errors[(4, "measures.measure_no")]
    assert "No task" in errors[(5, "measures.task_no")]
    assert "Not a date" in errors[(6, "measures.milestone")]
    assert (Task.objects.count(), Problem.objects.count()) == before


def test_wrong_template_and_missing_columns(rect):
    from inspectorate.core.tabular import TableError

    with pytest.raises(TableError, match="Wrong template"):
        run(rect, workbook([trow()], [], sheets=("Sheet1",)))
    with pytest.raises(TableError, match=r"Missing required columns.*lead_leader"):
        run(rect, workbook([], [], task_header=["task_no", "problem_no", "goal"]))
    with pytest.raises(TableError, match="not a readable"):
        run(rect, b"PK\x03\x04 not really")


def test_import_api_reports_rows_and_saves_nothing(rect, client):
    raw = workbook([trow("9.1", leader="nobody")], [["9.1", 1, "措施", f"{FY}-01-01", "no", None]])
    client.force_login(rect.w.liaison_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", raw)})
    assert r.status_code == 400
    assert r.json()["errors"][0]["row"] == 2 and not Task.objects.exists()
    good = workbook([trow("9.1")], [["9.1", 1, "措施", f"{FY}-01-01", "no", None]])
    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", good)})
    assert r.status_code == 200 and r.json()["created"] == 1
    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", b"x")})
    assert r.status_code == 400 and "readable" in r.json()["errors"][0]["message"]
    # The wrong role (a handler cannot manage the ledger) and another city's campaign.
    client.force_login(rect.w.handler_a)
    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", good)})
    assert r.status_code == 403
    client.force_login(rect.w.liaison_b)
    r = client.post("/api/v1/tasks/import/", {"campaign": rect.w.campaign.code, "file": SimpleUploadedFile("l.xlsx", good)})
    assert r.status_code == 404


def test_export_endpoint_honours_filters_and_scope(rect, client):
    sample(rect)
    client.force_login(rect.w.liaison_a)
    r = client.get(f"/api/v1/tasks/export.xlsx?campaign={rect.w.campaign.code}")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    raw = b"".join(r.streaming_content)
    assert [x[0] for x in rows_of(raw, "tasks")[1:]] == ["1.1", "1.2", "1.10"]
    r = client.get(f"/api/v1/tasks/export.xlsx?campaign={rect.w.campaign.code}&status=closed")
    assert [x[0] for x in rows_of(b"".join(r.streaming_content), "tasks")[1:]] == ["1.10"]
    client.force_login(rect.w.liaison_b)
    r = client.get(f"/api/v1/tasks/export.xlsx?campaign={rect.w.campaign.code}")
    assert rows_of(b"".join(r.streaming_content), "tasks")[1:] == []
    client.logout()
    assert client.get("/api/v1/tasks/export.xlsx").status_code == 401
    client.force_login(rect.w.liaison_a)
    r = client.get("/api/v1/tasks/template.xlsx")
    assert rows_of(b"".join(r.streaming_content), "measures")[0][0] == "Task no."  # these tests run in English


def test_commands_round_trip(rect, tmp_path):
    sample(rect)
    Leader.objects.get_or_create(name="平江县副县长", unit=rect.w.county_a)
    path = tmp_path / "ledger.xlsx"
    out = io.StringIO()
    call_command("export_ledger", rect.w.campaign.code, str(path), stdout=out)
    assert "3 task(s)" in out.getvalue()
    call_command("import_ledger", rect.w.campaign.code, str(path), "--as", "liaison_a", stdout=out)
    assert "created 0, updated 0" in out.getvalue()


def test_graded_acceptance_rule(rect):
    from django.core.exceptions import ValidationError

    from inspectorate.rectification import actions
    from inspectorate.rectification.models import AcceptanceRule

    w = rect.w
    AcceptanceRule.objects.create(campaign=w.campaign, nature="specific", unit_type="city")
    fields = {
        "campaign": w.campaign,
        "problem": rect.problem,
        "goal": "g",
        "lead_leader": rect.leader,
        "lead_unit": w.county_a,
        "deadline": dt.date(FY, 1, 1),
    }
    with pytest.raises(ValidationError, match="accepted at the level"):
        actions.create_task(actor=w.liaison_a, number="5.1", acceptance_unit=w.county_a, **fields)
    t = actions.create_task(actor=w.liaison_a, number="5.2", acceptance_unit=w.city_a, **fields)
    with pytest.raises(ValidationError, match="accepted at the level"):
        actions.update_task(t, actor=w.liaison_a, acceptance_unit=w.county_a)
    report = run(rect, workbook([trow("9.1", acc="430626")], [["9.1", 1, "措施", f"{FY}-01-01", "no", None]]))
    assert [e.column for e in report.errors] == ["tasks.acceptance_unit"]
    assert run(rect, workbook([trow("9.1", acc="430600")], [["9.1", 1, "措施", f"{FY}-01-01", "no", None]])).ok


def test_background_export_job_uses_the_same_ledger_writer(rect, settings, tmp_path):
    """The export job of the reports app writes the ledger through `write_ledger`, filtered and scoped for its user."""
    from django.core.files.storage import default_storage

    from inspectorate.reports.models import ExportJob
    from inspectorate.reports.tasks import run_export

    settings.MEDIA_ROOT = str(tmp_path)
    sample(rect)
    job = ExportJob.objects.create(user=rect.w.liaison_a, kind="ledger", query=f"campaign={rect.w.campaign.code}&status=closed")
    name = run_export.call(str(job.pk))
    with default_storage.open(name, "rb") as fh:
        assert [r[0] for r in rows_of(fh.read(), "tasks")[1:]] == ["1.10"]
    job = ExportJob.objects.create(user=rect.w.liaison_b, kind="ledger", query=f"campaign={rect.w.campaign.code}")
    with default_storage.open(run_export.call(str(job.pk)), "rb") as fh:
        assert rows_of(fh.read(), "tasks")[1:] == []
