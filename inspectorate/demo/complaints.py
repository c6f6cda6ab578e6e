"""Demo complaints: Yueyang (Hunan 2nd team, 2021), Guangxi rare earths (central 4th team → Chinalco, 2020)
and a live look-back at Yueyang stationed now. Idempotent: each scenario is created once (marked in `extra`).

Every change goes through the complaints actions (audited); afterwards the demo back-dates the
timestamps of the historic scenarios so that the bulletin "as of" those days reads right.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.models import Membership, User
from inspectorate.complaints import actions
from inspectorate.complaints.models import (
    Case,
    CaseStatus,
    Complaint,
    DisclosureTable,
    HandlingResult,
    TransferBatch,
    TransferNotice,
)

from .registry import DemoContext

SH = ZoneInfo("Asia/Shanghai")

# County boxes (see foundation.UNITS): a point inside each, for map pins.
PIN = {
    "430602": (29.37, 113.12), "430603": (29.52, 113.32), "430611": (29.45, 112.95), "430621": (29.15, 113.20),
    "430623": (29.52, 112.60), "430624": (28.70, 112.85), "430626": (28.75, 113.70), "430681": (28.80, 113.15),
    "430682": (29.50, 113.65),
}  # fmt: skip
NAME = {
    "430602": "岳阳楼区", "430603": "云溪区", "430611": "君山区", "430621": "岳阳县", "430623": "华容县",
    "430624": "湘阴县", "430626": "平江县", "430681": "汨罗市", "430682": "临湘市",
}  # fmt: skip

# (county, channel, polluter, place, text) — role titles only, no real people.
YUEYANG: list[tuple[str, str, str, str, str]] = [
    (
        "430603",
        "phone",
        "岳阳某石化有限公司",
        "长岭街道",
        "长岭炼化厂区周边夜间经常闻到刺鼻的臭气，像臭鸡蛋味，晚上十点以后特别明显，居民不敢开窗。",
    ),
    ("430603", "web", "岳阳某石化有限公司", "长岭街道", "石化厂火炬经常冒黑烟，烟尘落在小区车上一层黑灰，怀疑废气未经处理直排。"),
    (
        "430602",
        "phone",
        "岳阳某纸业有限公司",
        "城陵矶",
        "城陵矶造纸厂排污口排出黄褐色废水进入洞庭湖，水面有泡沫，附近鱼塘出现死鱼。",
    ),
    ("430602", "letter", "", "南湖大道", "南湖大道一家烧烤店油烟直排，没有安装油烟净化设备，楼上住户被熏得无法晾衣服。"),
    ("430602", "wechat", "", "金鹗山附近", "金鹗山附近工地夜间施工到凌晨，噪音扰民，渣土车不盖篷布，扬尘很大。"),
    (
        "430626",
        "phone",
        "平江县某生猪养殖场",
        "三市镇",
        "三市镇一家生猪养殖场粪便直接排入汨罗江支流，河水发黑发臭，下游村民饮用水受影响。",
    ),
    ("430626", "visit", "", "加义镇", "加义镇有人在河道非法采砂，挖掘机日夜作业，河岸被挖塌，破坏了河道生态。"),
    ("430626", "phone", "", "伍市镇", "伍市镇工业园一家企业偷偷焚烧废塑料，黑烟滚滚，气味刺鼻，多次反映无人处理。"),
    ("430626", "web", "", "南江镇", "南江镇山上有人毁林开荒种植，砍伐了大片林木，山体裸露，下雨时泥沙冲进水库。"),
    ("430624", "phone", "湘阴县某砂石场", "樟树镇", "樟树镇砂石场加工时粉尘漫天，周边农田庄稼上全是灰，运输车辆扬尘严重。"),
    ("430624", "letter", "", "鹤龙湖镇", "鹤龙湖镇有人在湖边倾倒建筑垃圾和生活垃圾，堆成小山，雨后渗滤液流进湖里。"),
    (
        "430681",
        "phone",
        "汨罗市某再生金属公司",
        "循环经济产业园",
        "产业园一家再生金属企业熔炼时冒出大量烟尘，空气中有金属味，怀疑除尘设施不运行。",
    ),
    (
        "430681",
        "web",
        "汨罗市某再生金属公司",
        "循环经济产业园",
        "再生金属公司厂区堆放大量废渣，没有防雨防渗，下雨后废水流入周边农田，担心重金属污染土壤。",
    ),
    ("430682", "phone", "临湘市某化工有限公司", "儒溪镇", "儒溪镇化工企业晚上偷排废气，气味刺鼻，附近小学学生反映头晕。"),
    ("430682", "wechat", "临湘市某化工有限公司", "儒溪镇", "化工厂把危险废物桶堆放在露天场地，有液体渗漏，散发异味。"),
    ("430611", "phone", "", "钱粮湖镇", "钱粮湖镇东洞庭湖保护区内有人围垦湿地养鱼，侵占保护区，破坏候鸟栖息地。"),
    ("430611", "web", "", "良心堡镇", "良心堡镇多家养鸡场鸡粪随意堆放，苍蝇成群，臭味熏天，污水流进沟渠。"),
    ("430623", "phone", "", "章华镇", "华容县城章华镇一家水泥搅拌站粉尘污染严重，砂石料露天堆放，周边居民家里全是灰尘。"),
    ("430623", "letter", "", "东山镇", "东山镇一家砖厂用煤烧砖，烟囱冒黑烟，二氧化硫味道很重。"),
    ("430621", "phone", "", "荣家湾镇", "荣家湾镇污水处理厂出水发黑，排入新墙河，河水有臭味，怀疑超标排放。"),
    ("430621", "web", "", "新墙镇", "新墙镇有人在新墙河采砂，采砂船晚上作业，噪声大，河水浑浊。"),
    ("430602", "phone", "", "东茅岭街道", "东茅岭街道一家饭店厨房油烟直排居民楼道，多次投诉没有整改。"),
    ("430603", "letter", "", "陆城镇", "陆城镇一家化工企业在厂区后面挖坑填埋工业固废，已经好几年了，地下水有怪味。"),
    ("430626", "phone", "", "城关镇", "平江县城关镇汨罗江边生活污水直排口，夏天臭味很大，江面漂浮垃圾。"),
    ("430624", "web", "", "湘阴县城", "湘阴县城夜间KTV噪声扰民，音响声音很大，到凌晨两点还不停。"),
    ("430681", "letter", "", "白水镇", "白水镇一家石材加工厂切割石料产生大量粉尘和废水，废水直接排到田里。"),
    ("430682", "phone", "", "长安街道", "长安街道某小区附近的通信基站辐射让居民担心，要求检测电磁辐射。"),
    ("430611", "phone", "", "柳林洲街道", "柳林洲街道采石场开山炸石，山体破坏严重，爆破震动使房屋开裂。"),
    ("430623", "web", "", "三封寺镇", "三封寺镇一家屠宰场废水未经处理排入沟渠，血水发臭。"),
    ("430621", "wechat", "", "筻口镇", "筻口镇有人在山坳里焚烧垃圾和废旧轮胎，黑烟很大，持续好几天了。"),
    ("430602", "web", "", "奇家岭街道", "奇家岭街道一处建筑工地裸土未覆盖，大风天扬尘严重，车辆带泥上路。"),
    ("430626", "wechat", "", "长寿镇", "长寿镇一家小型冶炼作坊无证生产，废气直排，周边树木枯死。"),
    ("430603", "phone", "", "云溪街道", "云溪街道一家企业危废仓库管理混乱，废油桶露天存放，油污流入下水道。"),
    ("430624", "phone", "", "东塘镇", "东塘镇生猪养殖户把病死猪扔进河里，河水污染，下游取水困难。"),
    ("430681", "web", "", "汨罗江大桥附近", "汨罗江大桥附近有人在河滩上倾倒工业废渣，颜色发红，雨水冲刷进江。"),
    ("430682", "letter", "", "江南镇", "江南镇长江岸边非法码头堆放煤炭，煤尘飞扬，雨水带煤泥流入长江。"),
    ("430611", "web", "", "许市镇", "许市镇芦苇场有人违规焚烧芦苇，浓烟影响交通和居民。"),
    ("430623", "phone", "", "注滋口镇", "注滋口镇有人电鱼、药鱼，湖里的鱼大面积死亡，水体发臭。"),
    ("430621", "letter", "", "公田镇", "公田镇一家矿山企业开采后不复绿，尾矿库有渗漏，溪水发黄。"),
    ("430602", "phone", "", "城陵矶港区", "城陵矶港区散货码头装卸矿石时粉尘大，周边居民窗台全是黑色粉尘。"),
    ("430626", "web", "", "梅仙镇", "梅仙镇一家企业举报后遭打击报复，我因为举报偷排被威胁，要求保护举报人并查处偷排。"),
    ("430603", "wechat", "", "松杨湖", "松杨湖片区工业园区雨水排口常年排放异色废水，湖水颜色异常。"),
    ("430624", "letter", "", "城西镇", "城西镇一家木材加工厂喷漆车间没有废气处理设施，油漆味很重。"),
    ("430681", "phone", "", "新市镇", "新市镇有人在基本农田上堆放工业污泥，散发恶臭，农田被污染。"),
    ("430682", "web", "", "桃林镇", "桃林镇铅锌矿尾矿堆放不规范，下雨时尾矿水流入农田，稻田减产。"),
    ("430611", "letter", "", "广兴洲镇", "广兴洲镇一家沥青搅拌站生产时烟气很大，气味刺鼻，晚上也在生产。"),
    ("430623", "wechat", "", "治河渡镇", "治河渡镇农村生活垃圾清运不及时，垃圾池满溢，蚊蝇滋生。"),
    ("430621", "phone", "", "月田镇", "月田镇一家采石场粉尘和噪声污染严重，爆破声很大，村民房屋受损。"),
    ("430602", "wechat", "", "五里牌街道", "五里牌街道某汽修厂露天喷漆，油漆味刺鼻，废机油乱倒。"),
    ("430626", "letter", "", "安定镇", "安定镇河道内有人违规建坝拦水发电，河道断流，鱼类死亡，破坏生态。"),
    ("430624", "wechat", "", "六塘乡", "六塘乡养殖场养殖废水直排，水塘发绿发臭，附近农户井水有异味。"),
    ("430603", "phone", "", "文桥镇", "文桥镇一家化工企业罐区泄漏，空气中有化学品味，周边居民眼睛刺痛。"),
    ("430681", "wechat", "", "归义镇", "归义镇一家废旧电池回收作坊无资质拆解电池，废酸液随意倾倒。"),
    ("430682", "phone", "", "坦渡镇", "坦渡镇一家造纸作坊废水直排，溪水泛黄起泡沫。"),
    ("430611", "web", "", "君山公园附近", "君山公园附近餐饮船舶生活污水直排洞庭湖，湖面漂浮油污。"),
    ("430621", "web", "", "杨林街镇", "杨林街镇山上有人盗伐林木，砍伐后用火烧山，破坏植被。"),
]
# Near-duplicates received later (merged into the first report's case).
YY_DUPS = [
    (0, "phone", "长岭街道石化厂附近晚上臭气熏天，有臭鸡蛋味，居民不敢开窗，请督察组查处。"),
    (2, "web", "城陵矶造纸厂排污口排黄褐色废水到洞庭湖，湖面有泡沫，鱼塘死鱼。"),
    (5, "wechat", "三市镇生猪养殖场猪粪直排汨罗江支流，河水又黑又臭，影响下游饮用水。"),
    (9, "letter", "樟树镇砂石场粉尘漫天，农田庄稼全是灰，运砂车扬尘严重。"),
]
YY_INVALID = [
    ("430602", "phone", "咨询社保卡补办流程，和环境无关。", "不属于生态环境保护督察受理范围（社保咨询）"),
    ("430626", "phone", "邻居家装修占用楼道，要求物业处理。", "邻里纠纷，转相关部门，不属于督察受理范围"),
    ("430624", "web", "asdf测试测试", "内容无法识别，无有效信息"),
]
VERDICTS = ["true", "basically_true", "partly_true", "untrue"]
# Complaints that became items of Yueyang's rectification ledger (demo/rectification.py links the problems to
# their cases): found true, penalised under a numbered decision, closed for this stage while the ledger task runs.
LEDGER_ROWS = (0, 5, 7, 9, 11, 13, 16, 19)
DAYS = [dt.date(2021, 3, 9), dt.date(2021, 3, 10), dt.date(2021, 3, 12), dt.date(2021, 3, 15)]

GUANGXI: list[tuple[str, str, str, str]] = [
    ("phone", "贺州稀土冶炼分离厂", "广西贺州市平桂区", "贺州稀土冶炼分离厂废水中氨氮超标排放，下游河水发绿，鱼虾死亡。"),
    (
        "letter",
        "贺州稀土冶炼分离厂",
        "广西贺州市平桂区",
        "稀土分离厂废渣露天堆放，没有防渗措施，雨水冲刷后流入农田，担心放射性污染。",
    ),
    ("phone", "崇左稀土矿", "广西崇左市", "崇左稀土矿区原地浸矿注液后山体植被大片死亡，水土流失严重，溪水浑浊。"),
    ("web", "崇左稀土矿", "广西崇左市", "稀土矿区沉淀池溢流，含铵废水流入下游村庄水井，井水不能饮用。"),
    ("wechat", "崇左稀土矿", "广西崇左市", "矿区开采后迹地未复垦，裸露山体大风天扬尘，破坏生态。"),
    ("phone", "贺州稀土冶炼分离厂", "广西贺州市平桂区", "分离厂萃取车间废气有刺鼻气味，晚上排放更严重。"),
    ("letter", "中铝郑州企业氧化铝厂", "郑州市上街区", "上街区氧化铝厂赤泥库扬尘严重，周边居民家里一层红灰。"),
    ("phone", "中铝郑州企业氧化铝厂", "郑州市上街区", "氧化铝厂焙烧炉夜间冒黄烟，气味刺鼻。"),
    ("web", "崇左稀土矿", "广西崇左市", "稀土矿区尾水处理设施停运，废水直排，举一反三要求全面排查。"),
    ("phone", "贺州稀土冶炼分离厂", "广西贺州市平桂区", "分离厂放射性废渣库管理不规范，围栏破损，有村民进入。"),
    ("wechat", "中铝郑州企业氧化铝厂", "郑州市上街区", "氧化铝厂运输车辆撒漏，道路扬尘严重。"),
    (
        "web",
        "贺州稀土冶炼分离厂",
        "广西贺州市平桂区",
        "贺州稀土分离厂废水中氨氮超标排放，下游河水发绿，鱼虾大量死亡，请中央督察组查处。",
    ),
]
GX_PINS = {"贺州稀土冶炼分离厂": (24.45, 111.50), "崇左稀土矿": (22.40, 107.35), "中铝郑州企业氧化铝厂": (34.80, 113.28)}
GX_DAYS = [dt.date(2020, 9, 3), dt.date(2020, 9, 7), dt.date(2020, 9, 14)]


def _user(ctx: DemoContext, username: str) -> Any:
    user = ctx.users.get(username) or User.objects.filter(username=username).first()
    return user or ctx.actor


def _handler_for(ctx: DemoContext, case: Case) -> Any:
    """Someone with cases.reply on the case: the county handler if it has one, else the demo admin."""
    unit = case.handler_unit
    if unit is not None:
        m = Membership.objects.filter(org_unit=unit, role="handler").select_related("user").first()
        if m is not None:
            return m.user
    return ctx.actor


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SH)


def ledger_decision_no(row: int) -> str:
    """The penalty decision number of a ledger complaint (quoted by its rectification problem)."""
    return f"岳环罚〔2021〕{row + 1}号"


def _ledger_row(case: Case) -> int | None:
    origin = case.origin
    if origin is None or origin.campaign.code != "hn-2-yueyang":
        return None
    rows = {YUEYANG[r][4]: r for r in LEDGER_ROWS}
    return rows.get(origin.text)


def _reply(ctx: DemoContext, case: Case, i: int, when: dt.datetime) -> None:
    """A reply whose figures agree with its verdict: nothing is ordered, penalised or detained on an "untrue" case."""
    ledger = _ledger_row(case)
    verdict = "true" if ledger is not None else VERDICTS[i % 4]
    if ledger is not None:
        status = "staged_closed"
    else:
        status = ["closed", "closed", "staged_closed", "open"][i % 4] if verdict != "untrue" else "closed"
    penalised = ledger is not None or (verdict in ("true", "basically_true") and i % 3 != 2)
    fine = 20000 + (i * 7919) % 280000
    pen = []
    if penalised:
        polluter = case.origin.polluter_name if ledger is not None and case.origin is not None else ""
        name = polluter or f"涉事企业{case.number[-4:]}"
        decision = ledger_decision_no(ledger) if ledger is not None else ""
        pen = [{"enterprise_name": name, "amount": str(fine), "decision_no": decision}]
    facts = {
        "true": "经现场核查，举报反映问题属实。",
        "basically_true": "经核查，举报反映问题基本属实，部分情节与举报有出入。",
        "partly_true": "经核查，举报反映问题部分属实。",
        "untrue": "经现场核查和监测，未发现举报所述问题，举报不属实。",
    }[verdict]
    measures = "" if verdict == "untrue" else "责令立即停止违法行为并限期整改；已立案查处；由属地政府跟踪督办。"
    if ledger is not None:
        next_step = "问题已纳入市级整改台账，按整改方案限期整改并组织验收销号"
    else:
        next_step = "" if status == "closed" else "落实长效监管，按期完成整改并组织验收"
    # The one criminal case and administrative detention of a batch go with a substantiated verdict.
    criminal = i == 8 and verdict == "true"
    case.refresh_from_db()
    result = actions.reply_case(
        case,
        actor=_handler_for(ctx, case),
        summary=facts,
        verdict=verdict,
        status=status,
        measures=measures,
        next_step=next_step,
        next_step_date=None if status == "closed" else dt.date(2021, 12, 31),
        penalties=pen,
        ordered_to_rectify=0 if verdict == "untrue" else 1,
        cases_filed=1 if penalised else 0,
        interviewed=1 if i % 5 == 0 and verdict != "untrue" else 0,
        held_accountable=1 if i % 11 == 0 and verdict == "true" else 0,
        criminal_cases=1 if criminal else 0,
        detained_administrative=1 if criminal else 0,
        evidence=[(f"现场核查记录-{case.number}.pdf", f"%PDF-1.4 demo evidence {case.number}".encode())],
    )
    HandlingResult.objects.filter(pk=result.pk).update(submitted_at=when)


def _review(ctx: DemoContext, case: Case, reviewer: Any, when: dt.datetime, accept: bool = True) -> None:
    case.refresh_from_db()
    r = actions.review_case(
        case, actor=reviewer, accept=accept, reason="" if accept else "佐证材料不足，请补充现场照片和监测报告"
    )
    HandlingResult.objects.filter(pk=r.pk).update(reviewed_at=when)


def _publish(batch: TransferBatch, leader: Any, when: dt.datetime) -> None:
    table = actions.publish_batch(batch, actor=leader)
    DisclosureTable.objects.filter(pk=table.pk).update(approved_at=when, published_at=when)


def load_yueyang(ctx: DemoContext) -> None:
    campaign = ctx.campaigns.get("hn-2-yueyang")
    if campaign is None or Complaint.objects.filter(campaign=campaign, extra__demo="yueyang").exists():
        return
    inspector, leader = _user(ctx, "hn2_inspector"), _user(ctx, "hn2_leader")
    liaison = _user(ctx, "yy_liaison")
    units = {code: ctx.units[code] for code in NAME if code in ctx.units}
    first: dict[int, Case] = {}
    batches: list[TransferBatch] = []
    per_day = (len(YUEYANG) + len(DAYS) - 1) // len(DAYS)
    for d_i, day in enumerate(DAYS):
        chunk = list(enumerate(YUEYANG))[d_i * per_day : (d_i + 1) * per_day]
        for n, (i, (county, channel, polluter, place, text)) in enumerate(chunk):
            lat, lon = PIN[county]
            c = actions.submit_complaint(
                campaign=campaign,
                channel=channel,
                text=text,
                received_at=_at(day, 8 + n % 11, (n * 7) % 60),
                lat=lat + (i % 5) * 0.004,
                lon=lon + (i % 3) * 0.004,
                address=f"岳阳市{NAME[county]}{place}",
                polluter_name=polluter,
                reporter_name="" if i % 4 == 1 else f"举报人{i:02d}",
                reporter_phone="" if i % 4 == 1 else f"1390730{i:04d}",
                extra={"demo": "yueyang", "channel_details": {"call_duration_s": 120 + i * 9} if channel == "phone" else {}},
                actor=inspector,
            )
            key = i in (0, 5, 40) or "报复" in text
            first[i] = actions.accept_complaint(c, actor=inspector, is_key=key)
        # Day's duplicates and invalid reports.
        for j, (orig, channel, text) in enumerate(YY_DUPS):
            if orig in first and orig // per_day == d_i:
                county = YUEYANG[orig][0]
                lat, lon = PIN[county]
                dup = actions.submit_complaint(
                    campaign=campaign, channel=channel, text=text, received_at=_at(day, 19, 10 + j), lat=lat, lon=lon,
                    address=f"岳阳市{NAME[county]}{YUEYANG[orig][3]}", polluter_name=YUEYANG[orig][2],
                    extra={"demo": "yueyang"}, actor=inspector,
                )  # fmt: skip
                actions.merge_complaint(dup, actor=inspector, into=first[orig], reason="同一问题重复举报，合并办理")
        if d_i < len(YY_INVALID):
            county, channel, text, reason = YY_INVALID[d_i]
            bad = actions.submit_complaint(
                campaign=campaign, channel=channel, text=text, received_at=_at(day, 15), address=f"岳阳市{NAME[county]}",
                extra={"demo": "yueyang"}, actor=inspector,
            )  # fmt: skip
            actions.mark_invalid(bad, actor=inspector, reason=reason)
        if d_i == 1:
            # A river shared by Miluo and Xiangyin: split into one case per locality.
            src = next(i for i, row in chunk if row[0] == "430681")
            actions.split_case(first[src], actor=inspector, units=[units["430624"]], reason="涉及汨罗市、湘阴县两地，分别交办")
        if d_i == 2:
            # A lake shared by Junshan and Huarong: one joint case under Junshan.
            src = next(i for i, row in chunk if row[0] == "430611")
            actions.set_joint(
                first[src], actor=inspector, lead_unit=ctx.units["430600"], co_units=[units["430611"], units["430623"]],
                reason="跨县湖区问题，由市级牵头、两县合办",
            )  # fmt: skip
        batch = actions.close_intake_day(campaign, day, actor=inspector, at=_at(day, 20))
        actions.transfer_batch(batch, actor=leader, at=_at(day + dt.timedelta(days=1), 9))
        actions.acknowledge_batch(batch, actor=liaison)
        batches.append(batch)
    # Dispatch to counties, replies and review.
    for b_i, batch in enumerate(batches):
        for i, case in enumerate(
            Case.objects.filter(batch=batch).exclude(status=CaseStatus.MERGED).select_related("region").order_by("number")
        ):
            target = case.region if case.region and case.region.pk != ctx.units["430600"].pk else ctx.units["430600-EEB"]
            actions.dispatch_case(case, actor=liaison, unit=target, note="按属地转办")
            Case.objects.filter(pk=case.pk).update(dispatched_at=_at(batch.intake_day + dt.timedelta(days=1), 11))
            if b_i == 3 and i % 3 == 0:
                continue  # the last batch still has open replies (overdue in the demo)
            when = _at(batch.intake_day + dt.timedelta(days=6), 16)
            _reply(ctx, case, i + b_i * 3, when)
            if b_i == 0 and i == 2:
                _review(ctx, case, inspector, when, accept=False)
                case.refresh_from_db()
                _reply(ctx, case, 0, when + dt.timedelta(days=1))
            if b_i < 3:
                _review(ctx, case, inspector, when + dt.timedelta(days=1))
        if b_i < 3:
            _publish(batch, leader, _at(batch.intake_day + dt.timedelta(days=9), 10))
    _backdate(campaign)
    ctx.log(f"complaints: Yueyang — {Complaint.objects.filter(campaign=campaign).count()} complaints, {len(batches)} batches")


def load_guangxi(ctx: DemoContext) -> None:
    campaign = ctx.campaigns.get("c2-4-chinalco")
    if campaign is None or Complaint.objects.filter(campaign=campaign, extra__demo="guangxi").exists():
        return
    inspector, leader = _user(ctx, "cn4_inspector"), _user(ctx, "cn4_leader")
    liaison = _user(ctx, "chalco_liaison")
    first_case = None
    batches = []
    for d_i, day in enumerate(GX_DAYS):
        for n, (channel, polluter, address, text) in enumerate(GUANGXI[d_i * 4 : (d_i + 1) * 4]):
            i = d_i * 4 + n
            lat, lon = GX_PINS[polluter]
            c = actions.submit_complaint(
                campaign=campaign, channel=channel, text=text, received_at=_at(day, 9 + n), lat=lat, lon=lon, address=address,
                polluter_name=polluter, reporter_name=f"群众{i:02d}", reporter_phone=f"1387740{i:04d}",
                extra={"demo": "guangxi"}, actor=inspector,
            )  # fmt: skip
            if i == 11 and first_case is not None:
                actions.merge_complaint(c, actor=inspector, into=first_case, reason="与贺州分离厂氨氮超标举报重复")
                continue
            case = actions.accept_complaint(c, actor=inspector, is_key=i in (0, 2, 3))
            first_case = first_case or case
        batch = actions.close_intake_day(campaign, day, actor=inspector, at=_at(day, 20))
        actions.transfer_batch(batch, actor=leader, at=_at(day + dt.timedelta(days=1), 9))
        actions.acknowledge_batch(batch, actor=liaison)
        batches.append(batch)
    for b_i, batch in enumerate(batches):
        for i, case in enumerate(Case.objects.filter(batch=batch).order_by("number")):
            actions.dispatch_case(case, actor=liaison, unit=case.region or case.lead_unit, note="集团转子企业办理")
            if b_i == 2:
                continue
            when = _at(batch.intake_day + dt.timedelta(days=8), 15)
            _reply(ctx, case, i + b_i * 2, when)
            _review(ctx, case, inspector, when + dt.timedelta(days=1))
        if b_i < 2:
            _publish(batch, leader, _at(batch.intake_day + dt.timedelta(days=11), 10))
    _backdate(campaign)
    ctx.log(f"complaints: Guangxi/Chinalco — {Complaint.objects.filter(campaign=campaign).count()} complaints")


def load_lookback(ctx: DemoContext) -> None:
    """Live intake today: complaints in the last days, batches transferred so that red/yellow/blue all show."""
    campaign = ctx.campaigns.get("hn-lookback-yueyang")
    if campaign is None or Complaint.objects.filter(campaign=campaign, extra__demo="lookback").exists():
        return
    inspector, leader = _user(ctx, "hn2_inspector"), _user(ctx, "hn2_leader")
    liaison = _user(ctx, "yy_liaison")
    now = timezone.localtime()
    today = now.date()
    picks = [0, 5, 9, 13, 19, 23, 30, 33, 36, 44, 47, 51]
    for n, i in enumerate(picks):
        county, channel, polluter, place, text = YUEYANG[i]
        ago = [7, 7, 7, 6, 6, 6, 4, 4, 4, 1, 0, 0][n]
        when = dt.datetime.combine(today - dt.timedelta(days=ago), dt.time(9 + n % 8, 5), tzinfo=SH)
        lat, lon = PIN[county]
        c = actions.submit_complaint(
            campaign=campaign, channel=channel, text="回头看：" + text, received_at=min(when, timezone.now()),
            lat=lat, lon=lon, address=f"岳阳市{NAME[county]}{place}", polluter_name=polluter,
            reporter_name="" if n % 3 == 0 else f"回访群众{n:02d}", reporter_phone="" if n % 3 == 0 else f"1357300{n:04d}",
            extra={"demo": "lookback"}, actor=inspector,
        )  # fmt: skip
        if ago >= 4:
            actions.accept_complaint(c, actor=inspector, is_key=n == 0)
    for ago in (7, 6, 4):
        day = today - dt.timedelta(days=ago)
        if not Case.objects.filter(campaign=campaign, batch__isnull=True, intake_day__lte=day).exists():
            continue
        batch = actions.close_intake_day(campaign, day, actor=inspector, at=_at(day, 20))
        actions.transfer_batch(batch, actor=leader, at=_at(day + dt.timedelta(days=1), 9))
        actions.acknowledge_batch(batch, actor=liaison)
        for case in Case.objects.filter(batch=batch):
            actions.dispatch_case(case, actor=liaison, unit=case.region or case.lead_unit)
    ctx.log("complaints: live look-back intake loaded")


def _backdate(campaign: Any) -> None:
    """Historic scenarios: screening, acknowledgement and dispatch happened during the stay, not today."""
    for n in TransferNotice.objects.filter(batch__campaign=campaign).select_related("batch"):
        if n.batch.transferred_at:
            TransferNotice.objects.filter(pk=n.pk).update(acknowledged_at=n.batch.transferred_at + dt.timedelta(hours=2))
    for c in Complaint.objects.filter(campaign=campaign, screened_at__isnull=False).only("pk", "received_at"):
        Complaint.objects.filter(pk=c.pk).update(screened_at=c.received_at + dt.timedelta(hours=2))
    for case in Case.objects.filter(campaign=campaign).select_related("origin"):
        if case.origin is not None:
            Case.objects.filter(pk=case.pk).update(registered_at=case.origin.received_at + dt.timedelta(hours=2))


def load(ctx: DemoContext) -> None:
    from inspectorate.complaints.keywords import seed
    from inspectorate.complaints.models import KeywordRule

    seed(KeywordRule)  # defaults added after the first migration reach existing databases too
    for part in (load_yueyang, load_guangxi, load_lookback):
        with transaction.atomic():
            part(ctx)
