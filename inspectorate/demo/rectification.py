"""Demo rectification ledgers (DOMAIN §8 A, B, D), idempotent.

* Chinalco (c2-4-chinalco, feedback 2021-02-01): 27 problems under the Guangxi rare-earth case, one task each,
  a **sample** of 54 measures standing for the published 204 (43 done ≈ 79.6%, as 162 of 204 ≈ 79% by end-2021),
  classes specific / common / deep-seated; two planted fake-rectification cases (one evidence file reused by two
  units; a notice cut to 3 working days); the other closures are honest and raise no flag.
* Yueyang (hn-2-yueyang): 23 items from four lists (central feedback, complaint cases, provincial feedback,
  city-found): 10 completed, 12 on schedule (three of them moving through sign-off now), 1 behind.
* Shanxi Coking Coal (sxjm-2021): a battle map across SXJM-XS / SXJM-FX / SXJM-HZ with done, on-schedule, behind
  and overdue tasks, and one "production stopped" closure contradicted by a later spot check.

Demo records use position titles, never real officials' names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from inspectorate import audit
from inspectorate.demo.complaints import YUEYANG as COMPLAINTS
from inspectorate.demo.complaints import ledger_decision_no
from inspectorate.orgs.models import Enterprise, OrgUnit
from inspectorate.rectification import actions
from inspectorate.rectification.fakecheck import compute_flags
from inspectorate.rectification.models import (
    Evidence,
    Leader,
    LedgerSettings,
    Measure,
    Plan,
    PlanStatus,
    Problem,
    SignOffStep,
    Task,
    TaskStatus,
)

D = dt.date


def _unit(ctx: Any, code: str) -> OrgUnit:
    u = ctx.units.get(code) if getattr(ctx, "units", None) else None
    return u or OrgUnit.objects.get(code=code)


def _leader(ctx: Any, name: str, unit_code: str) -> Leader:
    leader, _ = Leader.objects.get_or_create(name=name, unit=_unit(ctx, unit_code))
    return leader


def _plan(ctx: Any, campaign: Any, target: str, title: str, summary: str, approved_by: str, approved: dt.date) -> Plan:
    due, est, rule = actions.plan_due(campaign)
    plan, created = Plan.objects.get_or_create(
        campaign=campaign,
        target=_unit(ctx, target),
        version=1,
        defaults={
            "title": title,
            "public_summary": summary,
            "body": summary + "\n（内部稿：责任分工、调度安排、资金保障。）",
            "status": PlanStatus.PUBLISHED,
            "due": due,
            "due_estimated": est,
            "due_rule": rule,
            "submitted_on": due,
            "approved_on": approved,
            "approved_by_body": approved_by,
            "published_at": timezone.make_aware(dt.datetime.combine(approved + dt.timedelta(days=3), dt.time(10))),
            "created_by": ctx.actor,
        },
    )
    if created:
        audit.record(ctx.actor, "plan.create", plan, after=audit.snapshot(plan), reason="demo")
    return plan


def _evidence(task: Task, measure: Measure, content: bytes, name: str, captured: dt.date, uploaded: dt.date, by: Any) -> None:
    import hashlib

    ev = Evidence(
        task=task,
        measure=measure,
        kind="document",
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        captured_on=captured,
        uploaded_by=by,
    )
    ev.file.save(name, ContentFile(content), save=False)
    ev.save()
    # Historical upload time (the demo replays 2021–2023 work).
    Evidence.objects.filter(pk=ev.pk).update(uploaded_at=timezone.make_aware(dt.datetime.combine(uploaded, dt.time(9))))


def _task(
    ctx: Any,
    campaign: Any,
    problem: Problem,
    number: str,
    goal: str,
    leader: Leader,
    lead: str,
    acc: str,
    measures: list[tuple[str, dt.date, bool]],
    *,
    deadline: dt.date | None,
    impl: tuple[str, ...] = (),
    closed: dt.date | None = None,
    notice_days: int | None = None,
    conclusion: str = "",
    claim: str = "",
    plan: Plan | None = None,
    evidence_bytes: dict[int, bytes] | None = None,
    start: dt.date | None = None,
) -> Task:
    done = sum(1 for _, _, d in measures if d)
    task = Task(
        campaign=campaign,
        problem=problem,
        plan=plan,
        number=number,
        goal=goal,
        lead_leader=leader,
        lead_unit=_unit(ctx, lead),
        acceptance_unit=_unit(ctx, acc),
        start_date=start,
        deadline=deadline,
        long_term=deadline is None,
        review_dates=[] if deadline else [f"{timezone.localdate().year + 1}-06-30", f"{timezone.localdate().year + 1}-12-31"],
        progress=100 if closed else round(100 * done / max(len(measures), 1) * 0.9),
        status=TaskStatus.IN_PROGRESS if done or closed else TaskStatus.NOT_STARTED,
        closure_claim=claim,
    )
    if closed:
        start = closed - dt.timedelta(days=14)
        first, last, days, est = actions.notice_period(campaign, start)
        if notice_days is not None:
            from inspectorate.core import calendar

            last = calendar.add_working_days(first, notice_days - 1)
            days = notice_days
        verified = timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=5), dt.time(15)))
        task.status, task.signoff_step = TaskStatus.CLOSED, SignOffStep.FILED
        task.notice_start, task.notice_end, task.notice_days, task.notice_estimated = first, last, days, est
        task.closed_on = last + dt.timedelta(days=1)
        task.applied_at = verified - dt.timedelta(days=7)
        task.verified_at = verified
        task.signed_at = verified + dt.timedelta(days=1)
        task.verification_conclusion = (
            conclusion or f"经现场核查，任务{number}“{goal[:24]}”各项措施已落实，佐证资料齐全，同意验收。"
        )
    task.save()
    if impl:
        task.implementing_units.set([_unit(ctx, c) for c in impl])
    for i, (text, milestone, is_done) in enumerate(measures, start=1):
        m = Measure.objects.create(
            task=task,
            number=i,
            text=text,
            milestone=milestone,
            done=is_done or bool(closed),
            done_on=milestone if (is_done or closed) else None,
        )
        if is_done or closed:
            content = (evidence_bytes or {}).get(i) or f"{campaign.code}/{number}/{i}: {text} ({milestone})".encode()
            _evidence(task, m, content, f"{number}-{i}.pdf", milestone, milestone, ctx.actor)
    audit.record(ctx.actor, "task.create", task, after={"number": number, "status": task.status}, reason="demo")
    return task


# --- A. Chinalco / Guangxi rare earths ------------------------------------------------------------------

CHALCO_PROBLEMS = [
    # (title, nature, lead unit)
    ("广西稀土离子型矿山历史遗留采区生态修复滞后", "deep_seated", "CHALCO-RE-GX-CZ"),
    ("崇左矿区原地浸矿注液井周边地下水氨氮超标", "deep_seated", "CHALCO-RE-GX-CZ"),
    ("崇左矿区收液系统防渗不到位", "specific", "CHALCO-RE-GX-CZ"),
    ("贺州冶炼分离厂含氨废水处理设施运行不稳定", "specific", "CHALCO-RE-GX-HZ"),
    ("贺州冶炼分离厂废渣临时堆存不规范", "specific", "CHALCO-RE-GX-HZ"),
    ("矿区表土剥离和堆存未按方案执行", "specific", "CHALCO-RE-GX-CZ"),
    ("部分项目环评批复要求未落实", "common", "CHALCO-RE-GX"),
    ("在线监测设备数据传输不完整", "common", "CHALCO-RE-GX-HZ"),
    ("危险废物台账记录不规范", "common", "CHALCO-RE-GX-HZ"),
    ("矿区雨污分流系统不完善", "specific", "CHALCO-RE-GX-CZ"),
    ("尾水排放口规范化建设不到位", "specific", "CHALCO-RE-GX-CZ"),
    ("贺州厂区无组织排放管控不严", "specific", "CHALCO-RE-GX-HZ"),
    ("环境风险应急预案未及时修订", "common", "CHALCO-RE-GX"),
    ("生态环境保护责任制落实不到位", "deep_seated", "CHALCO-RE"),
    ("环保考核未与经营业绩挂钩", "deep_seated", "CHALCO-RE"),
    ("下属企业环保投入不足", "deep_seated", "CHALCO-RE"),
    ("矿山地质环境治理恢复基金计提不足", "common", "CHALCO-RE-GX"),
    ("排污许可证执行报告未按期提交", "common", "CHALCO-RE-GX-HZ"),
    ("矿区周边农田受影响问题群众反映强烈", "specific", "CHALCO-RE-GX-CZ"),
    ("稀土开采总量控制执行不严", "common", "CHALCO-RE-GX"),
    ("环保设施“三同时”执行不到位", "common", "CHALCO-RE-GX"),
    ("环境监测能力建设滞后", "common", "CHALCO-RE"),
    ("生态修复资金使用管理不规范", "common", "CHALCO-RE-GX"),
    ("自查自纠不深入不彻底", "deep_seated", "CHALCO-RE"),
    ("历史遗留废弃矿区责任主体不清", "deep_seated", "CHALCO-RE-GX"),
    ("环境信息公开不及时", "specific", "CHALCO-RE-GX"),
    ("整改工作专班机制不健全", "specific", "CHALCO-RE"),
]


def _chinalco(ctx: Any) -> None:
    campaign = ctx.campaigns.get("c2-4-chinalco")
    if campaign is None or Task.objects.filter(campaign=campaign).exists():
        return
    plan = _plan(
        ctx,
        campaign,
        "CHALCO",
        "中国铝业集团贯彻落实中央生态环境保护督察报告整改方案",
        "针对督察反馈的27个问题制定整改措施，明确责任单位、责任人、整改时限和验收单位；具体问题立行立改，共性问题同步整改，深层次问题系统整改。"
        "（演示台账为样本：54项措施代表公开报道的204项，已完成43项即79.6%，对应2021年底完成162项、79%。）",
        "中央生态环境保护督察办公室",
        D(2021, 3, 31),
    )
    leaders = {
        "CHALCO-RE": _leader(ctx, "稀土集团总经理", "CHALCO-RE"),
        "CHALCO-RE-GX": _leader(ctx, "广西稀土公司总经理", "CHALCO-RE-GX"),
        "CHALCO-RE-GX-HZ": _leader(ctx, "贺州冶炼分离厂厂长", "CHALCO-RE-GX-HZ"),
        "CHALCO-RE-GX-CZ": _leader(ctx, "崇左矿区负责人", "CHALCO-RE-GX-CZ"),
    }
    future = D(timezone.localdate().year + 1, 9, 30)
    shared_report = "2021年第二季度广西稀土公司地下水监测报告（同一份文件）".encode()
    urgency = {"specific": "immediate", "common": "time_limited", "deep_seated": "long_term"}
    for i, (title, nature, lead) in enumerate(CHALCO_PROBLEMS, start=1):
        problem = Problem.objects.create(
            campaign=campaign,
            unit=_unit(ctx, lead),
            number=str(i),
            title=title,
            source="central_feedback",
            urgency=urgency[nature],
            nature=nature,
            created_by=ctx.actor,
        )
        acc = "CHALCO" if nature == "deep_seated" else "CHALCO-RE"
        base = D(2021, 3, 1) + dt.timedelta(days=9 * i)
        m1, m2 = f"{title[:14]}：排查并制定整改方案", f"{title[:14]}：完成整改并建立长效机制"
        kwargs: dict[str, Any] = {"plan": plan, "impl": ("CHALCO-RE-GX",) if lead != "CHALCO-RE-GX" else ()}
        if i <= 18:  # specific and common problems finished in 2021 (18 tasks, 36 measures)
            deadline = base + dt.timedelta(days=150)
            measures = [(m1, base + dt.timedelta(days=20), True), (m2, base + dt.timedelta(days=90), True)]
            closed = base + dt.timedelta(days=110)
            if i == 5:  # planted: the same monitoring report as task 12.1, another unit
                kwargs["evidence_bytes"] = {2: shared_report}
            if i == 12:
                kwargs["evidence_bytes"] = {2: shared_report}
            if i == 8:  # planted: a notice cut to 3 working days
                kwargs["notice_days"] = 3
            _task(
                ctx,
                campaign,
                problem,
                f"{i}.1",
                f"彻底解决“{title}”问题",
                leaders[lead],
                lead,
                acc,
                measures,
                deadline=deadline,
                closed=closed,
                **kwargs,
            )
        elif i <= 25:  # one measure done, the second runs to next year (7 tasks)
            measures = [(m1, base + dt.timedelta(days=30), True), (m2, future, False)]
            _task(
                ctx,
                campaign,
                problem,
                f"{i}.1",
                f"系统推进“{title}”整改",
                leaders[lead],
                lead,
                acc,
                measures,
                deadline=None,
                **kwargs,
            )
        else:  # deep-seated, planned in stages (2 tasks)
            measures = [(m1, future - dt.timedelta(days=120), False), (m2, future, False)]
            _task(
                ctx,
                campaign,
                problem,
                f"{i}.1",
                f"建立“{title}”长效机制",
                leaders[lead],
                lead,
                acc,
                measures,
                deadline=None,
                **kwargs,
            )


# --- B. Yueyang -----------------------------------------------------------------------------------------

YUEYANG = [
    # (source, title, lead unit, complaint row, state) state: done / on / behind / apply / verified / notice.
    # A complaint-sourced item names the row of demo.complaints.YUEYANG it came from; it is linked to that
    # complaint's case, which lies in the item's county (the same campaign and area, as check_data verifies).
    ("central_feedback", "东洞庭湖保护区内历史遗留矮围未全部拆除", "430611", None, "done"),
    ("central_feedback", "华容河水质不稳定达标", "430623", None, "on"),
    ("central_feedback", "城市污水处理厂进水浓度偏低", "430602", None, "done"),
    ("central_feedback", "长江岸线非法码头整治不彻底", "430682", None, "on"),
    ("central_feedback", "化工园区环境风险防控体系不健全", "430603", None, "on"),
    ("complaint_case", "平江县某生猪养殖场粪污直排", "430626", 5, "notice"),
    ("complaint_case", "汨罗市某再生金属公司熔炼烟尘", "430681", 11, "done"),
    ("complaint_case", "岳阳县荣家湾镇污水处理厂出水超标", "430621", 19, "done"),
    ("complaint_case", "湘阴县某砂石场粉尘污染", "430624", 9, "done"),
    ("complaint_case", "云溪区某石化企业周边夜间恶臭", "430603", 0, "on"),
    ("complaint_case", "平江县伍市镇工业园企业焚烧废塑料", "430626", 7, "apply"),
    ("complaint_case", "君山区良心堡镇养鸡场粪污乱排", "430611", 16, "done"),
    ("complaint_case", "临湘市某化工企业夜间偷排废气", "430682", 13, "verified"),
    ("provincial_feedback", "县级饮用水水源地保护区违规建筑", "430626", None, "behind"),
    ("provincial_feedback", "农村生活垃圾收转运体系不完善", "430621", None, "on"),
    ("provincial_feedback", "工业固废堆场防渗不达标", "430603", None, "done"),
    ("provincial_feedback", "规模养殖场粪污资源化利用率偏低", "430623", None, "on"),
    ("provincial_feedback", "建筑工地扬尘管控不到位", "430602", None, "done"),
    ("provincial_feedback", "河道采砂管理秩序混乱", "430681", None, "on"),
    ("self_found", "乡镇污水处理设施运行率低", "430624", None, "on"),
    ("self_found", "重点排污单位自动监控数据异常", "430600-EEB", None, "done"),
    ("self_found", "尾矿库环境风险隐患", "430682", None, "on"),
    ("self_found", "城区餐饮油烟在线监控覆盖不足", "430602", None, "done"),
]


VERIFY_NOTES = {
    "6.1": "养殖粪污已全部接入厂内处理设施，直排口已封堵，周边沟渠水质复测达标。",
    "13.1": "废气收集处理设施已完成改造并稳定运行，夜间监督性监测达标，周边无异味投诉。",
}


def _yueyang(ctx: Any) -> None:
    campaign = ctx.campaigns.get("hn-2-yueyang")
    if campaign is None or Task.objects.filter(campaign=campaign).exists():
        return
    plan = _plan(
        ctx,
        campaign,
        "430600",
        "岳阳市贯彻落实省第二生态环境保护督察组督察反馈意见整改方案",
        "督察反馈问题、交办信访件、省级反馈问题和市级自查问题四张清单合并建账，共23项整改任务，逐项明确牵头单位、责任领导、时限和验收单位。",
        "湖南省人民政府",
        D(2021, 9, 10),
    )
    today = timezone.localdate()
    pig = Enterprise.objects.filter(org_unit__code="430626").first()
    live: list[tuple[Task, str]] = []
    for i, (source, title, lead, row, state) in enumerate(YUEYANG, start=1):
        case = _complaint_case(campaign, row)
        problem = Problem.objects.create(
            campaign=campaign,
            unit=_unit(ctx, lead),
            number=str(i),
            title=title,
            source=source,
            origin_case=case,
            origin_case_number=case.number if case else "",
            urgency="immediate" if source == "complaint_case" else "time_limited",
            nature="specific" if source == "complaint_case" else "common",
            enterprise=pig if "生猪" in title else None,
            is_violation=case is not None and case.verdict != "untrue",
            penalty_ref=ledger_decision_no(row) if case is not None and row is not None else "",
            created_by=ctx.actor,
        )
        leader = _leader(ctx, f"{_unit(ctx, lead).name_zh}分管负责人" if lead != "430600-EEB" else "市生态环境局局长", lead)
        base = D(2021, 8, 1) + dt.timedelta(days=11 * i)
        m = [f"{title[:12]}：查清底数", f"{title[:12]}：完成治理", f"{title[:12]}：验收销号准备"]
        if state == "done":
            measures = [(m[0], base, True), (m[1], base + dt.timedelta(days=60), True)]
            _task(
                ctx,
                campaign,
                problem,
                f"{i}.1",
                f"整改“{title}”",
                leader,
                lead,
                "430600-EEB",
                measures,
                deadline=base + dt.timedelta(days=200),
                closed=base + dt.timedelta(days=80),
                plan=plan,
            )
        elif state == "behind":
            measures = [
                (m[0], base, True),
                (m[1], today - dt.timedelta(days=40), False),
                (m[2], today + dt.timedelta(days=200), False),
            ]
            _task(
                ctx,
                campaign,
                problem,
                f"{i}.1",
                f"整改“{title}”",
                leader,
                lead,
                "430600-EEB",
                measures,
                deadline=today + dt.timedelta(days=240),
                plan=plan,
                start=base,  # far behind the time-proportional pace as well
            )
        elif state == "on":
            measures = [
                (m[0], base, True),
                (m[1], today + dt.timedelta(days=30 + 7 * i), False),
                (m[2], today + dt.timedelta(days=120 + 7 * i), False),
            ]
            _task(
                ctx,
                campaign,
                problem,
                f"{i}.1",
                f"整改“{title}”",
                leader,
                lead,
                "430600-EEB",
                measures,
                deadline=today + dt.timedelta(days=200 + 7 * i),
                plan=plan,
                impl=("430600-EEB",),
                start=today - dt.timedelta(days=100),  # about a third of the span elapsed: on pace at 30%
            )
        else:  # moving through sign-off now, by the demo users themselves
            measures = [(m[0], today - dt.timedelta(days=60), False), (m[1], today - dt.timedelta(days=20), False)]
            t = _task(
                ctx,
                campaign,
                problem,
                f"{i}.1",
                f"整改“{title}”",
                leader,
                lead,
                "430600-EEB",
                measures,
                deadline=today + dt.timedelta(days=120),
                plan=plan,
            )
            live.append((t, state))
    # Three different people apply (the lead unit), verify on site and sign (the acceptance unit).
    handler, acc, liaison = ctx.users.get("yy_pj_handler"), ctx.users.get("yy_acceptance"), ctx.users.get("yy_liaison")
    signer = ctx.users.get("yy_signer")
    if not (handler and acc and liaison and signer):
        return
    for t, state in live:
        doer = handler if t.lead_unit.code == "430626" else ctx.actor
        for mm in t.measures.all():
            actions.add_evidence(
                t,
                actor=doer,
                measure=mm,
                content=f"yy/{t.number}/{mm.number} 现场照片".encode(),
                filename=f"{t.number}-{mm.number}.jpg",
                kind="photo",
                captured_on=mm.milestone,
            )
        actions.record_progress(
            t, actor=doer, percent=100, note="全部措施完成，申请验收", measures_done=[mm.pk for mm in t.measures.all()]
        )
        actions.apply_sign_off(t, actor=doer, note="申请验收销号")
        if state in ("verified", "notice"):
            actions.verify(
                t, actor=acc, conclusion=f"{t.lead_unit.name_zh}：现场核查“{t.problem.title}”，{VERIFY_NOTES[t.number]}"
            )
        if state == "notice":
            actions.sign(t, actor=signer, note="验收合格")
            actions.start_notice(t, actor=liaison, start=today)


# --- D. Shanxi Coking Coal battle map --------------------------------------------------------------------

SXJM = [
    # (title, lead, state, months of milestones from Jul 2021, claim)
    ("屯兰矿矸石山自燃治理", "SXJM-XS", "done", (1, 4, 8), ""),
    ("西山煤电燃煤锅炉超低排放改造", "SXJM-XS", "done", (2, 6), ""),
    ("西山煤电矿井水处理站提标", "SXJM-XS", "overdue", (3, 9, 14), ""),
    ("汾西矿业储煤场全封闭改造", "SXJM-FX", "done", (1, 3, 5), ""),
    ("汾西矿业洗煤废水闭路循环", "SXJM-FX", "contradicted", (2, 5), "stopped"),
    ("汾西矿业采煤沉陷区生态修复", "SXJM-FX", "long", (6, 12, 18), ""),
    ("霍州煤电辛置矿矸石综合利用", "SXJM-HZ", "behind", (4, 10, 16), ""),
    ("霍州煤电焦化厂VOCs治理", "SXJM-HZ", "done", (2, 4, 7), ""),
    ("霍州煤电运输道路抑尘", "SXJM-HZ", "overdue", (1, 2, 6), ""),
    ("集团环保管理“三级架构”建设", "SXJM", "done", (1, 2), ""),
    ("环保过程考核办法修订", "SXJM", "done", (2, 3), ""),
    ("建设项目“三同时”全流程管控", "SXJM", "long", (3, 9, 15), ""),
    ("隐患排查治理常态化机制", "SXJM", "long", (1, 6, 12), ""),
    ("西山煤电煤矸石发电厂脱硫改造", "SXJM-XS", "behind", (5, 11), ""),
    ("汾西矿业矿区绿化提升", "SXJM-FX", "done", (3, 6), ""),
    ("霍州煤电在线监测联网", "SXJM-HZ", "done", (2, 5), ""),
]


def _sxjm(ctx: Any) -> None:
    campaign = ctx.campaigns.get("sxjm-2021")
    if campaign is None or Task.objects.filter(campaign=campaign).exists():
        return
    plan = _plan(
        ctx,
        campaign,
        "SXJM",
        "山西焦煤生态环境保护大排查大整治行动方案",
        "把中央督察“重重一击”变为“强力推动”：重点任务分解到子分公司，挂图作战，按月调度。",
        "山西焦煤集团党委",
        D(2021, 6, 25),
    )
    today = timezone.localdate()
    start = D(2021, 7, 1)

    def month(n: int) -> dt.date:
        y, mo = divmod(start.month - 1 + n, 12)
        return D(start.year + y, mo + 1, 15)

    liaison = ctx.users.get("sxjm_liaison")
    for i, (title, lead, state, months, claim) in enumerate(SXJM, start=1):
        problem = Problem.objects.create(
            campaign=campaign,
            unit=_unit(ctx, lead),
            number=str(i),
            title=title,
            source="self_found",
            urgency="long_term" if state == "long" else "time_limited",
            nature="deep_seated" if lead == "SXJM" else "specific",
            created_by=ctx.actor,
        )
        leader = _leader(ctx, f"{_unit(ctx, lead).name_zh}分管副总经理", lead)
        texts = ["排查建档", "方案审批", "工程实施", "竣工验收"]
        if state == "long":
            ms = [
                (
                    f"{title}：{texts[k]}",
                    month(m) if k < len(months) - 1 else today + dt.timedelta(days=90 * (k + 1)),
                    k < len(months) - 1,
                )
                for k, m in enumerate(months)
            ]
            _task(ctx, campaign, problem, f"{i}", title, leader, lead, "SXJM", ms, deadline=None, plan=plan)
            continue
        ms = [(f"{title}：{texts[k]}", month(m), state in ("done", "contradicted") or k == 0) for k, m in enumerate(months)]
        if state == "behind":  # re-planned: last milestone still ahead, an earlier one missed
            ms[-1] = (ms[-1][0], today + dt.timedelta(days=60), False)
        deadline = month(max(months) + 2) if state != "behind" else today + dt.timedelta(days=120)
        closed = month(max(months) + 1) if state in ("done", "contradicted") else None
        t = _task(
            ctx,
            campaign,
            problem,
            f"{i}",
            title,
            leader,
            lead,
            "SXJM",
            ms,
            deadline=deadline,
            closed=closed,
            claim=claim,
            plan=plan,
        )
        if state == "contradicted" and liaison is not None:
            actions.reopen(
                t, actor=liaison, source="spot_check", reason="集团专项抽查：洗煤废水仍有外排，闭路循环未实现", on=D(2022, 9, 6)
            )


def _complaint_case(campaign: Any, row: int | None) -> Any:
    """The case made from row `row` of the demo's Yueyang complaints (None when there is no such case)."""
    from inspectorate.complaints.models import Complaint

    if row is None:
        return None
    complaint = (
        Complaint.objects.filter(campaign=campaign, text=COMPLAINTS[row][4], case__isnull=False).select_related("case").first()
    )
    return complaint.case if complaint else None


def load(ctx: Any) -> None:
    with transaction.atomic():
        _chinalco(ctx)
        _yueyang(ctx)
        _sxjm(ctx)
        for code in ("c2-4-chinalco", "hn-2-yueyang", "sxjm-2021"):
            campaign = ctx.campaigns.get(code)
            if campaign is not None:
                LedgerSettings.objects.get_or_create(campaign=campaign)
                compute_flags(campaign)
    ctx.log("rectification: Chinalco, Yueyang and Shanxi Coking Coal ledgers ready")
