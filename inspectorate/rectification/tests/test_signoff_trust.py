"""No path around sign-off: the ledger import keeps to the importer's scope and never moves a task along the
sign-off path; a public notice starts today or later and runs the campaign's working days; the public plan shows
"completed" only for tasks filed through sign-off."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from inspectorate.audit.models import AuditEvent
from inspectorate.core import calendar
from inspectorate.orgs.selectors import units_for
from inspectorate.rectification import actions
from inspectorate.rectification.ledger import import_ledger, ledger_snapshot
from inspectorate.rectification.models import Evidence, Leader, Plan, Problem, SignOffStep, Task, TaskStatus
from inspectorate.testing.factories import MembershipFactory, UserFactory
from inspectorate.testing.spreadsheets import ledger_sheet

from .test_api import at
from .test_ledger import export, trow, workbook

pytestmark = pytest.mark.django_db


def edit(raw: bytes, number: str, **cells) -> bytes:
    """The workbook `raw` with the given cells of task `number` rewritten."""
    wb = load_workbook(io.BytesIO(raw))
    ws, at, column = ledger_sheet(wb, "tasks")
    for row in ws.iter_rows(min_row=at + 1):
        if str(row[0].value) == number:
            for col, value in cells.items():
                row[column[col]].value = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(rect, raw, user=None):
    user = user or rect.w.liaison_a
    return import_ledger(raw, campaign=rect.w.campaign, actor=user, units=units_for(user))


def imports(task) -> int:
    return AuditEvent.objects.filter(object_id=str(task.pk), verb="task.import").count()


# -- the import never moves a task along the sign-off path ---------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("status", "closed"),
        ("status", "under_notice"),
        ("status", "Closed (filed)"),  # by label too
        ("status", "pending_acceptance"),
        ("notice_start", "2024-03-04"),
        ("notice_end", "2024-03-08"),
        ("closed_on", "2024-03-11"),
    ],
)
def test_import_refuses_a_changed_signoff_value_and_changes_nothing(rect, column, value):
    task = rect.task(number="1.1", status=TaskStatus.IN_PROGRESS, progress=40)
    qs = Task.objects.filter(campaign=rect.w.campaign)
    before, events = ledger_snapshot(qs), AuditEvent.objects.count()
    raw = edit(export(qs), "1.1", goal="改过的目标", **{column: value})
    report = run(rect, raw)
    assert [(e.row, e.column) for e in report.errors] == [(3, f"tasks.{column}")]  # row 1 is the title
    assert "sign-off steps" in report.errors[0].message
    assert ledger_snapshot(qs) == before  # the goal on the same row was not saved either
    assert AuditEvent.objects.count() == events  # nothing happened, nothing recorded
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.signoff_step == ""


def test_import_messages_are_bilingual(rect):
    rect.task(number="1.1", status=TaskStatus.IN_PROGRESS)
    raw = edit(export(Task.objects.filter(campaign=rect.w.campaign)), "1.1", status="closed", closed_on="2024-03-11")
    with translation.override("zh-hans"):
        messages = {e.column: e.message for e in run(rect, raw).errors}
    assert messages["tasks.status"] == "导入不能修改任务状态（当前为“整改中”），状态只能通过验收销号各步骤变更。"
    assert messages["tasks.closed_on"] == "导入不能修改公示日期或销号日期，这些日期由验收销号各步骤填写。"
    new = workbook([[*trow("9.1")[:15], "closed", "", None, None, "2024-03-11"]], [["9.1", 1, "措施", "2030-01-01", "no", None]])
    with translation.override("zh-hans"):
        messages = {e.column: e.message for e in run(rect, new).errors}
    assert messages["tasks.status"].startswith("新任务只能以“未启动”或“整改中”状态建立")
    assert messages["tasks.closed_on"] == "新任务没有公示日期或销号日期，这些日期由验收销号各步骤填写。"
    assert not Task.objects.filter(number="9.1").exists()


def test_import_cannot_create_a_closed_task(rect):
    raw = workbook(
        [[*trow("9.1")[:15], "closed", "", "2024-03-04", "2024-03-08", "2024-03-11"], trow("9.2")],
        [["9.1", 1, "措施", "2030-01-01", "yes", "2024-01-01"], ["9.2", 1, "措施", "2030-01-01", "no", None]],
    )
    report = run(rect, raw)
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "tasks.status"), (2, "tasks.notice_start"), (2, "tasks.notice_end"), (2, "tasks.closed_on"),
    }  # fmt: skip
    assert not Task.objects.exists() and not AuditEvent.objects.filter(verb__startswith="task.").exists()
    # A new task may start not started or in progress.
    ok = workbook([[*trow("9.3")[:15], "in_progress", "", None, None, None]], [["9.3", 1, "措施", "2030-01-01", "no", None]])
    assert run(rect, ok).ok
    assert Task.objects.get(number="9.3").status == TaskStatus.IN_PROGRESS


def test_exported_ledger_in_every_signoff_state_imports_back_unchanged(rect):
    tasks = [at(rect, step) for step in ("ready", SignOffStep.SIGNED, SignOffStep.UNDER_NOTICE, "filed")]
    qs = Task.objects.filter(campaign=rect.w.campaign)
    assert {t.status for t in qs} == {"in_progress", "pending_acceptance", "under_notice", "closed"}
    before, events = ledger_snapshot(qs), AuditEvent.objects.count()
    raw = export(qs)
    report = run(rect, raw)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert ledger_snapshot(qs) == before and AuditEvent.objects.count() == events
    # Blank sign-off cells mean "as it is", not "reset".
    blank = edit(raw, tasks[2].number, status=None, notice_start=None, notice_end=None, closed_on=None)
    assert run(rect, blank).ok and ledger_snapshot(qs) == before


def test_closed_task_cannot_be_edited_by_import_and_progress_waits_during_signoff(rect):
    filed = at(rect, "filed")
    noticed = at(rect, SignOffStep.UNDER_NOTICE)
    qs = Task.objects.filter(campaign=rect.w.campaign)
    raw = export(qs)
    report = run(rect, edit(raw, filed.number, goal="改写已销号任务"))
    assert [(e.column, e.message) for e in report.errors] == [
        ("tasks", f"Task {filed.number} is closed (filed) and cannot be edited; reopen it first.")
    ]
    report = run(rect, edit(raw, noticed.number, progress=50))
    assert [e.column for e in report.errors] == ["tasks.progress"]
    assert "not during sign-off" in report.errors[0].message
    # An open task's goal and progress can change: only that task is saved and audited.
    open_task = rect.task(number="7.1")
    report = run(rect, edit(export(qs), "7.1", goal="新目标", progress=30))
    assert report.ok and (report.created, report.updated) == (0, 1)
    open_task.refresh_from_db()
    assert (open_task.goal, open_task.progress, open_task.status) == ("新目标", 30, TaskStatus.NOT_STARTED)
    assert imports(open_task) == 1 and imports(filed) == 0 and imports(noticed) == 0


# -- the import keeps to the importer's scope ------------------------------------------------------------------


@pytest.fixture
def county(rect):
    """A county-level liaison (rectification office of Pingjiang), below the city's office."""
    user = UserFactory(username="liaison_county")
    MembershipFactory(user=user, role="liaison", org_unit=rect.w.county_a)
    return user


