"""Demo hidden dangers and self-inspections (issue 11; DOMAIN §8 C and D), idempotent.

* Shanxi Coking Coal (§8 D, "from preventing accidents to preventing hidden dangers"): a group checklist and a
  hidden-danger campaign on the three-level tree group (SXJM) → subsidiaries (Xishan, Huozhou) → mines (Tunlan,
  Xinzhi).  A major danger at Tunlan mine is escalated to Xishan and waits for Xishan's verification; a general
  one at Tunlan was closed by a second person; one at Xinzhi is overdue; one at Xishan's own level was put on the
  group's battle-map ledger (sxjm-2021).
* Pingkuang (§8 C): before the Jiangxi provincial inspection of Jiangxi Investment Group, Pingkuang runs a
  self-inspection of its coking plant and Gaokeng mine with a checklist; at the coking plant one failed item
  (coke-oven gas flared without ignition) became a hidden danger, photo attached.

Each danger is found by its natural key (unit and title); the filled checklist carries a fixed Idempotency-Key.
Demo records use position titles, never real officials' names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from inspectorate import audit
from inspectorate.accounts.models import Membership, User
from inspectorate.audit import snapshot
from inspectorate.campaigns.models import Campaign
from inspectorate.hazards import actions
from inspectorate.hazards.actions.selfcheck import Reply
from inspectorate.hazards.models import ChecklistTemplate, HiddenDanger, SelfInspection
from inspectorate.orgs.models import OrgUnit

from .foundation import DEMO_PASSWORD

D = dt.date
# A 1×1 PNG standing for a site photo.
PHOTO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)

# (username, display name, title, role, unit code)
USERS = [
    ("tunlan_officer", "屯兰矿环保员", "环保员", "enterprise_officer", "SXJM-XS-TY"),
    ("tunlan_checker", "屯兰矿安全环保科科长", "安全环保科", "enterprise_officer", "SXJM-XS-TY"),
    ("xinzhi_officer", "辛置矿环保员", "环保员", "enterprise_officer", "SXJM-HZ-CS"),
    ("pk_coke_inspector", "萍矿焦化厂环保检查员", "检查员", "enterprise_officer", "JXIG-PK-COKE"),
]


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def _users(ctx: Any) -> dict[str, User]:
    out = {}
    for username, display, title, role, code in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display, title=title)
            user.set_password(DEMO_PASSWORD)
            user.save()
            audit.record(ctx.actor, "user.create", user, after={"username": username, "display_name": display})
        unit = _unit(code)
        if not Membership.objects.filter(user=user, role=role, org_unit=unit, campaign=None).exists():
            m = Membership(user=user, role=role, org_unit=unit, title=title, valid_from=D(2020, 1, 1))
            m.full_clean()
            m.save()
            audit.record(ctx.actor, "membership.create", m, after=snapshot(m), reason="demo")
        ctx.logins.append((username, DEMO_PASSWORD, f"{display} ({role})"))
        out[username] = user
    for username in ("sxjm_liaison", "sxjm_officer", "pk_officer"):
        out[username] = User.objects.get(username=username)
    return out


def _checklist(owner: str, title: str, items: list[dict[str, Any]], actor: Any) -> ChecklistTemplate:
    found = ChecklistTemplate.objects.filter(owner_unit__code=owner, title=title).first()
    return found or actions.create_checklist(actor=actor, owner_unit=_unit(owner), title=title, items=items)


def _danger(actor: Any, unit: str, title: str, **fields: Any) -> tuple[HiddenDanger, bool]:
    found = HiddenDanger.objects.filter(unit__code=unit, title=title).first()
    if found is not None:
        return found, False
    return actions.create_danger(actor=actor, unit=_unit(unit), title=title, **fields), True


def _to_pending(danger: HiddenDanger, actor: Any, *, measure: str, person: str, deadline: dt.date, note: str) -> None:
    actions.update_danger(danger, actor=actor, measure=measure, responsible_person=person, deadline=deadline)
    actions.start_rectification(danger, actor=actor)
    actions.add_danger_evidence(danger, actor=actor, content=PHOTO, filename="整改后.png", stage="rectified", note=note)
    actions.submit_for_verification(danger, actor=actor, note=note)


def _sxjm(ctx: Any, u: dict[str, User]) -> None:
    _checklist(
        "SXJM",
        "山西焦煤生态环境隐患排查表（煤矿）",
        [
            {
                "category": "solid_waste",
                "requirement": "矸石山规范堆存，无自燃冒烟",
                "legal_basis": "固体废物污染环境防治法第四十条",
                "weight": 25,
            },
            {
                "category": "water",
                "requirement": "矿井水处理站稳定运行、达标排放",
                "legal_basis": "水污染防治法第三十九条",
                "weight": 25,
            },
            {
                "category": "air",
                "requirement": "储煤场全封闭，装卸点抑尘设施运行",
                "legal_basis": "大气污染防治法第七十二条",
                "weight": 20,
            },
            {
                "category": "monitoring",
                "requirement": "在线监测数据稳定传输、无异常",
                "legal_basis": "排污许可管理条例第二十条",
                "weight": 15,
                "photo_required": True,
            },
            {"category": "ecology", "requirement": "采煤沉陷区按方案治理", "legal_basis": "土地复垦条例", "weight": 15},
        ],
        u["sxjm_liaison"],
    )
    # Tunlan mine (plant): a major danger, escalated to Xishan; rectified by the mine, waiting for Xishan to verify.
    major, new = _danger(
        u["tunlan_officer"], "SXJM-XS-TY", "矸石山东坡局部自燃冒烟",
        location="屯兰矿矸石山东坡", category="solid_waste", level="major", found_on=D(2021, 6, 12),
        description="大排查中发现矸石山东坡约200平方米范围自燃冒烟，周边可闻到异味。", files=[("矸石山自燃.png", PHOTO)],
    )  # fmt: skip
    if new:
        _to_pending(
            major, u["tunlan_officer"], measure="注浆灭火、黄土覆盖碾压，设置测温点每日巡检", person="屯兰矿分管副矿长",
            deadline=D(2021, 8, 31), note="灭火覆盖完成，测温正常",
        )  # fmt: skip
    # Tunlan: a general danger, rectified and verified by another person of the mine.
    general, new = _danger(
        u["tunlan_officer"], "SXJM-XS-TY", "储煤场东侧挡风抑尘网破损",
        location="屯兰矿储煤场东侧", category="air", found_on=D(2021, 6, 12),
    )  # fmt: skip
    if new:
        _to_pending(
            general, u["tunlan_officer"], measure="更换破损抑尘网，增设喷淋", person="储运队队长", deadline=D(2021, 7, 10),
            note="抑尘网已更换",
        )  # fmt: skip
        actions.verify_danger(general, actor=u["tunlan_checker"], conclusion="现场核查：抑尘网完好，喷淋运行正常。")
    # Xinzhi mine (under Huozhou): overdue, still rectifying.
    overdue, new = _danger(
        u["xinzhi_officer"], "SXJM-HZ-CS", "矿井水处理站絮凝剂投加装置故障",
        location="辛置矿矿井水处理站", category="water", found_on=D(2021, 6, 15),
    )  # fmt: skip
    if new:
        actions.update_danger(
            overdue,
            actor=u["xinzhi_officer"],
            measure="更换加药泵，完善备用泵",
            responsible_person="水处理站站长",
            deadline=D(2021, 7, 15),
        )
        actions.start_rectification(overdue, actor=u["xinzhi_officer"])
    # Xishan (subsidiary level): found by the subsidiary's officer and put on the group's ledger by the group office.
    ledger, new = _danger(
        u["sxjm_officer"], "SXJM-XS", "洗煤厂煤泥水闭路循环不完善",
        location="西山煤电洗煤厂", category="water", found_on=D(2021, 6, 18),
        measure="改造浓缩池与压滤系统，实现煤泥水闭路循环", responsible_person="洗煤厂厂长", deadline=D(2021, 12, 31),
    )  # fmt: skip
    campaign = Campaign.objects.filter(code="sxjm-2021").first()
    if ledger.problem_id is None and campaign is not None:
        actions.promote_danger(ledger, actor=u["sxjm_liaison"], campaign=campaign, number="YH-1")


def _pingkuang(ctx: Any, u: dict[str, User]) -> None:
    checklist = _checklist(
        "JXIG-PK",
        "萍矿集团迎检环保自查表",
        [
            {
                "category": "air",
                "requirement": "焦炉煤气不得未经点燃直接放散",
                "legal_basis": "大气污染防治法第四十八条",
                "weight": 30,
            },
            {
                "category": "facility",
                "requirement": "脱硫脱硝设施与主体设施同步运行",
                "legal_basis": "排污许可管理条例",
                "weight": 30,
            },
            {
                "category": "hazardous_waste",
                "requirement": "焦油渣等危险废物规范贮存、台账完整",
                "legal_basis": "固体废物污染环境防治法第七十七条",
                "weight": 20,
            },
            {
                "category": "monitoring",
                "requirement": "在线监测设备运行正常（拍摄数采仪画面）",
                "legal_basis": "排污许可管理条例第二十条",
                "weight": 20,
                "photo_required": True,
            },
        ],
        u["pk_officer"],
    )
    title = "萍矿集团迎接省督察自查自纠"
    insp = SelfInspection.objects.filter(organiser__code="JXIG-PK", title=title).first()
    if insp is None:
        insp = actions.create_self_inspection(
            actor=u["pk_officer"],
            organiser=_unit("JXIG-PK"),
            title=title,
            checklist=checklist,
            scope_units=[_unit("JXIG-PK-COKE"), _unit("JXIG-PK-GK")],
            start_date=D(2021, 9, 7),
            end_date=D(2021, 9, 20),
            campaign=Campaign.objects.filter(code="jx-2-jxig").first(),
        )
    items = list(checklist.items.all())
    replies = [
        Reply(
            item=items[0], result="fail", note="2号焦炉荒煤气放散管未点火直接放散，现场可见黄烟。", photo=("放散管.png", PHOTO)
        ),
        Reply(item=items[1], result="pass"),
        Reply(item=items[2], result="pass", note="台账完整"),
        Reply(item=items[3], result="pass", photo=("数采仪.png", PHOTO)),
    ]
    actions.submit_checklist(
        insp,
        actor=u["pk_coke_inspector"],
        unit=_unit("JXIG-PK-COKE"),
        replies=replies,
        lat=None,
        lon=None,
        idempotency_key="demo-pingkuang-coke-2021",
    )


def load(ctx: Any) -> None:
    with transaction.atomic():
        users = _users(ctx)
        _sxjm(ctx, users)
        _pingkuang(ctx, users)
    ctx.log("hazards: Shanxi Coking Coal hidden-danger campaign and the Pingkuang self-inspection ready")
