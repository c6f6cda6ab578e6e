"""The foundation of the demo: org trees, enterprises, the five scenarios' campaigns and teams, users per role.

Data follows DOMAIN.md §8 (real dates from the published articles; role titles, not officials' names).
Boundaries are schematic rectangles for routing demos, not survey data.
Idempotent: everything is looked up by its natural key and only created when missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from inspectorate import audit
from inspectorate.accounts.models import Membership, User
from inspectorate.audit import snapshot
from inspectorate.campaigns.models import Campaign, Team
from inspectorate.orgs.models import Enterprise, OrgUnit
from inspectorate.orgs.validators import credit_check_char

from .registry import DemoContext

DEMO_PASSWORD = "inspect-2026"  # noqa: S105 -- printed by load_demo; demo data only


def box(x1: float, y1: float, x2: float, y2: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]}


# (code, parent code, kind, type, name_zh, name_en, boundary)
UNITS: list[tuple[str, str, str, str, str, str, dict[str, Any] | None]] = [
    # Inspection bodies
    ("CEPI", "", "inspectorate", "central", "中央生态环境保护督察办公室", "Central Eco-environmental Inspection Office", None),
    (
        "HN-DCB",
        "",
        "inspectorate",
        "inspection_office",
        "湖南省生态环境保护督察办公室",
        "Hunan Eco-environmental Inspection Office",
        None,
    ),
    (
        "JX-DCB",
        "",
        "inspectorate",
        "inspection_office",
        "江西省生态环境保护督察办公室",
        "Jiangxi Eco-environmental Inspection Office",
        None,
    ),
    # Hunan → Yueyang → counties
    ("430000", "", "government", "province", "湖南省", "Hunan Province", None),
    ("430600", "430000", "government", "city", "岳阳市", "Yueyang", box(112.40, 28.50, 114.10, 29.75)),
    ("430600-EEB", "430600", "government", "department", "岳阳市生态环境局", "Yueyang Ecology and Environment Bureau", None),
    ("430602", "430600", "government", "county", "岳阳楼区", "Yueyanglou District", box(113.05, 29.30, 113.20, 29.45)),
    ("430603", "430600", "government", "county", "云溪区", "Yunxi District", box(113.20, 29.45, 113.45, 29.60)),
    ("430611", "430600", "government", "county", "君山区", "Junshan District", box(112.85, 29.35, 113.05, 29.60)),
    ("430621", "430600", "government", "county", "岳阳县", "Yueyang County", box(113.00, 29.00, 113.45, 29.30)),
    ("430623", "430600", "government", "county", "华容县", "Huarong County", box(112.40, 29.35, 112.85, 29.75)),
    ("430624", "430600", "government", "county", "湘阴县", "Xiangyin County", box(112.70, 28.50, 113.00, 28.95)),
    ("430626", "430600", "government", "county", "平江县", "Pingjiang County", box(113.45, 28.50, 114.10, 29.05)),
    ("430681", "430600", "government", "county", "汨罗市", "Miluo", box(113.00, 28.65, 113.45, 29.00)),
    ("430682", "430600", "government", "county", "临湘市", "Linxiang", box(113.45, 29.30, 113.90, 29.70)),
    # Guangxi
    ("450000", "", "government", "province", "广西壮族自治区", "Guangxi Zhuang Autonomous Region", None),
    ("451100", "450000", "government", "city", "贺州市", "Hezhou", box(111.05, 23.65, 112.05, 24.80)),
    ("451400", "450000", "government", "city", "崇左市", "Chongzuo", box(106.55, 21.60, 108.10, 23.10)),
    # Jiangxi
    ("360000", "", "government", "province", "江西省", "Jiangxi Province", None),
    ("360100", "360000", "government", "city", "南昌市", "Nanchang", None),
    ("360300", "360000", "government", "city", "萍乡市", "Pingxiang", None),
    # Shanxi
    ("140000", "", "government", "province", "山西省", "Shanxi Province", None),
    ("140100", "140000", "government", "city", "太原市", "Taiyuan", None),
    ("141000", "140000", "government", "city", "临汾市", "Linfen", None),
    # Henan → Zhengzhou → Shangjie district and its departments (scenario E)
    ("410000", "", "government", "province", "河南省", "Henan Province", None),
    ("410100", "410000", "government", "city", "郑州市", "Zhengzhou", None),
    ("410106", "410100", "government", "county", "上街区", "Shangjie District", None),
    ("410106-HEALTH", "410106", "government", "department", "上街区卫生健康委员会", "Shangjie Health Commission", None),
    (
        "410106-DRC",
        "410106",
        "government",
        "department",
        "上街区发展和改革委员会",
        "Shangjie Development and Reform Commission",
        None,
    ),
    ("410106-IIT", "410106", "government", "department", "上街区工业和信息化局", "Shangjie Industry and IT Bureau", None),
    ("410106-FIRE", "410106", "government", "department", "上街区消防救援大队", "Shangjie Fire Brigade", None),
    ("410106-SAFETY", "410106", "government", "department", "上街区应急管理局", "Shangjie Work Safety Bureau", None),
    ("410106-SUPV", "410106", "government", "department", "上街区督查室", "Shangjie Supervision Office", None),
    # Enterprise trees
    ("CHALCO", "", "enterprise", "group", "中国铝业集团有限公司", "Aluminum Corporation of China (Chinalco)", None),
    ("CHALCO-RE", "CHALCO", "enterprise", "subsidiary", "中铝稀土（集团）", "Chinalco Rare Earth sub-group", None),
    (
        "CHALCO-RE-GX",
        "CHALCO-RE",
        "enterprise",
        "subsidiary",
        "中铝广西有色稀土开发有限公司",
        "Chinalco Guangxi Rare Earth Development Co.",
        None,
    ),
    ("CHALCO-RE-GX-HZ", "CHALCO-RE-GX", "enterprise", "plant", "贺州稀土冶炼分离厂", "Hezhou rare-earth separation plant", None),
    ("CHALCO-RE-GX-CZ", "CHALCO-RE-GX", "enterprise", "plant", "崇左稀土矿区", "Chongzuo rare-earth mining area", None),
    ("CHALCO-ZZ", "CHALCO", "enterprise", "subsidiary", "中铝郑州企业", "Chinalco Zhengzhou", None),
    ("CHALCO-ZZ-AL", "CHALCO-ZZ", "enterprise", "plant", "氧化铝厂", "Alumina plant", None),
    ("CHALCO-ZZ-NM", "CHALCO-ZZ", "enterprise", "plant", "新材料厂", "New-materials plant", None),
    ("JXIG", "", "enterprise", "group", "江西省投资集团有限公司", "Jiangxi Investment Group", None),
    ("JXIG-PK", "JXIG", "enterprise", "subsidiary", "萍乡矿业集团有限责任公司", "Pingxiang Mining Group (Pingkuang)", None),
    ("JXIG-PK-COKE", "JXIG-PK", "enterprise", "plant", "萍矿焦化厂", "Pingkuang coking plant", None),
    ("JXIG-PK-GK", "JXIG-PK", "enterprise", "plant", "高坑煤矿", "Gaokeng coal mine", None),
    ("SXJM", "", "enterprise", "group", "山西焦煤集团有限责任公司", "Shanxi Coking Coal Group", None),
    ("SXJM-XS", "SXJM", "enterprise", "subsidiary", "西山煤电（集团）有限责任公司", "Xishan Coal and Electricity", None),
    ("SXJM-FX", "SXJM", "enterprise", "subsidiary", "汾西矿业（集团）有限责任公司", "Fenxi Mining", None),
    ("SXJM-HZ", "SXJM", "enterprise", "subsidiary", "霍州煤电集团有限责任公司", "Huozhou Coal and Electricity", None),
    ("SXJM-XS-TY", "SXJM-XS", "enterprise", "plant", "屯兰矿", "Tunlan mine", None),
    ("SXJM-HZ-CS", "SXJM-HZ", "enterprise", "plant", "辛置矿", "Xinzhi mine", None),
]


def credit(seed: str, region: str) -> str:
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    n = sum(ord(c) * (i + 7) for i, c in enumerate(seed))
    body = ""
    for _ in range(9):
        body += charset[n % 31]
        n //= 31
    first17 = "91" + region + body
    return first17 + credit_check_char(first17)


# (seed, name, name_en, address, lat, lon, sector, owner unit, enterprise unit)
ENTERPRISES = [
    (
        "yy-chem",
        "岳阳某石化有限公司",
        "Yueyang petrochemical company",
        "岳阳市云溪区长岭街道",
        29.52,
        113.30,
        "industry",
        "430603",
        "",
    ),
    ("yy-paper", "岳阳某纸业有限公司", "Yueyang paper company", "岳阳市岳阳楼区城陵矶", 29.42, 113.15, "industry", "430602", ""),
    ("yy-pig", "平江县某生猪养殖场", "Pingjiang pig farm", "平江县三市镇", 28.75, 113.60, "livestock", "430626", ""),
    ("yy-sand", "湘阴县某砂石场", "Xiangyin sand and gravel yard", "湘阴县樟树镇", 28.70, 112.85, "mining", "430624", ""),
    (
        "yy-metal",
        "汨罗市某再生金属公司",
        "Miluo recycled-metal company",
        "汨罗市循环经济产业园",
        28.80,
        113.10,
        "industry",
        "430681",
        "",
    ),
    ("yy-chem2", "临湘市某化工有限公司", "Linxiang chemical company", "临湘市儒溪镇", 29.45, 113.60, "industry", "430682", ""),
    (
        "gx-hz",
        "贺州稀土冶炼分离厂",
        "Hezhou rare-earth separation plant",
        "广西贺州市平桂区",
        24.45,
        111.50,
        "industry",
        "451100",
        "CHALCO-RE-GX-HZ",
    ),
    ("gx-cz", "崇左稀土矿", "Chongzuo rare-earth mine", "广西崇左市", 22.40, 107.35, "mining", "451400", "CHALCO-RE-GX-CZ"),
    (
        "zz-al",
        "中铝郑州企业氧化铝厂",
        "Chinalco Zhengzhou alumina plant",
        "郑州市上街区",
        34.80,
        113.28,
        "industry",
        "410106",
        "CHALCO-ZZ-AL",
    ),
    ("pk-coke", "萍矿焦化厂", "Pingkuang coking plant", "萍乡市湘东区", 27.64, 113.73, "industry", "360300", "JXIG-PK-COKE"),
    ("sx-tl", "西山煤电屯兰矿", "Tunlan mine", "太原市古交市", 37.90, 111.95, "mining", "140100", "SXJM-XS-TY"),
]

# (code, name_zh, name_en, level, type, round, batch, inspecting unit, targets, start, end, extra)
CAMPAIGNS: list[tuple[Any, ...]] = [
    (
        "c2-4-chinalco",
        "中央第四生态环境保护督察组督察中国铝业集团",
        "Central 4th team inspects Chinalco",
        "central",
        "routine",
        2,
        2,
        "CEPI",
        ["CHALCO"],
        dt.date(2020, 8, 31),
        dt.date(2020, 9, 30),
        {
            "pre_notice_date": dt.date(2020, 8, 24),
            "descent_start": dt.date(2020, 9, 14),
            "feedback_date": dt.date(2021, 2, 1),
            "report_due": dt.date(2021, 11, 30),
            "summary": "第二轮第二批；进驻期间就广西稀土生态环境问题发出典型案例通报。",
        },
    ),
    (
        "chinalco-gx-re-2020",
        "中铝集团广西稀土生态环境问题专项排查整改",
        "Chinalco special review of Guangxi rare earths",
        "group",
        "special",
        None,
        None,
        "CHALCO",
        ["CHALCO-RE-GX"],
        dt.date(2020, 9, 24),
        None,
        {"summary": "9月24日通报会后当天下午派出整改工作组进驻；专人专班，台账管理。"},
    ),
    (
        "hn-2-yueyang",
        "湖南省第二生态环境保护督察组督察岳阳市",
        "Hunan provincial 2nd team inspects Yueyang",
        "provincial",
        "routine",
        2,
        1,
        "HN-DCB",
        ["430600"],
        dt.date(2021, 3, 8),
        dt.date(2021, 4, 1),
        {
            "descent_start": dt.date(2021, 3, 20),
            "feedback_date": dt.date(2021, 7, 15),
            "summary": "3月22日省生态环境厅主要负责人看望督察组：已交办岳阳50余件信访件，边督边改。",
        },
    ),
    (
        "jx-2-jxig",
        "江西省第二生态环境保护督察组督察江西省投资集团",
        "Jiangxi provincial 2nd team inspects Jiangxi Investment Group",
        "provincial",
        "routine",
        2,
        2,
        "JX-DCB",
        ["JXIG"],
        dt.date(2021, 9, 6),
        dt.date(2021, 9, 25),
        {
            "feedback_date": dt.date(2021, 12, 20),
            "summary": "9月6日在南昌召开动员会；20天覆盖118家下属企业，321个问题点位，30件信访。",
        },
    ),
    (
        "pk-self-2021",
        "萍矿集团生态环境保护自查自纠",
        "Pingkuang self-inspection",
        "group",
        "special",
        None,
        None,
        "JXIG-PK",
        ["JXIG-PK"],
        dt.date(2021, 9, 7),
        dt.date(2021, 9, 30),
        {"summary": "视频收听江投集团动员会后立即部署：成立专班、自查自纠、完善佐证、加快整改。"},
    ),
    (
        "sxjm-2021",
        "山西焦煤生态环境保护大排查大整治",
        "Shanxi Coking Coal big investigation and rectification",
        "group",
        "special",
        None,
        None,
        "SXJM",
        ["SXJM"],
        dt.date(2021, 6, 5),
        dt.date(2021, 6, 30),
        {"summary": "6月5日生态环境保护大会：变“重重一击”为“强力推动”，挂图作战，过程考核，三同时管控。"},
    ),
]

# (username, display name, title, role, unit code or "", campaign code or "")
USERS: list[tuple[str, str, str, str, str, str]] = [
    ("cn4_leader", "中央第四督察组组长", "组长", "team_leader", "CEPI", "c2-4-chinalco"),
    ("cn4_inspector", "中央第四督察组成员", "组员", "inspector", "CEPI", "c2-4-chinalco"),
    ("hn_office", "湖南省生态环境保护督察办公室", "督察办", "inspection_office", "HN-DCB", ""),
    ("hn2_leader", "省第二督察组组长", "组长", "team_leader", "HN-DCB", "hn-2-yueyang"),
    ("hn2_inspector", "省第二督察组信访组成员", "信访组", "inspector", "HN-DCB", "hn-2-yueyang"),
    ("yy_liaison", "岳阳市配合督察联络组", "联络组", "liaison", "430600", ""),
    ("yy_pj_handler", "平江县承办人员", "承办", "handler", "430626", ""),
    ("yy_acceptance", "岳阳市生态环境局验收人员", "验收", "acceptance_officer", "430600", ""),
    ("yy_signer", "岳阳市生态环境局验收签字负责人", "验收签字", "acceptance_officer", "430600", ""),
    ("hn_discipline", "省纪委监委问责人员", "纪检监察", "discipline_officer", "430000", ""),
    ("chalco_liaison", "中铝集团整改办公室", "整改办", "liaison", "CHALCO", ""),
    ("gxre_officer", "广西稀土公司环保专员", "环保专员", "enterprise_officer", "CHALCO-RE-GX", ""),
    ("jx2_leader", "江西省第二督察组组长", "组长", "team_leader", "JX-DCB", "jx-2-jxig"),
    ("jxig_liaison", "江投集团配合督察联络组", "联络组", "liaison", "JXIG", ""),
    ("pk_officer", "萍矿集团环保专员", "环保专员", "enterprise_officer", "JXIG-PK", ""),
    ("sxjm_liaison", "山西焦煤整改办公室", "整改办", "liaison", "SXJM", ""),
    ("sxjm_officer", "西山煤电环保专员", "环保专员", "enterprise_officer", "SXJM-XS", ""),
    ("shangjie_liaison", "上街区政府督查室", "督查室", "liaison", "410106", ""),
    ("chalco_zz_officer", "中铝郑州企业环保专员", "环保专员", "enterprise_officer", "CHALCO-ZZ", ""),
    ("auditor", "公众监督审计员", "只读", "auditor", "430000", ""),
]


def _user(ctx: DemoContext, username: str, display: str, title: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=display, title=title, is_superuser=superuser, is_staff=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
        if ctx.actor is not None:
            audit.record(ctx.actor, "user.create", user, after={"username": username, "display_name": display})
    ctx.users[username] = user
    return user


def _units(ctx: DemoContext) -> None:
    for code, parent, kind, utype, zh, en, boundary in UNITS:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            unit = OrgUnit(code=code, kind=kind, unit_type=utype, name_zh=zh, name_en=en, boundary=boundary)
            unit.parent = ctx.units[parent] if parent else None
            unit.full_clean(exclude=["path"])
            unit.save()
            audit.record(ctx.actor, "org_unit.create", unit, after=snapshot(unit), reason="demo")
        ctx.units[code] = unit


def _enterprises(ctx: DemoContext) -> None:
    for seed, name, en, address, lat, lon, sector, owner, eunit in ENTERPRISES:
        code = credit(seed, ctx.units[owner].code[:6] if ctx.units[owner].code[:6].isdigit() else "110000")
        ent = Enterprise.objects.filter(credit_code=code).first()
        if ent is None:
            ent = Enterprise(
                credit_code=code, name=name, name_en=en, address=address, sector=sector,
                lat=Decimal(str(lat)), lon=Decimal(str(lon)), org_unit=ctx.units[owner],
                enterprise_unit=ctx.units[eunit] if eunit else None,
            )  # fmt: skip
            ent.full_clean()
            ent.save()
            audit.record(ctx.actor, "enterprise.create", ent, after=snapshot(ent), reason="demo")
        ctx.enterprises[seed] = ent


def _campaign(ctx: DemoContext, spec: tuple[Any, ...]) -> Campaign:
    code, zh, en, level, ctype, rnd, batch, owner, targets, start, end, extra = spec
    c = Campaign.objects.filter(code=code).first()
    if c is None:
        c = Campaign(
            code=code, name_zh=zh, name_en=en, level=level, campaign_type=ctype, round_no=rnd, batch_no=batch,
            inspecting_unit=ctx.units[owner], stationing_start=start, stationing_end=end, **extra,
        )  # fmt: skip
        c.full_clean()
        c.save()
        c.targets.set([ctx.units[t] for t in targets])
        audit.record(ctx.actor, "campaign.create", c, after=snapshot(c), reason="demo")
    ctx.campaigns[code] = c
    return c


TEAMS = {
    "c2-4-chinalco": (
        "中央第四生态环境保护督察组",
        "Central 4th inspection team",
        "4",
        "010-12369004",
        "北京市A004号邮政信箱",
        "组长（正部长级）",
    ),
    "hn-2-yueyang": (
        "湖南省第二生态环境保护督察组",
        "Hunan provincial 2nd inspection team",
        "2",
        "0730-8880012",
        "岳阳市A002号邮政信箱",
        "组长（省级领导）",
    ),
    "hn-lookback-yueyang": (
        "湖南省第二生态环境保护督察组（回头看）",
        "Hunan 2nd team (look-back)",
        "2",
        "0730-8880012",
        "岳阳市A002号邮政信箱",
        "组长",
    ),
    "jx-2-jxig": (
        "江西省第二生态环境保护督察组",
        "Jiangxi provincial 2nd inspection team",
        "2",
        "0791-8660002",
        "南昌市A002号邮政信箱",
        "组长",
    ),
    "chinalco-gx-re-2020": ("中铝集团广西稀土整改工作组", "Chinalco Guangxi rare-earth task force", "G", "", "", "集团领导"),
    "sxjm-2021": ("山西焦煤生态环境保护督导组", "Shanxi Coking Coal environmental task team", "S", "", "", "集团领导"),
    "pk-self-2021": ("萍矿集团自查自纠专班", "Pingkuang self-inspection task force", "P", "", "", "集团领导"),
}


def _teams(ctx: DemoContext) -> None:
    for code, (zh, en, tcode, hotline, po_box, leader_title) in TEAMS.items():
        c = ctx.campaigns.get(code)
        if c is None or Team.objects.filter(campaign=c).exists():
            continue
        team = Team(campaign=c, name_zh=zh, name_en=en, code=tcode, hotline=hotline, po_box=po_box, leader_title=leader_title)
        team.full_clean()
        team.save()
        audit.record(ctx.actor, "team.create", team, after=snapshot(team), reason="demo")


def _live_lookback(ctx: DemoContext) -> None:
    """A look-back stationed now, so the demo's public form and intake are open today."""
    today = timezone.localdate()
    spec = (
        "hn-lookback-yueyang", "湖南省第二生态环境保护督察组“回头看”岳阳市", "Hunan 2nd team look-back at Yueyang",
        "provincial", "look_back", 2, 1, "HN-DCB", ["430600"], today - dt.timedelta(days=7), today + dt.timedelta(days=17),
        {"summary": "回头看：复核2021年督察整改情况，重点核查“不属实”件和已销号任务是否反弹。"},
    )  # fmt: skip
    c = _campaign(ctx, spec)
    if c.parent_id is None and "hn-2-yueyang" in ctx.campaigns:
        c.parent = ctx.campaigns["hn-2-yueyang"]
        c.save(update_fields=["parent"])


