"""Demo fieldwork (issue 10, point 8 for requests, talks and visits), idempotent.

For the Guangxi rare-earth scenario (central 4th team → Chinalco) and for Yueyang (Hunan 2nd team):
an information request each (Yueyang's has an item never delivered: overdue, counted as possible obstruction),
deliveries with truthfulness declarations, individual talks with team-only notes, and an unannounced visit whose
finding becomes a complaint case in one step (Yueyang also has an announced visit whose finding became a problem).

Rows are found again by their natural keys (campaign + subject / person + date / location), so a second run adds
nothing. Position titles only, never real officials' names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from inspectorate.fieldwork import actions
from inspectorate.fieldwork.models import Delivery, InfoRequest, InfoRequestItem, SiteVisit, Talk
from inspectorate.orgs.models import Enterprise, OrgUnit

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=SH)


def _pdf(text: str) -> tuple[str, bytes]:
    return (f"{text}.pdf", b"%PDF-1.4\n% demo: " + text.encode() + b"\n%%EOF\n")


def _deliver(item: InfoRequestItem, by: Any, declarant: str, when: dt.datetime, name: str) -> None:
    actions.deliver_item(
        item, actor=by, files=[_pdf(name)], declarant_name=declarant, declared_at=when, declaration_accepted=True
    )
    # The demo tells a past story: the delivery happened when it was declared.
    Delivery.objects.filter(item=item).update(delivered_at=when)
    InfoRequestItem.objects.filter(pk=item.pk).update(delivered_at=when)


def _request(ctx: Any, code: str, spec: dict[str, Any]) -> InfoRequest | None:
    campaign = ctx.campaigns.get(code)
    if campaign is None:
        return None
    found = InfoRequest.objects.filter(campaign=campaign, title=spec["title"]).first()
    if found is not None:
        return None
    return actions.create_request(
        actor=ctx.users[spec["by"]],
        campaign=campaign,
        target_unit=OrgUnit.objects.get(code=spec["target"]),
        title=spec["title"],
        legal_basis=spec["basis"],
        issued_at=spec["issued"],
        due_at=spec["due"],
        contact_name=spec["contact"],
        contact_phone=spec["phone"],
        items=spec["items"],
    )


def _talk(
    ctx: Any, code: str, by: str, unit: str, person: str, post: str, rank: str, date: dt.date, topics: str, notes: str
) -> None:
    campaign = ctx.campaigns.get(code)
    if campaign is None or Talk.objects.filter(campaign=campaign, person_name=person, date=date).exists():
        return
    actions.create_talk(
        actor=ctx.users[by],
        campaign=campaign,
        unit=OrgUnit.objects.get(code=unit),
        person_name=person,
        post=post,
        rank=rank,
        date=date,
        topics=topics,
        notes=notes,
    )


def _visit(ctx: Any, code: str, spec: dict[str, Any]) -> None:
    campaign = ctx.campaigns.get(code)
    if campaign is None or SiteVisit.objects.filter(campaign=campaign, location=spec["location"]).exists():
        return
    by = ctx.users[spec["by"]]
    ent = Enterprise.objects.filter(name=spec["enterprise"]).first()
    visit = actions.create_visit(
        actor=by,
        campaign=campaign,
        unit=OrgUnit.objects.get(code=spec["unit"]),
        kind=spec["kind"],
        planned_on=spec["date"],
        location=spec["location"],
        lat=spec["lat"],
        lon=spec["lon"],
        purpose=spec["purpose"],
        enterprises=[ent] if ent else [],
    )
    actions.complete_visit(visit, actor=by, visited_on=spec["date"], summary=spec["summary"])
    finding = actions.add_finding(visit, actor=by, text=spec["finding"], enterprise=ent)
    if spec["becomes"] == "case":
        actions.finding_to_case(finding, actor=by, is_key=True, pollution_types=spec["types"])
    else:
        actions.finding_to_problem(finding, actor=by, number=spec["problem_no"])


def _yueyang(ctx: Any) -> None:
    req = _request(
        ctx,
        "hn-2-yueyang",
        {
            "by": "hn2_inspector",
            "target": "430600",
            "title": "调阅岳阳市畜禽养殖污染治理及信访件办理资料",
            "basis": "《生态环境保护督察工作条例》第二十条：督察组可以调阅、复制有关文件和资料",
            "issued": at(2021, 3, 9, 9),
            "due": at(2021, 3, 12, 18),
            "contact": "省第二督察组联络员",
            "phone": "0730-8880012",
            "items": [
                "平江县2019年以来畜禽养殖禁养区划定及退养台账",
                "平江县生猪养殖场环评批复及排污许可资料",
                "2020年以来涉畜禽养殖信访件办理台账及现场核查记录",
            ],
        },
    )
    if req is not None:
        liaison, handler, inspector = ctx.users["yy_liaison"], ctx.users["yy_pj_handler"], ctx.users["hn2_inspector"]
        county = OrgUnit.objects.get(code="430626")
        first, second, third = list(req.items.order_by("seq"))
        for item in (first, second, third):
            actions.assign_item(item, actor=liaison, department=county)
        _deliver(first, handler, "平江县农业农村局分管负责人", at(2021, 3, 11, 16), "禁养区划定及退养台账")
        actions.review_item(first, actor=inspector, verdict="complete")
        _deliver(second, handler, "平江县生态环境分局负责人", at(2021, 3, 12, 11), "环评批复及排污许可")
        actions.review_item(second, actor=inspector, verdict="incomplete", reason="缺2020年排污许可变更材料")
        _deliver(second, handler, "平江县生态环境分局负责人", at(2021, 3, 12, 17), "排污许可变更材料")
        actions.review_item(second, actor=inspector, verdict="complete")
        # the third item is never delivered: overdue, counted as possible obstruction
    _talk(
        ctx, "hn-2-yueyang", "hn2_leader", "430600", "岳阳市人民政府分管副市长", "副市长（分管生态环境）", "bureau",
        dt.date(2021, 3, 10), "大气污染防治；畜禽养殖污染治理；党政同责落实",
        "谈及平江县养殖场退养补偿资金尚未到位，部分养殖户复养；称信访件办理存在“以文件落实文件”现象。",
    )  # fmt: skip
    _talk(
        ctx, "hn-2-yueyang", "hn2_inspector", "430626", "平江县生态环境分局负责人", "分局局长", "division",
        dt.date(2021, 3, 13), "信访件现场核查；执法台账",
        "承认部分现场核查记录为事后补写；已要求提供原始执法记录仪视频。",
    )  # fmt: skip
    _visit(
        ctx,
        "hn-2-yueyang",
        {
            "by": "hn2_inspector",
            "unit": "430626",
            "kind": "unannounced",
            "date": dt.date(2021, 3, 15),
            "location": "平江县三市镇某生猪养殖场及下游河道",
            "lat": 28.75,
            "lon": 113.60,
            "purpose": "核实群众反映的养殖废水直排问题",
            "summary": "暗访发现养殖场沼液池溢流，废水经暗管排入下游河道。",
            "enterprise": "平江县某生猪养殖场",
            "finding": "养殖场沼液池溢流，废水经暗管直排下游河道，河水发黑发臭",
            "becomes": "case",
            "types": ["water"],
        },
    )
    _visit(
        ctx,
        "hn-2-yueyang",
        {
            "by": "hn2_inspector",
            "unit": "430602",
            "kind": "announced",
            "date": dt.date(2021, 3, 18),
            "location": "岳阳楼区城陵矶某纸业公司污水处理站",
            "lat": 29.42,
            "lon": 113.15,
            "purpose": "检查污水处理设施运行及在线监测",
            "summary": "污水处理站长期超负荷运行，在线监测数据与台账不符。",
            "enterprise": "岳阳某纸业有限公司",
            "finding": "污水处理站长期超负荷运行，在线监测数据与运行台账不符",
            "becomes": "problem",
            "problem_no": "V2-1",
        },
    )


def _guangxi(ctx: Any) -> None:
    req = _request(
        ctx,
        "c2-4-chinalco",
        {
            "by": "cn4_inspector",
            "target": "CHALCO-RE-GX",
            "title": "调阅广西稀土公司矿区生态修复及冶炼分离废水处理资料",
            "basis": "《中央生态环境保护督察工作规定》第二十五条",
            "issued": at(2020, 9, 8, 9),
            "due": at(2020, 9, 11, 18),
            "contact": "中央第四督察组联络员",
            "phone": "010-12369004",
            "items": ["崇左稀土矿区2018年以来生态修复方案及验收资料", "贺州冶炼分离厂废水处理设施运行台账"],
        },
    )
    if req is not None:
        liaison, officer, inspector = ctx.users["chalco_liaison"], ctx.users["gxre_officer"], ctx.users["cn4_inspector"]
        first, second = list(req.items.order_by("seq"))
        actions.assign_item(first, actor=liaison, department=OrgUnit.objects.get(code="CHALCO-RE-GX-CZ"))
        actions.assign_item(second, actor=liaison, department=OrgUnit.objects.get(code="CHALCO-RE-GX-HZ"))
        _deliver(first, officer, "广西稀土公司环保专员", at(2020, 9, 10, 15), "生态修复方案及验收资料")
        actions.review_item(first, actor=inspector, verdict="complete")
        _deliver(second, officer, "广西稀土公司环保专员", at(2020, 9, 11, 17), "废水处理设施运行台账")
        actions.review_item(second, actor=inspector, verdict="incomplete", reason="台账缺2019年下半年记录")
    _talk(
        ctx, "c2-4-chinalco", "cn4_leader", "CHALCO-RE-GX", "广西稀土公司总经理", "总经理", "division",
        dt.date(2020, 9, 9), "矿区生态修复；历史遗留问题；整改责任",
        "承认部分矿区生态修复以“复绿”代替治理，监测点位设置在修复区外。",
    )  # fmt: skip
    _visit(
        ctx,
        "c2-4-chinalco",
        {
            "by": "cn4_inspector",
            "unit": "CHALCO-RE-GX-CZ",
            "kind": "unannounced",
            "date": dt.date(2020, 9, 14),
            "location": "崇左稀土矿区北部废弃采场",
            "lat": 22.40,
            "lon": 107.35,
            "purpose": "核实矿区生态修复情况",
            "summary": "暗访发现废弃采场未修复，浸矿液收集池渗漏。",
            "enterprise": "崇左稀土矿",
            "finding": "废弃采场未开展生态修复，浸矿液收集池破损渗漏，周边土壤和地下水存在污染风险",
            "becomes": "case",
            "types": ["soil", "water"],
        },
    )


def load(ctx: Any) -> None:
    with transaction.atomic():
        _yueyang(ctx)
        _guangxi(ctx)
    ctx.log("fieldwork: information requests, talks and visits for Guangxi and Yueyang ready")
