"""Demo process-based KPI assessment (DOMAIN §8 D: "process-based instead of result-based KPIs"), idempotent.

Shanxi Coking Coal grades its three subsidiaries (Xishan, Fenxi, Huozhou; each with its mines) for the second
half of 2021 on the platform's own records:

* ledger milestones of the sxjm-2021 battle map (rectification demo) and hidden dangers with their deadlines
  (hazards demo), which already exist;
* one pollution-control facility per subsidiary with daily logs for December 2021, added here: Xishan's
  (at Tunlan mine) logged every day; Fenxi's missed 10 December and entered 20 December after the 10:00 warning,
  and stopped on 5 December for a fault (with a reason); Huozhou's (at Xinzhi mine) reported a stop on
  15 December without a reason, which the group office reviewed and did not accept -- the veto item.

The group office computes the scores and adds 5 points to Xishan's hidden-danger line (Tunlan's general danger
was fixed within its deadline; the system closed it only when it was verified later). Expected result, worked
out by hand in `kpi/tests/test_demo.py`: Fenxi 96.04 (1st), Xishan 70.00 + 5 = 75.00 (2nd), Huozhou vetoed, 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from inspectorate import audit
from inspectorate.accounts.models import Membership, User
from inspectorate.audit import snapshot
from inspectorate.facilities import actions as fac
from inspectorate.facilities.models import Facility, FacilityLog
from inspectorate.kpi import actions
from inspectorate.kpi.models import Scheme
from inspectorate.orgs.models import OrgUnit

from .foundation import DEMO_PASSWORD

D = dt.date
TITLE = "山西焦煤2021年下半年生态环境保护过程考核"
START, END = D(2021, 7, 1), D(2021, 12, 31)
DEC = [D(2021, 12, 1) + dt.timedelta(days=n) for n in range(31)]

INDICATORS: list[dict[str, Any]] = [
    {"name": "整改台账节点按期完成率", "kind": "process", "metric": "milestones_met", "weight": 30},
    {"name": "隐患按期整改销号率", "kind": "process", "metric": "dangers_closed_on_time", "weight": 30},
    {"name": "环保设施运行日志按时填报率", "kind": "process", "metric": "logs_on_time", "weight": 20},
    {"name": "环保设施正常运行率", "kind": "result", "metric": "facilities_running", "weight": 20},
    {"name": "日志缺报（每次扣1分，最多5分）", "kind": "deduction", "metric": "missing_log_warnings", "points": 1, "cap": 5},
    {"name": "重大隐患（每项扣5分，最多10分）", "kind": "deduction", "metric": "major_dangers_found", "points": 5, "cap": 10},
    {"name": "虚报停运原因（一票否决）", "kind": "veto", "metric": "logs_rejected"},
]

# (subsidiary, facility unit, officer, facility name, type)
FACILITIES = [
    ("SXJM-XS", "SXJM-XS-TY", "tunlan_officer", "屯兰矿矿井水处理站", "wastewater"),
    ("SXJM-FX", "SXJM-FX", "fenxi_officer", "汾西矿业储煤场抑尘喷淋系统", "dust_removal"),
    ("SXJM-HZ", "SXJM-HZ-CS", "xinzhi_officer", "辛置矿燃煤锅炉脱硫设施", "desulfurisation"),
]


def _fenxi_officer(ctx: Any) -> User:
    user = User.objects.filter(username="fenxi_officer").first()
    if user is None:
        user = User(username="fenxi_officer", display_name="汾西矿业环保专员", title="环保专员")
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit.record(ctx.actor, "user.create", user, after={"username": user.username, "display_name": user.display_name})
    unit = OrgUnit.objects.get(code="SXJM-FX")
    if not Membership.objects.filter(user=user, role="enterprise_officer", org_unit=unit, campaign=None).exists():
        m = Membership(user=user, role="enterprise_officer", org_unit=unit, title="环保专员", valid_from=D(2020, 1, 1))
        m.full_clean()
        m.save()
        audit.record(ctx.actor, "membership.create", m, after=snapshot(m), reason="demo")
    ctx.logins.append(("fenxi_officer", DEMO_PASSWORD, "汾西矿业环保专员 (enterprise_officer)"))
    return user


def _logs(ctx: Any, liaison: User) -> None:
    _fenxi_officer(ctx)
    mine = []
    for sub, code, username, name, kind in FACILITIES:
        officer = User.objects.get(username=username)
        unit = OrgUnit.objects.get(code=code)
        f = Facility.objects.filter(unit=unit, name=name).first()
        if f is None:
            f = fac.create_facility(actor=officer, name=name, facility_type=kind, unit=unit, commissioned_on=DEC[0])
        mine.append(f.pk)
        if FacilityLog.objects.filter(facility=f, day__in=DEC).exists():
            continue
        for day in DEC:
            if sub == "SXJM-FX" and day.day in (10, 20):
                fac.check_missing_logs(day, facilities=Facility.objects.filter(pk=f.pk))
                if day.day == 10:
                    continue  # never entered
            status, reason = "running", ""
            if sub == "SXJM-FX" and day.day == 5:
                status, reason = "fault", "喷淋泵电机烧毁，更换备用泵，储煤场暂停装卸作业"
            if sub == "SXJM-HZ" and day.day == 15:
                status = "stopped"  # no reason: flagged for the group's review
            log = fac.record_log(f, actor=officer, day=day, status=status, reason=reason)
            if sub == "SXJM-HZ" and day.day == 15:
                fac.review_log(
                    log, actor=liaison, accept=False,
                    note="集团抽查：当日锅炉正常运行，脱硫设施停运未报告原因，停运记录与实际不符",
                )  # fmt: skip
    # Like every facility in service, they are checked for yesterday's log (the facilities loader does it for the
    # others; a rerun of the demo then finds nothing new).
    fac.check_missing_logs(timezone.localdate() - dt.timedelta(days=1), facilities=Facility.objects.filter(pk__in=mine))


def load(ctx: Any) -> None:
    liaison = User.objects.get(username="sxjm_liaison")
    group = OrgUnit.objects.get(code="SXJM")
    with transaction.atomic():
        _logs(ctx, liaison)
        scheme = Scheme.objects.filter(owner_unit=group, title=TITLE).first()
        if scheme is None:
            scheme = actions.create_scheme(
                actor=liaison, owner_unit=group, title=TITLE, period_start=START, period_end=END,
                units=[OrgUnit.objects.get(code=c) for c in ("SXJM-XS", "SXJM-FX", "SXJM-HZ")], indicators=INDICATORS,
            )  # fmt: skip
        if not scheme.scores.exists():
            actions.compute_scores(scheme, actor=liaison)
        xishan = scheme.scores.get(unit__code="SXJM-XS")
        if not xishan.adjustments.exists():
            actions.adjust_score(
                xishan, actor=liaison, points=5, indicator=scheme.indicators.get(position=2),
                reason="屯兰矿储煤场抑尘网于2021年7月8日更换完毕（期限7月10日），复核时方在系统中验证销号，酌情加回5分",
            )  # fmt: skip
    ctx.log("kpi: Shanxi Coking Coal 2021 H2 process assessment of Xishan, Fenxi and Huozhou scored and ranked")