def _memberships(ctx: DemoContext) -> None:
    for username, display, title, role, unit, campaign in USERS:
        user = _user(ctx, username, display, title)
        codes = [campaign] if campaign else [""]
        if username.startswith("hn2_"):
            codes.append("hn-lookback-yueyang")
        for ccode in codes:
            c = ctx.campaigns.get(ccode) if ccode else None
            org = ctx.units[unit] if unit else None
            if Membership.objects.filter(user=user, role=role, org_unit=org, campaign=c).exists():
                continue
            m = Membership(user=user, role=role, org_unit=org, campaign=c, title=title, valid_from=dt.date(2020, 1, 1))
            m.full_clean()
            m.save()
            audit.record(ctx.actor, "membership.create", m, after=snapshot(m), reason="demo")
        ctx.logins.append((username, DEMO_PASSWORD, f"{display} ({role})"))


def load(ctx: DemoContext) -> None:
    with transaction.atomic():
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User(username="admin", display_name="系统管理员", title="管理员", is_superuser=True, is_staff=True)
            admin.set_password(DEMO_PASSWORD)
            admin.save()
            audit.record(admin, "user.create", admin, after={"username": "admin"}, reason="demo")
        ctx.actor = admin
        ctx.users["admin"] = admin
        ctx.logins.append(("admin", DEMO_PASSWORD, "系统管理员 / administrator (superuser)"))
        _units(ctx)
        _enterprises(ctx)
        for spec in CAMPAIGNS:
            _campaign(ctx, spec)
        chinalco_gx = ctx.campaigns["chinalco-gx-re-2020"]
        if chinalco_gx.parent_id is None:
            chinalco_gx.parent = ctx.campaigns["c2-4-chinalco"]
            chinalco_gx.save(update_fields=["parent"])
        pk = ctx.campaigns["pk-self-2021"]
        if pk.parent_id is None:
            pk.parent = ctx.campaigns["jx-2-jxig"]
            pk.save(update_fields=["parent"])
        _live_lookback(ctx)
        _teams(ctx)
        _memberships(ctx)