def test_import_does_not_reach_tasks_outside_the_importers_scope(rect, county, client):
    w = rect.w
    city_leader = Leader.objects.create(name="岳阳市副市长", unit=w.city_a)
    city_problem = Problem.objects.create(campaign=w.campaign, unit=w.city_a, number="7", title="市级问题（内部）")
    hidden = rect.task(number="7.1", problem=city_problem, lead_unit=w.city_a, lead_leader=city_leader, goal="市级内部目标")
    m1 = hidden.measures.get(number=1)
    actions.add_evidence(hidden, actor=w.liaison_a, measure=m1, content=b"city evidence", filename="e.pdf")
    client.force_login(county)
    assert client.get(f"/rectification/tasks/{hidden.pk}/").status_code == 404  # cannot even open it
    before, events = ledger_snapshot(Task.objects.filter(pk=hidden.pk)), AuditEvent.objects.count()
    # Rewrite it (its measure with evidence dropped), claim it closed, and reuse its problem number.
    raw = workbook(
        [
            [*trow("7.1", acc="430626")[:15], "closed", "", "2024-03-04", "2024-03-08", "2024-03-11"],
            [*trow("7.2", acc="430626")[:1], "7", *trow("7.2", acc="430626")[2:]],
        ],
        [["7.1", 2, "措施", "2030-01-01", "yes", None], ["7.2", 1, "措施", "2030-01-01", "no", None]],
    )
    report = run(rect, raw, user=county)
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert errors == {
        (2, "tasks.task_no"): "Task number “7.1” is not available to you: use another number.",
        (3, "tasks.problem_no"): "Problem number “7” is not available to you: use another number.",
    }
    text = " ".join(errors.values())
    for secret in ("evidence", "市级", "Yueyang", "岳阳", str(hidden.pk), "In progress", "Not started"):
        assert secret not in text  # nothing about the hidden task, its problem, unit, evidence or status
    assert ledger_snapshot(Task.objects.filter(pk=hidden.pk)) == before and AuditEvent.objects.count() == events
    assert Evidence.objects.filter(task=hidden).count() == 1
    # The same through the API and the command: refused, nothing saved.
    r = client.post("/api/v1/tasks/import/", {"campaign": w.campaign.code, "file": SimpleUploadedFile("l.xlsx", raw)})
    assert r.status_code == 400 and {e["column"] for e in r.json()["errors"]} >= {"tasks.task_no", "tasks.problem_no"}
    assert ledger_snapshot(Task.objects.filter(pk=hidden.pk)) == before


