"""The ledger in the office layout: the reader's language, labels and unit names, title row, frozen header, filters,
a template with instructions; and every such workbook imports back, in either language."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from inspectorate.audit.models import AuditEvent
from inspectorate.orgs.selectors import units_for
from inspectorate.rectification.ledger import import_ledger, ledger_snapshot
from inspectorate.rectification.models import Task, TaskStatus
from inspectorate.testing.factories import OrgUnitFactory
from inspectorate.testing.spreadsheets import ledger_sheet

from .test_ledger import export, sample

pytestmark = pytest.mark.django_db


def download(client, url: str, language: str) -> bytes:
    r = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200, r.status_code
    return b"".join(r.streaming_content)


def test_chinese_export_reads_like_a_taizhang(rect, client):
    sample(rect)
    client.force_login(rect.w.liaison_a)
    raw = download(client, f"/api/v1/tasks/export.xlsx?campaign={rect.w.campaign.code}", "zh-hans")
    wb = load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["整改任务", "整改措施", "审计"]
    ws = wb["整改任务"]
    title = ws["A1"].value
    assert "整改台账" in title and "导出时间" in title and "范围" in title and str(rect.w.campaign.name_zh) in title
    assert "A1:T1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[2]]
    assert header[:4] == ["任务编号", "问题编号", "问题", "问题来源"] and "整改状态" in header and "牵头单位" in header
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:T5"
    assert ws["A2"].font.b and ws.column_dimensions["G"].width >= 30
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    col = {h: i for i, h in enumerate(header)}
    with translation.override("zh-hans"):
        closed_label = str(TaskStatus.CLOSED.label)
    assert rows["1.10"][col["整改状态"]] == closed_label and closed_label != "closed"
    assert rows["1.1"][col["牵头单位"]] == "平江县" and rows["1.1"][col["验收单位"]] == "岳阳市"  # names, not 430626
    assert rows["1.1"][col["责任单位"]] == "岳阳市"
    assert rows["1.2"][col["长期坚持"]] in ("是", "否") and rows["1.2"][col["关停取缔情形"]] not in ("stopped", "")
    measures = wb["整改措施"]
    assert [c.value for c in measures[2]][:3] == ["任务编号", "措施序号", "整改措施"]


def test_english_export_has_english_headers_and_labels(rect, client):
    sample(rect)
    client.force_login(rect.w.liaison_a)
    raw = download(client, f"/api/v1/tasks/export.xlsx?campaign={rect.w.campaign.code}", "en")
    wb = load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["Rectification tasks", "Measures", "Audit"]
    ws = wb["Rectification tasks"]
    assert "Rectification ledger" in ws["A1"].value and [c.value for c in ws[2]][:2] == ["Task no.", "Problem no."]
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert "Closed (filed)" in rows["1.10"] and "Pingjiang" in rows["1.1"]


@pytest.mark.parametrize(("written_in", "read_in"), [("zh-hans", "en"), ("en", "zh-hans"), ("zh-hans", "zh-hans")])
def test_an_export_in_either_language_imports_back_unchanged(rect, written_in, read_in):
    sample(rect)
    qs = Task.objects.filter(campaign=rect.w.campaign)
    before, events = ledger_snapshot(qs), AuditEvent.objects.count()
    with translation.override(written_in):
        raw = export(qs)
    with translation.override(read_in):
        report = import_ledger(raw, campaign=rect.w.campaign, actor=rect.w.liaison_a, units=units_for(rect.w.liaison_a))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert ledger_snapshot(qs) == before and AuditEvent.objects.count() == events


def test_a_shared_unit_name_is_written_with_its_code_and_resolved(rect):
    sample(rect)
    # Another 平江县 elsewhere in the tree: the export must not be ambiguous.
    OrgUnitFactory(parent=rect.w.city_b, unit_type="county", code="430799", name_zh="平江县", name_en="Pingjiang")
    qs = Task.objects.filter(campaign=rect.w.campaign)
    with translation.override("zh-hans"):
        raw = export(qs)
    ws, at, column = ledger_sheet(load_workbook(io.BytesIO(raw)), "tasks")
    leads = {r[0]: r[column["lead_unit"]] for r in ws.iter_rows(min_row=at + 1, values_only=True)}
    assert leads["1.1"] == "平江县（430626）"
    report = import_ledger(raw, campaign=rect.w.campaign, actor=rect.w.liaison_a, units=units_for(rect.w.admin))
    assert report.ok, report.errors
    # A bare shared name, with both units in the importer's scope, is refused with the way out.
    wb = load_workbook(io.BytesIO(raw))
    ws, at, column = ledger_sheet(wb, "tasks")
    ws.cell(row=at + 1, column=column["lead_unit"] + 1, value="平江县")
    buf = io.BytesIO()
    wb.save(buf)
    report = import_ledger(buf.getvalue(), campaign=rect.w.campaign, actor=rect.w.liaison_a, units=units_for(rect.w.admin))
    assert [(e.row, e.column) for e in report.errors] == [(at + 1, "tasks.lead_unit")]
    assert "430626" in report.errors[0].message


def test_template_has_the_layout_an_instructions_sheet_and_imports_when_filled(rect, client):
    client.force_login(rect.w.liaison_a)
    raw = download(client, "/api/v1/tasks/template.xlsx", "zh-hans")
    wb = load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["整改任务", "整改措施", "填写说明"]
    assert "导入模板" in wb["整改任务"]["A1"].value and wb["整改任务"].freeze_panes == "A3"
    explained = {(r[0], r[1]) for r in wb["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert ("整改任务", "牵头单位") in explained and ("整改措施", "时间节点") in explained
    # Filled in the way a county office would: Chinese labels and unit names.
    from inspectorate.testing.clock import future_year

    fy = future_year()
    ws, _at, column = ledger_sheet(wb, "tasks")
    row = [None] * len(column)
    values = {
        "task_no": "8.1", "problem_no": "8", "problem": "畜禽养殖污染", "source": "自查发现", "urgency": "立行立改",
        "nature": "具体问题", "goal": "完成整治", "lead_leader": "平江县副县长", "lead_unit": "平江县",
        "acceptance_unit": "岳阳市", "deadline": f"{fy}-06-30", "long_term": "否",
    }  # fmt: skip
    with translation.override("zh-hans"):
        from inspectorate.rectification.models import Nature, Source, Urgency

        values.update(
            source=str(Source.SELF_FOUND.label), urgency=str(Urgency.IMMEDIATE.label), nature=str(Nature.SPECIFIC.label)
        )
    for key, v in values.items():
        row[column[key]] = v
    ws.append(row)
    ms, _m, _mc = ledger_sheet(wb, "measures")
    ms.append(["8.1", 1, "清理粪污", f"{fy}-03-01", "否", None])
    buf = io.BytesIO()
    wb.save(buf)
    report = import_ledger(buf.getvalue(), campaign=rect.w.campaign, actor=rect.w.liaison_a, units=units_for(rect.w.liaison_a))
    assert report.ok, report.errors
    t = Task.objects.get(campaign=rect.w.campaign, number="8.1")
    assert (t.lead_unit, t.acceptance_unit, t.problem.source, t.long_term) == (
        rect.w.county_a,
        rect.w.city_a,
        "self_found",
        False,
    )
