"""Demo: an interview with its 30-day report and published accountability records, for Guangxi (the central 4th
team's inspection of Chinalco, whose Guangxi rare-earth company was the typical case) and for Yueyang.

Everything goes through the accountability actions (authorized, audited). Idempotent: a campaign that already has
the demo interview is left as it is. Names of persons are placeholders (张某), as in the published releases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from inspectorate import audit
from inspectorate.accountability import actions
from inspectorate.accountability.models import Interview
from inspectorate.accounts.models import Membership
from inspectorate.audit import snapshot
from inspectorate.orgs.models import OrgUnit
from inspectorate.rectification.models import Leader

from .foundation import DEMO_PASSWORD, _user
from .registry import DemoContext

D = dt.date

SCENARIOS: list[dict[str, Any]] = [
    {
        "campaign": "c2-4-chinalco",
        "team_leader": "cn4_leader",
        "inspector": "cn4_inspector",
        "discipline": ("chalco_discipline", "中铝集团纪检监察组问责人员", "纪检监察", "CHALCO"),
        "interview": {
            "title": "约谈中铝广西稀土公司主要负责人",
            "reason": "serious_case",
            "reason_note": "崇左、贺州稀土矿区废水超标排放、生态修复滞后，被列为典型案例通报。",
            "interviewer": "中央第四生态环境保护督察组",
            "date": D(2020, 9, 25),
            "unit": "CHALCO-RE-GX",
            "persons": [("广西稀土公司总经理", "CHALCO-RE-GX"), ("崇左矿区负责人", "CHALCO-RE-GX-CZ")],
            "requirements": "立即停止超标排放，30日内报送整改方案和进展。",
            "minutes": "听取广西稀土公司关于矿区废水治理和生态修复情况的汇报；指出问题，提出整改要求；被约谈单位表态整改。",
            "report_on": D(2020, 10, 23),
            "published_on": D(2020, 9, 28),
        },
        "issue": {
            "title": "广西稀土矿区生态破坏问题责任追究",
            "facts": "崇左稀土矿区长期超标排放，生态修复工作推进不力，存在敷衍整改问题。",
            "units": ["CHALCO-RE-GX", "CHALCO-RE-GX-CZ"],
            "suggested": "建议对广西稀土公司及崇左矿区相关负责人追责问责。",
            "handed_over": D(2021, 2, 1),
            "discipline_body": "中央纪委国家监委驻中国铝业集团纪检监察组",
            "transferred": D(2021, 2, 5),
            "investigating": D(2021, 2, 20),
            "decided": D(2021, 5, 20),
            "decision": "对4名责任人员分别给予党纪政务处分、诫勉谈话和组织处理。",
            "published": D(2021, 6, 10),
            "ref": "中国铝业集团官网、《中国有色金属报》",
            "records": [
                ("张某", "广西稀土公司原总经理", "CHALCO-RE-GX", "department", "soe", "sanction"),
                ("张某", "广西稀土公司原总经理", "CHALCO-RE-GX", "department", "soe", "organisational"),
                ("李某", "崇左矿区原负责人", "CHALCO-RE-GX-CZ", "division", "soe", "sanction"),
                ("王某", "广西稀土公司安全环保部经理", "CHALCO-RE-GX", "other", "soe", "admonishment"),
                ("赵某", "崇左矿区环保主管", "CHALCO-RE-GX-CZ", "other", "soe", "admonishment"),
            ],
        },
    },
    {
        "campaign": "hn-2-yueyang",
        "team_leader": "hn2_leader",
        "inspector": "hn2_inspector",
        "discipline": None,  # the provincial discipline commission (hn_discipline) reaches Yueyang
        "discipline_user": "hn_discipline",
        "interview": {
            "title": "约谈平江县人民政府",
            "reason": "lagging_rectification",
            "reason_note": "汨罗江平江段畜禽养殖污染整治进度滞后，群众反复举报。",
            "interviewer": "湖南省第二生态环境保护督察组",
            "date": D(2021, 8, 20),
            "unit": "430626",
            "persons": [("平江县分管负责人", "430626")],
            "requirements": "30日内报送畜禽养殖污染整治进展报告，逐项明确时限。",
            "minutes": "指出平江县整改滞后问题；县政府作出说明并表态；督察组提出限期整改要求。",
            "report_on": D(2021, 9, 17),
            "published_on": D(2021, 8, 23),
        },
        "issue": {
            "title": "汨罗江平江段污染问题责任追究",
            "facts": "畜禽养殖污染长期未整治，相关部门监管不力，虚报整改进度。",
            "units": ["430626"],
            "suggested": "建议对平江县分管负责人及县生态环境、农业农村部门有关人员追责。",
            "handed_over": D(2021, 7, 15),
            "discipline_body": "岳阳市纪委监委",
            "transferred": D(2021, 7, 20),
            "investigating": D(2021, 8, 1),
            "decided": D(2021, 10, 15),
            "decision": "对3名责任人员给予党纪政务处分或诫勉谈话，对平江县有关部门予以通报。",
            "published": D(2021, 11, 5),
            "ref": "岳阳日报、岳阳电视台、岳阳市人民政府网（一台一报一网）",
            "records": [
                ("周某", "平江县副县长", "430626", "division", "government", "admonishment"),
                ("吴某", "平江县农业农村局局长", "430626", "other", "department", "sanction"),
                ("郑某", "平江县生态环境分局局长", "430626", "other", "department", "sanction"),
                ("郑某", "平江县生态环境分局局长", "430626", "other", "department", "circular"),
            ],
        },
    },
]

REPORT_PDF = b"%PDF-1.4\n% demo interview report\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _discipline_officer(ctx: DemoContext, spec: dict[str, Any]) -> Any:
    if spec["discipline"] is None:
        return ctx.users.get(spec["discipline_user"])
    username, display, title, unit_code = spec["discipline"]
    user = _user(ctx, username, display, title)
    unit = OrgUnit.objects.get(code=unit_code)
    if not Membership.objects.filter(user=user, role="discipline_officer", org_unit=unit).exists():
        m = Membership(user=user, role="discipline_officer", org_unit=unit, title=title, valid_from=D(2020, 1, 1))
        m.full_clean()
        m.save()
        audit.record(ctx.actor, "membership.create", m, after=snapshot(m), reason="demo")
    ctx.logins.append((username, DEMO_PASSWORD, f"{display} (discipline_officer)"))
    return user


def _person(name: str, unit_code: str) -> dict[str, Any]:
    unit = OrgUnit.objects.get(code=unit_code)
    leader = Leader.objects.filter(name=name, unit=unit).first()
    return {"leader": leader} if leader else {"name": name, "unit": unit}


def _scenario(ctx: DemoContext, spec: dict[str, Any]) -> None:
    campaign = ctx.campaigns.get(spec["campaign"])
    if campaign is None:
        return
    discipline = _discipline_officer(ctx, spec)
    iv = spec["interview"]
    if Interview.objects.filter(campaign=campaign, title=iv["title"]).exists():
        return
    inspector, leader = ctx.users[spec["inspector"]], ctx.users[spec["team_leader"]]
    interview = actions.create_interview(
        actor=inspector,
        campaign=campaign,
        title=iv["title"],
        reason=iv["reason"],
        reason_note=iv["reason_note"],
        interviewer=iv["interviewer"],
        interview_date=iv["date"],
        units=[OrgUnit.objects.get(code=iv["unit"])],
        persons=[_person(n, u) for n, u in iv["persons"]],
        requirements=iv["requirements"],
    )
    actions.record_minutes(interview, actor=inspector, minutes=iv["minutes"])
    actions.publish_interview(interview, actor=leader, on=iv["published_on"])
    actions.submit_report(
        interview, actor=inspector, file=ContentFile(REPORT_PDF, name="整改情况报告.pdf"), received_on=iv["report_on"]
    )
    actions.verify_report(interview, actor=inspector, result="satisfactory", note="报告内容与现场核查情况一致。")

    s = spec["issue"]
    issue = actions.create_issue(
        actor=leader,
        campaign=campaign,
        title=s["title"],
        facts=s["facts"],
        responsible_units=[OrgUnit.objects.get(code=c) for c in s["units"]],
        suggested_people=s["suggested"],
        handed_over_on=s["handed_over"],
    )
    actions.transfer(issue, actor=leader, discipline_body=s["discipline_body"], on=s["transferred"])
    actions.start_investigation(issue, actor=discipline, on=s["investigating"])
    for name, post, unit_code, rank, unit_type, measure in s["records"]:
        actions.add_record(
            issue, actor=discipline, person_name=name, post=post, unit=OrgUnit.objects.get(code=unit_code), rank=rank,
            unit_type=unit_type, measure=measure, approving_body=s["discipline_body"], decided_on=s["decided"],
        )  # fmt: skip
    actions.decide(issue, actor=discipline, decision=s["decision"], on=s["decided"])
    actions.publish_issue(issue, actor=discipline, on=s["published"], publication_ref=s["ref"])


def load(ctx: DemoContext) -> None:
    with transaction.atomic():
        for spec in SCENARIOS:
            _scenario(ctx, spec)
    ctx.log("accountability: interviews with their 30-day reports and published accountability records (Guangxi, Yueyang)")