def test_command_import_is_refused_and_saves_nothing(rect, tmp_path):
    task = rect.task(number="1.1", status=TaskStatus.IN_PROGRESS)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(edit(export(Task.objects.filter(pk=task.pk)), "1.1", status="closed", closed_on="2024-03-11"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_ledger", rect.w.campaign.code, str(path), "--as", "liaison_a", stderr=err)
    assert "tasks.status" in err.getvalue() and "tasks.closed_on" in err.getvalue()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.closed_on is None


def test_county_liaison_imports_its_own_tasks(rect, county):
    w = rect.w
    report = run(rect, workbook([trow("9.1", acc="430626")], [["9.1", 1, "措施", "2030-01-01", "no", None]]), user=county)
    assert report.ok, report.errors
    task = Task.objects.get(number="9.1")
    assert task.lead_unit == w.county_a and task.status == TaskStatus.NOT_STARTED
    assert AuditEvent.objects.filter(object_id=str(task.pk), verb="task.import", actor=county).exists()


# -- the public notice ------------------------------------------------------------------------------------------


def test_notice_cannot_start_in_the_past(rect, client):
    task = at(rect, SignOffStep.SIGNED)
    today = timezone.localdate()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.start_notice(task, actor=rect.w.liaison_a, start=today - dt.timedelta(days=20))
    assert "cannot start in the past" in str(exc.value)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        actions.start_notice(task, actor=rect.w.liaison_a, start=today - dt.timedelta(days=1))
    assert "公示不能从过去的日期开始" in str(exc.value)
    client.force_login(rect.w.liaison_a)
    r = client.post(
        f"/api/v1/tasks/{task.pk}/start-notice/", {"start": f"{today - dt.timedelta(days=1):%Y-%m-%d}"}, "application/json"
    )
    assert r.status_code == 400 and "cannot start in the past" in r.json()["start"][0]
    task.refresh_from_db()
    assert task.signoff_step == SignOffStep.SIGNED and task.notice_start is None
    assert AuditEvent.objects.count() == events
    # Today is fine, and the task cannot be filed the same day (nor on any day of the notice).
    r = client.post(f"/api/v1/tasks/{task.pk}/start-notice/", {"start": f"{today:%Y-%m-%d}"}, "application/json")
    assert r.status_code == 200 and r.json()["notice_start"] >= f"{today:%Y-%m-%d}"
    r = client.post(f"/api/v1/tasks/{task.pk}/file/", {}, "application/json")
    assert r.status_code == 400 and "notice runs until" in r.json()["non_field_errors"][0]
    assert Task.objects.get(pk=task.pk).status == TaskStatus.UNDER_NOTICE


def test_notice_lasts_the_campaigns_working_days_even_when_long(rect):
    rect.w.campaign.notice_working_days = 20
    rect.w.campaign.save()
    task = at(rect, SignOffStep.SIGNED)
    actions.start_notice(Task.objects.get(pk=task.pk), actor=rect.w.liaison_a)
    task.refresh_from_db()
    assert task.notice_days == 20  # was silently cut to 14 before
    assert calendar.working_days_between(task.notice_start - dt.timedelta(days=1), task.notice_end) == 20
    rect.w.campaign.notice_working_days = 61
    rect.w.campaign.save()
    other = at(rect, SignOffStep.SIGNED)
    with pytest.raises(ValidationError, match="longer than the 60 allowed"):
        actions.start_notice(Task.objects.get(pk=other.pk), actor=rect.w.liaison_a)


def test_filing_refuses_a_notice_shorter_than_the_setting(rect):
    task = at(rect, "expired")  # a 5-working-day notice that has run out
    # A notice cut short in the data (say, by an old import) is not filed.
    Task.objects.filter(pk=task.pk).update(notice_end=task.notice_start + dt.timedelta(days=1))
    task.refresh_from_db()
    with pytest.raises(ValidationError, match="at least 5 working days"):
        actions.file(task, actor=rect.w.liaison_a)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.UNDER_NOTICE
    assert not AuditEvent.objects.filter(object_id=str(task.pk), verb="task.file").exists()


# -- the public plan ----------------------------------------------------------------------------------------------


def test_public_plan_shows_completed_only_for_tasks_filed_through_signoff(rect):
    w = rect.w
    plan = actions.create_plan(actor=w.liaison_a, campaign=w.campaign, target=w.city_a, title="方案", public_summary="摘要")
    for to, who in (("internal_review", w.liaison_a), ("submitted", w.liaison_a), ("approved", w.team_leader)):
        actions.transition_plan(Plan.objects.get(pk=plan.pk), to, actor=who)
    actions.transition_plan(Plan.objects.get(pk=plan.pk), "published", actor=w.liaison_a)
    filed = at(rect, "filed")
    legacy = rect.task(number="8.1")  # closed in the data without ever going through sign-off
    Task.objects.filter(pk=legacy.pk).update(status="closed", signoff_step="filed", closed_on=timezone.localdate())
    assert Task.objects.get(pk=filed.pk).filed_through_signoff
    assert not Task.objects.get(pk=legacy.pk).filed_through_signoff
    with translation.override("en"):
        body = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/rectification/public/plans/{plan.pk}/").content.decode()
    rows = {r.split("</td>")[0]: r for r in body.split("<tr><td>")[1:]}
    assert "Completed" in rows[filed.number]
    assert "Completed" not in rows["8.1"] and "In progress" in rows["8.1"]
