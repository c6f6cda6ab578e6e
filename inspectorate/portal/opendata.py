"""Open data: what the portal publishes, as files anyone may download and reuse (like Decidim's open-data export).

One zip per campaign (or for all public campaigns) holding:
- `cases.csv`: every case row of the latest published results table of each batch, exactly as published (redacted
  at publication; no reporter data);
- `cases.geojson`: the same cases as points, at the polluter's registered location or the report's point rounded to
  3 decimals (about 100 m), the rule Open311 uses; cases without a point are left out of this file only;
- `rectification.csv`: each task of a published rectification plan with its progress ("completed" only when it was
  filed through the sign-off steps, as on the public plan page);
- `data-dictionary.csv`: every field of every file, in Chinese and English;
- `LICENSE.txt`: terms of reuse.

Nothing here reads anything that is not already public on the portal.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from django.utils import timezone, translation

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.models import Case, DisclosureTable
from inspectorate.complaints.selectors import published_tables

CASE_FIELDS = [
    ("campaign", "督察轮次代码", "campaign code"),
    ("batch", "交办批次", "transfer batch number"),
    ("table_version", "公开表版本", "version of the published results table"),
    ("published_at", "公开时间", "when the table was published (Beijing time, ISO 8601)"),
    ("number", "案件编号", "case number"),
    ("key", "是否重点件", "key case (true/false)"),
    ("channel", "举报渠道", "channel: phone, letter, web, wechat, visit, email"),
    ("region", "区域", "region (Chinese name)"),
    ("region_en", "区域（英文）", "region (English name)"),
    ("summary", "举报内容摘要", "what was reported (personal data removed)"),
    ("pollution_types", "污染类型", "pollution types, separated by ;"),
    ("sector", "行业领域", "sector"),
    ("handling_unit", "承办单位", "unit that handled the case"),
    ("verdict", "核查结论", "verdict: true, basically_true, partly_true, untrue (empty while being handled)"),
    ("facts", "调查核实情况", "what the investigation found"),
    ("handling", "处理和整改情况", "measures taken"),
    ("accountability", "问责情况", "accountability"),
    ("status", "办理状态", "handling status: open, staged_closed, closed"),
    ("due_date", "办理时限", "reply due date"),
    ("next_step_date", "阶段性办结后续时限", "date of the next step when staged closed"),
]
TASK_FIELDS = [
    ("campaign", "督察轮次代码", "campaign code"),
    ("plan_target", "整改方案对象", "unit whose rectification plan this is"),
    ("problem_no", "问题编号", "problem number"),
    ("problem", "问题", "problem as worded in the plan"),
    ("task_no", "任务编号", "task number"),
    ("goal", "整改目标", "rectification goal"),
    ("lead_unit", "牵头单位", "lead unit"),
    ("deadline", "整改时限", "deadline (empty for long-term tasks)"),
    ("long_term", "长期坚持", "long-term task (true/false)"),
    ("progress", "进度（%）", "reported progress, 0–100"),
    ("completed", "已完成销号", "filed through on-site acceptance, signature and public notice (true/false)"),
    ("closed_on", "销号日期", "date filed"),
]
GEO_FIELDS = [
    ("lat / lon", "坐标", "polluter's registered location, or the report's point rounded to 3 decimals (~100 m)"),
]
LICENSE = (
    "本数据来自督察整改公开平台已公开的信息，可自由复制、使用和再发布，请注明来源。\n"
    "This data is taken from what the inspection platform has published. You may copy, use and redistribute it;\n"
    "please name the source. It carries no personal data: reports were redacted before publication.\n"
)


def latest_tables(campaigns: Iterable[Campaign]) -> list[DisclosureTable]:
    """The latest published version of each batch's results table, batch by batch."""
    out: dict[Any, DisclosureTable] = {}
    tables = published_tables().filter(batch__campaign__in=list(campaigns)).select_related("batch__campaign")
    for t in tables.order_by("batch__campaign__code", "batch__number", "-version"):
        out.setdefault(t.batch_id, t)
    return list(out.values())


def case_rows(tables: list[DisclosureTable]) -> list[dict[str, Any]]:
    rows = []
    for t in tables:
        for row in t.rows:
            out = {k: row.get(k, "") for k, _zh, _en in CASE_FIELDS}
            out.update(
                campaign=t.batch.campaign.code,
                batch=t.batch.number,
                table_version=t.version,
                published_at=timezone.localtime(t.published_at).isoformat(timespec="seconds") if t.published_at else "",
                pollution_types=";".join(row.get("pollution_types") or []),
            )
            rows.append(out)
    return rows


def case_points(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """GeoJSON of the published cases that have a public point (see the module doc)."""
    from inspectorate.open311.selectors import public_point

    wanted = {(r["campaign"], r["number"]) for r in rows}
    origins = {
        (c.campaign.code, c.number): c.origin
        for c in Case.objects.filter(number__in={n for _c, n in wanted}).select_related("campaign", "origin__polluter")
        if (c.campaign.code, c.number) in wanted and c.origin is not None
    }
    features = []
    for r in rows:
        origin = origins.get((r["campaign"], r["number"]))
        if origin is None:
            continue
        lat, lon = public_point(origin)
        if lat is None or lon is None:
            continue
        props = {
            k: r[k] for k in ("campaign", "batch", "number", "region", "pollution_types", "handling_unit", "verdict", "status")
        }
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def task_rows(campaigns: Iterable[Campaign]) -> list[dict[str, Any]]:
    from inspectorate.portal.selectors import published_plans
    from inspectorate.rectification.public import public_plan_tasks

    rows = []
    for campaign in campaigns:
        for plan in published_plans(campaign):
            for t in public_plan_tasks(plan):
                rows.append(
                    {
                        "campaign": campaign.code,
                        "plan_target": plan.target.name_zh,
                        "problem_no": t.problem.number,
                        "problem": t.problem.title,
                        "task_no": t.number,
                        "goal": t.goal,
                        "lead_unit": t.lead_unit.name_zh,
                        "deadline": t.deadline.isoformat() if t.deadline else "",
                        "long_term": t.long_term,
                        "progress": 100 if t.filed_through_signoff else min(int(t.progress or 0), 100),
                        "completed": t.filed_through_signoff,
                        "closed_on": t.closed_on.isoformat() if t.filed_through_signoff and t.closed_on else "",
                    }
                )
    return rows


def _csv(fields: list[tuple[str, str, str]], rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([f for f, _zh, _en in fields])
    for r in rows:
        w.writerow(["true" if r[f] is True else "false" if r[f] is False else r[f] for f, _zh, _en in fields])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # with a BOM, so that Excel reads the Chinese text


def dictionary() -> bytes:
    rows = [("cases.csv", f, zh, en) for f, zh, en in CASE_FIELDS]
    rows += [("cases.geojson", f, zh, en) for f, zh, en in GEO_FIELDS]
    rows += [("rectification.csv", f, zh, en) for f, zh, en in TASK_FIELDS]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["file", "field", "说明", "meaning"])
    w.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def open_data_zip(campaigns: list[Campaign]) -> bytes:
    with translation.override("zh-hans"):
        cases = case_rows(latest_tables(campaigns))
        files = {
            "cases.csv": _csv(CASE_FIELDS, cases),
            "cases.geojson": json.dumps(case_points(cases), ensure_ascii=False, indent=1).encode("utf-8"),
            "rectification.csv": _csv(TASK_FIELDS, task_rows(campaigns)),
            "data-dictionary.csv": dictionary(),
            "LICENSE.txt": LICENSE.encode("utf-8"),
        }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()
