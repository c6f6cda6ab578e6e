"""Demo facilities and three-simultaneities (DOMAIN §8 C and D), idempotent.

* Pingkuang coking plant (JXIG-PK-COKE): three pollution-control facilities with maintenance plans and records
  and daily running logs for the last 14 days, entered by Pingkuang's environmental officer. The wastewater
  station has no log for yesterday, so the 10:00 check warns of it; one stop of the dust removal has no reason
  and waits for review by the group's liaison office.
* Shanxi Coking Coal, Tunlan mine (SXJM-XS-TY): a washing-plant upgrade with the EIA approval, the design and the
  construction of its environmental facilities on record, and the commissioning step missing.

* Zhengzhou Shangjie district → Chinalco Zhengzhou (§8 E): the district's service visit of 8 August (the last one
  before the load) with two raised problems, one assigned to the development and reform commission, one still
  waiting for an owner.

Dates of logs are relative to the day the demo is loaded (a rerun the same day changes nothing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from inspectorate.facilities import actions
from inspectorate.facilities.models import EnterpriseVisit, Facility, FacilityLog, MaintenancePlan, Project
from inspectorate.orgs.models import Enterprise, OrgUnit

D = dt.date

# (name, type, lat, lon, commissioned, capacity, unit)
PK_FACILITIES = [
    ("1号焦炉烟气脱硫脱硝装置", "desulfurisation", "27.640500", "113.730200", D(2019, 10, 8), "260000", "m³/h"),
    ("装煤出焦地面站除尘器", "dust_removal", "27.641200", "113.731000", D(2016, 5, 20), "180000", "m³/h"),
    ("焦化废水处理站", "wastewater", "27.638800", "113.728900", D(2015, 9, 1), "1200", "m³/d"),
]
PK_PLANS = [
    ("1号焦炉烟气脱硫脱硝装置", "SCR催化剂活性检测与喷氨格栅检查", 90, D(2021, 1, 10)),
    ("装煤出焦地面站除尘器", "布袋检查与更换", 30, D(2021, 1, 5)),
    ("焦化废水处理站", "生化池污泥浓度与曝气系统检查", 14, D(2021, 1, 3)),
]


def _user(ctx: Any, username: str) -> Any:
    from inspectorate.accounts.models import User

    return ctx.users.get(username) or User.objects.get(username=username)


def _unit(ctx: Any, code: str) -> OrgUnit:
    return ctx.units.get(code) or OrgUnit.objects.get(code=code)


def _pingkuang(ctx: Any) -> None:
    officer = _user(ctx, "pk_officer")
    plant = _unit(ctx, "JXIG-PK-COKE")
    ent = Enterprise.objects.filter(enterprise_unit=plant).first()
    facilities = {}
    for name, kind, lat, lon, since, cap, cap_unit in PK_FACILITIES:
        f = Facility.objects.filter(unit=plant, name=name).first()
        if f is None:
            f = actions.create_facility(
                actor=officer, name=name, facility_type=kind, unit=plant, enterprise=ent, lat=lat, lon=lon,
                commissioned_on=since, capacity=cap, capacity_unit=cap_unit,
            )  # fmt: skip
        facilities[name] = f
    today = timezone.localdate()
    for fname, title, interval, start in PK_PLANS:
        f = facilities[fname]
        plan = MaintenancePlan.objects.filter(facility=f, title=title).first()
        if plan is None:
            plan = actions.create_plan(f, actor=officer, title=title, interval_days=interval, starts_on=start)
        if not plan.records.exists():
            actions.record_maintenance(
                f, actor=officer, plan=plan, done_on=today - dt.timedelta(days=interval // 2),
                description=f"{title}：完成，运行参数正常", performed_by="焦化厂环保设备班",
            )  # fmt: skip
    yesterday = today - dt.timedelta(days=1)
    for back in range(14, 0, -1):
        day = today - dt.timedelta(days=back)
        for name, f in facilities.items():
            if name == "焦化废水处理站" and day == yesterday:
                continue  # the missing log: warned of at 10:00 today
            if FacilityLog.objects.filter(facility=f, day=day).exists():
                continue
            status, reason = "running", ""
            if name == "装煤出焦地面站除尘器" and back == 6:
                status = "stopped"  # no reason given: flagged for the group's review
            if name == "1号焦炉烟气脱硫脱硝装置" and back == 9:
                status, reason = "fault", "增压风机轴承温度高报警，停机更换轴承，焦炉同步减产"
            actions.record_log(f, actor=officer, day=day, status=status, reason=reason)
    actions.check_missing_logs(yesterday)


def _sxjm(ctx: Any) -> None:
    officer = _user(ctx, "sxjm_officer")
    mine = _unit(ctx, "SXJM-XS-TY")
    name = "屯兰矿选煤厂技术改造工程"
    project = Project.objects.filter(unit=mine, name=name).first()
    if project is None:
        project = actions.create_project(
            actor=officer, unit=mine, enterprise=Enterprise.objects.filter(enterprise_unit=mine).first(), name=name,
            description="选煤厂扩能改造，配套煤泥水闭路循环系统和原煤仓除尘系统。",
        )  # fmt: skip
    have = set(project.steps.values_list("kind", flat=True))
    for kind, day, ref in [
        ("eia", D(2020, 3, 18), "晋环审批函〔2020〕58号"),
        ("design", D(2020, 6, 30), "煤泥水闭路循环及除尘系统初步设计（环保篇）"),
        ("construction", D(2021, 3, 15), "环保设施施工监理报告"),
    ]:
        if kind not in have:
            actions.add_step(project, actor=officer, kind=kind, done_on=day, reference=ref)
    # The commissioning of the environmental facilities is missing: operation is refused until it is on record.


def _shangjie(ctx: Any) -> None:
    district = _unit(ctx, "410106")
    company = _unit(ctx, "CHALCO-ZZ")
    liaison = _user(ctx, "shangjie_liaison")
    officer = _user(ctx, "chalco_zz_officer")
    today = timezone.localdate()
    day = D(today.year, 8, 8) if today >= D(today.year, 8, 8) else D(today.year - 1, 8, 8)
    visit = EnterpriseVisit.objects.filter(government_unit=district, enterprise_unit=company).first()
    if visit is None:
        visit = actions.create_visit(
            actor=liaison, government_unit=district, enterprise_unit=company, visited_on=day,
            participants="区长、副区长；区卫健委、发改委、工信局、消防救援大队、应急管理局、督查室负责人",
            topics=["clean_production", "air_pollution", "work_safety"],
            summary="“万人助万企”活动：走访氧化铝厂和新材料厂。各部门认领企业问题；企业保持大气污染防治和安全生产稳定。",
        )  # fmt: skip
    have = set(visit.requests.values_list("title", flat=True))
    first = "赤泥堆场扩容项目用地和环评手续办理"
    if first not in have:
        req = actions.raise_request(visit, actor=officer, title=first, topic="permits",
                                    description="现有赤泥库剩余库容约两年，扩容项目需协调用地预审和环评审批。")  # fmt: skip
        actions.assign_request(req, actor=liaison, owner_unit=_unit(ctx, "410106-DRC"), due_on=day + dt.timedelta(days=30))
    second = "厂区北侧运输道路破损，重车扬尘"
    if second not in have:
        actions.raise_request(visit, actor=officer, title=second, topic="infrastructure",
                              description="请区政府协调道路修复和洒水保洁，减少运输扬尘。")  # fmt: skip


def load(ctx: Any) -> None:
    with transaction.atomic():
        _pingkuang(ctx)
        _sxjm(ctx)
        _shangjie(ctx)
    ctx.log(
        "facilities: Pingkuang facilities and logs (one missing), Shanxi Coking Coal project (one step missing), "
        "Shangjie district visit to Chinalco Zhengzhou (two raised problems)"
    )
