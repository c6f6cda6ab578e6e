"""A synthetic round of pollution complaints in Chinese, with planted near-duplicates of known ground truth.

Every original complaint describes its own incident: a polluter (company, restaurant, site …) built from
name pools, a place (city, district, town, village or road), a time phrase, one of several templates per
pollution category and a few optional detail sentences.  A share of the originals is reported again 1–3
times: the copy is the original text with 1–4 character edits (insert, delete, substitute, swap) and
sometimes an added phrase, a location a few hundred metres off (or none), mostly the same polluter name
and a time a few days later.  Ground truth: every pair inside one incident.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

CITIES = [
    ("长沙市", 28.23, 112.94), ("株洲市", 27.83, 113.13), ("湘潭市", 27.83, 112.94), ("衡阳市", 26.89, 112.57),
    ("邵阳市", 27.24, 111.47), ("岳阳市", 29.36, 113.13), ("常德市", 29.03, 111.70), ("张家界市", 29.12, 110.48),
    ("益阳市", 28.55, 112.36), ("郴州市", 25.77, 113.01), ("永州市", 26.42, 111.61), ("怀化市", 27.55, 110.00),
    ("娄底市", 27.70, 112.00), ("湘西州", 28.31, 109.74),
]  # fmt: skip
# provincial capitals and a few big cities: the national hotline's year (bench --only national)
NATIONAL_CITIES = [
    *CITIES,
    ("北京市", 39.90, 116.40), ("天津市", 39.13, 117.20), ("石家庄市", 38.04, 114.51), ("太原市", 37.87, 112.55),
    ("呼和浩特市", 40.84, 111.75), ("沈阳市", 41.80, 123.43), ("长春市", 43.82, 125.32), ("哈尔滨市", 45.80, 126.53),
    ("上海市", 31.23, 121.47), ("南京市", 32.06, 118.80), ("杭州市", 30.27, 120.15), ("合肥市", 31.82, 117.23),
    ("福州市", 26.07, 119.30), ("南昌市", 28.68, 115.86), ("济南市", 36.65, 117.12), ("郑州市", 34.75, 113.63),
    ("武汉市", 30.59, 114.31), ("广州市", 23.13, 113.26), ("南宁市", 22.82, 108.37), ("海口市", 20.04, 110.34),
    ("重庆市", 29.56, 106.55), ("成都市", 30.57, 104.07), ("贵阳市", 26.65, 106.63), ("昆明市", 24.88, 102.83),
    ("拉萨市", 29.65, 91.14), ("西安市", 34.34, 108.94), ("兰州市", 36.06, 103.83), ("西宁市", 36.62, 101.78),
    ("银川市", 38.49, 106.23), ("乌鲁木齐市", 43.83, 87.62), ("深圳市", 22.54, 114.06), ("苏州市", 31.30, 120.59),
    ("青岛市", 36.07, 120.38), ("宁波市", 29.87, 121.54), ("东莞市", 23.02, 113.75), ("佛山市", 23.02, 113.12),
]  # fmt: skip
SYL = (
    "安宝北碧昌长城春大德东丰福富光广桂国海和河红宏华黄汇吉嘉建江金锦晶久聚开康乐利联良林龙隆茂美明南鹏平青清庆荣瑞"
    "山上盛石顺泰天通万旺伟文西祥新鑫兴秀旭阳银永裕元远跃云泽振正中众洲竹紫湘岳潭衡沅澧资浏醴攸茶汝桃溪塘湾坪岭冲"
)
DISTRICT_SUFFIX = ["区", "县", "市"]
TOWN_SUFFIX = ["镇", "乡", "街道"]
VILLAGE_SUFFIX = ["村", "社区", "组", "居委会"]
ROAD_SUFFIX = ["路", "大道", "街", "巷"]
INDUSTRY = [
    "化工", "造纸", "建材", "冶炼", "砖瓦", "制药", "电镀", "印染", "混凝土", "石材", "再生资源", "塑料", "皮革", "铸造",
    "陶瓷", "有色金属", "环保科技", "新材料", "矿业", "沥青", "木业", "食品", "生物科技", "水泥",
]  # fmt: skip
COMPANY_FORM = ["有限公司", "有限责任公司", "股份有限公司", "厂", "加工厂"]
FARM = ["养猪场", "养殖场", "养鸡场", "养牛场", "生猪养殖基地"]
EATERY = ["烧烤店", "火锅店", "餐馆", "大排档", "饭店", "小吃店", "酒楼", "农家乐"]
SITE = ["小区工地", "商业广场项目工地", "安置房工地", "道路改造工程", "拆迁工地", "厂房建设项目"]
QUARRY = ["采石场", "砂石场", "采砂点", "煤矿", "洗砂场"]
WATERS = ["河", "江", "港", "溪", "渠", "水库", "湖", "塘"]
TIMES = [
    "每天晚上十点以后", "凌晨两三点", "每逢下雨天", "周末和节假日", "每天傍晚", "深夜十二点左右", "天刚亮的时候",
    "中午休息时间", "晚上八点到十一点", "每到后半夜", "每个星期二和星期五晚上", "春节前后这段时间",
]  # fmt: skip
DURATIONS = ["已经持续半年多", "近三个月来", "从去年开始", "最近一个多月", "这两年一直", "今年以来", "已有一年多时间"]
DEMANDS = [
    "请督察组尽快派人调查处理。", "恳请有关部门依法查处。", "希望督察组实地核查，还我们一个安静的环境。",
    "请求责令其停产整改。", "希望相关部门严肃处理并公开结果。", "请环保部门到现场检测并给个说法。",
    "要求依法关停并追究责任。", "恳请领导重视，尽快解决。", "希望能够彻底整改，不要只是走过场。",
    "请督察组暗访核实，不要提前通知。",
]  # fmt: skip
ADDED = [
    "之前已经打过12345热线，一直没有人处理。", "我们村里很多人都有意见。", "附近还有一所小学。",
    "上次检查前他们临时停了几天，检查一走又开始了。", "这个问题反映过好几次了。", "家里老人孩子身体都受到影响。",
    "我是附近的居民。", "此前向镇政府反映过，没有下文。", "希望不要泄露我的信息。", "情况属实，可以到现场看。",
    "再次举报！", "紧急！", "补充一下：",
]  # fmt: skip

# category: (templates, detail sentences, polluter kind)
CATEGORIES: dict[str, tuple[list[str], list[str], str]] = {
    "water": (
        [
            "{place}的{pol}{dur}在{time}通过暗管偷排生产废水，污水直接流进{water}，{detail}{demand}",
            "反映{place}{pol}夜间偷排废水问题。{time}就能看到排污口冒出黄色泡沫，{water}里的鱼大量死亡，{detail}{demand}",
            "{pol}位于{place}，{dur}趁{time}把未经处理的废水排到{water}，{detail}{demand}",
        ],
        [
            "河水发黑发臭，气味刺鼻。",
            "下游的农田灌溉都受到影响。",
            "排污口就在桥下面，很隐蔽。",
            "水面上漂着一层油。",
            "有村民用河水洗菜后皮肤发痒。",
            "沉淀池早就满了也不清理。",
            "污水处理设施基本不开。",
        ],
        "company",
    ),
    "burning": (
        [
            "{place}有人{time}露天焚烧{stuff}，{dur}，浓烟很大，{detail}{demand}",
            "{pol}在{place}的空地上露天焚烧{stuff}，{time}烟雾弥漫，{detail}{demand}",
            "举报{place}附近{dur}经常有人焚烧{stuff}，{time}黑烟滚滚，{detail}{demand}",
        ],
        [
            "呛得人喘不过气。",
            "晚上都不敢开窗户。",
            "烧完的灰渣就堆在路边。",
            "离居民楼不到一百米。",
            "闻起来像烧塑料和橡胶的味道。",
            "已经影响到附近高速公路的行车视线。",
        ],
        "company",
    ),
    "noise": (
        [
            "{place}的{pol}{time}机器轰鸣，噪音扰民严重，{dur}，{detail}{demand}",
            "投诉{pol}噪音扰民。该单位在{place}，{time}还在施工作业，{detail}{demand}",
            "{place}{pol}{dur}在{time}开动设备，噪声很大，{detail}{demand}",
        ],
        [
            "周边居民根本无法入睡。",
            "孩子第二天上学都没精神。",
            "打了几次电话都没有停。",
            "分贝测了有八十多。",
            "切割钢筋的声音特别刺耳。",
            "渣土车进进出出喇叭声不断。",
        ],
        "site",
    ),
    "fumes": (
        [
            "{place}的{pol}油烟直排，没有安装油烟净化设施，{time}油烟弥漫，{detail}{demand}",
            "反映{pol}餐饮油烟扰民问题，店铺在{place}，{dur}，{time}油烟直接飘进居民家里，{detail}{demand}",
            "{place}楼下的{pol}排烟管道正对着住户窗户，{time}油烟和噪音很大，{detail}{demand}",
        ],
        [
            "衣服晾在外面全是油味。",
            "窗户上一层厚厚的油垢。",
            "老人有哮喘受不了。",
            "风机声音也很吵。",
            "炭火烧烤的烟特别大。",
            "门口还占道经营。",
        ],
        "eatery",
    ),
    "dust": (
        [
            "{place}的{pol}扬尘污染严重，{dur}，{time}尘土飞扬，{detail}{demand}",
            "{pol}在{place}施工，裸露土方没有覆盖，渣土车不冲洗就上路，{time}灰尘很大，{detail}{demand}",
        ],
        ["路边的树叶都是灰白色的。", "雾炮机只在检查时才开。", "家里桌子一天擦好几遍。", "车辆经过时看不清路。"],
        "site",
    ),
    "solid": (
        [
            "{place}的{pol}把工业固废和危险废物随意倾倒在{water}边上，{dur}，{detail}{demand}",
            "举报{pol}在{place}非法填埋废渣，{time}有货车来倒，{detail}{demand}",
        ],
        ["下雨后渗出红色的液体。", "堆放点连防渗措施都没有。", "味道很臭，招来很多苍蝇。", "倒的都是废油桶和污泥。"],
        "company",
    ),
    "livestock": (
        [
            "{place}的{pol}粪污直排，{dur}，{time}臭气熏天，{detail}{demand}",
            "{pol}建在{place}饮用水源保护区内，养殖废水流入{water}，{detail}{demand}",
        ],
        ["粪水沿着沟渠流到稻田里。", "夏天苍蝇蚊子特别多。", "沼气池早就坏了。", "水井的水都变味了。"],
        "farm",
    ),
    "mining": (
        [
            "{place}的{pol}无证开采，破坏山体植被，{dur}，{time}放炮作业，{detail}{demand}",
            "{pol}在{place}非法采砂，{water}河道被挖得坑坑洼洼，{detail}{demand}",
        ],
        ["房子墙壁都震裂了。", "山上挖得光秃秃的。", "运矿车把村道都压坏了。", "洗砂水直接排进河里。"],
        "quarry",
    ),
    "air": (
        [
            "{place}的{pol}废气直排，{time}排放刺鼻气体，{dur}，{detail}{demand}",
            "{pol}（位于{place}）烟囱冒黄烟，{time}尤其严重，{detail}{demand}",
        ],
        ["周边居民经常头晕恶心。", "在线监测数据明显造假。", "脱硫设施形同虚设。", "附近的庄稼叶子发黄枯萎。"],
        "company",
    ),
}
STUFF = ["垃圾", "秸秆", "废旧轮胎", "电缆皮", "建筑垃圾", "废塑料", "油漆桶", "医疗废物"]
CATEGORY_WEIGHTS = {
    "water": 18,
    "burning": 10,
    "noise": 16,
    "fumes": 14,
    "dust": 10,
    "solid": 8,
    "livestock": 8,
    "mining": 6,
    "air": 10,
}
# Synonyms: every occurrence in an original text is replaced independently, as different people word things differently.
SYNONYMS = {
    "偷排": ["偷排", "直排", "乱排", "私自排放", "偷偷排放", "违法排放"],
    "废水": ["废水", "污水", "工业废水", "脏水", "废液"],
    "居民": ["居民", "住户", "群众", "老百姓", "村民"],
    "附近": ["附近", "周边", "旁边", "一带"],
    "希望": ["希望", "恳请", "请求", "强烈要求", "盼望"],
    "晚上": ["晚上", "夜里", "夜间", "半夜"],
    "经常": ["经常", "时常", "总是", "老是", "常常"],
    "严重": ["严重", "非常厉害", "特别严重", "很严重"],
    "影响": ["影响", "干扰", "危害"],
    "处理": ["处理", "处置", "查处", "解决"],
    "部门": ["部门", "单位", "领导", "政府"],
    "排放": ["排放", "排出", "外排", "放出"],
    "直接": ["直接", "径直", "就这样", ""],
    "没有": ["没有", "没", "并未", "从未"],
    "噪音": ["噪音", "噪声", "响声", "轰鸣声"],
    "油烟": ["油烟", "烟气", "油烟味"],
    "大量": ["大量", "成片", "很多"],
    "很大": ["很大", "极大", "巨大", "非常大"],
    "臭": ["臭", "腥臭", "恶臭"],
    "刺鼻": ["刺鼻", "难闻", "呛人"],
    "工地": ["工地", "工程", "施工现场"],
    "尽快": ["尽快", "马上", "早日", "及时", "立即"],
    "调查": ["调查", "核查", "检查", "查看"],
    "问题": ["问题", "情况", "现象", "事情"],
    "反映": ["反映", "举报", "投诉", "报告"],
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
PLATE_CITY = "ABCDEFGHJKLMNU"
SPECIFICS = [
    "{m}月{d}日晚上{h}点左右我亲眼看到的。", "排污口离{who}家不到{n}米。", "车牌号湘{p}的货车经常来拉。",
    "{who}家的{n}只鸡都死了。", "厂里的{who}说上面有人。", "{m}月{d}日拍了视频，可以提供。", "老板姓{sur}，电话打不通。",
    "大概有{n}吨的样子。", "门牌是{n}号，在{who}家隔壁。", "{who}和{who2}都可以作证。", "从{m}月份开始一直到现在。",
]  # fmt: skip
INTRO = [
    "",
    "",
    "",
    "我是{village}的村民，",
    "本人住在{village}，",
    "你好，",
    "督察组领导：",
    "实名反映：",
    "我要举报，",
    "我们是{village}的群众，",
    "您好！我家在{village}，",
]
COMMON = (
    "的一是了不在有人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
)


@dataclass(slots=True)
class Complaint:
    id: int
    text: str
    lat: float | None
    lon: float | None
    polluter: str
    at: dt.datetime
    incident: int
    category: str


@dataclass
class Round:
    complaints: list[Complaint] = field(default_factory=list)

    def truth_pairs(self) -> set[tuple[int, int]]:
        by_incident: dict[int, list[int]] = {}
        for c in self.complaints:
            by_incident.setdefault(c.incident, []).append(c.id)
        out: set[tuple[int, int]] = set()
        for ids in by_incident.values():
            ids.sort()
            for a in range(len(ids)):
                for b in range(a + 1, len(ids)):
                    out.add((ids[a], ids[b]))
        return out


def _name(rng: random.Random, k: int = 2) -> str:
    return "".join(rng.choice(SYL) for _ in range(k))


def _polluter(rng: random.Random, kind: str) -> str:
    if kind == "company":
        return _name(rng, rng.choice((2, 2, 3))) + rng.choice(INDUSTRY) + rng.choice(COMPANY_FORM)
    if kind == "site":
        return (
            _name(rng) + rng.choice(SITE) if rng.random() < 0.6 else _name(rng) + rng.choice(INDUSTRY) + rng.choice(COMPANY_FORM)
        )
    if kind == "eatery":
        return rng.choice(("", "老", "阿", "小")) + _name(rng) + rng.choice(EATERY)
    if kind == "farm":
        return _name(rng) + rng.choice(FARM)
    return _name(rng) + rng.choice(QUARRY)


def _place(rng: random.Random, city: str) -> str:
    district = _name(rng) + rng.choice(DISTRICT_SUFFIX)
    if rng.random() < 0.5:
        return f"{city}{district}{_name(rng)}{rng.choice(TOWN_SUFFIX)}{_name(rng)}{rng.choice(VILLAGE_SUFFIX)}"
    return f"{city}{district}{_name(rng)}{rng.choice(ROAD_SUFFIX)}{rng.randint(1, 999)}号附近"


def _original(
    rng: random.Random, category: str, cities: list[tuple[str, float, float]] = CITIES
) -> tuple[str, str, float, float]:
    templates, details, kind = CATEGORIES[category]
    city, clat, clon = rng.choice(cities)
    pol = _polluter(rng, kind)
    detail = "".join(rng.sample(details, rng.choice((1, 1, 2))))
    text = rng.choice(templates).format(
        place=_place(rng, city), pol=pol, time=rng.choice(TIMES), dur=rng.choice(DURATIONS),
        water=_name(rng) + rng.choice(WATERS), stuff=rng.choice(STUFF), detail=detail, demand=rng.choice(DEMANDS),
    )  # fmt: skip
    intro = rng.choice(INTRO).format(village=_name(rng) + rng.choice(VILLAGE_SUFFIX))
    extra = "".join(_specific(rng) for _ in range(rng.choice((1, 1, 2))))
    text = intro + _reword(rng, text)
    cut = text.rfind("。", 0, len(text) - 1)
    text = text[: cut + 1] + extra + text[cut + 1 :] if cut > 0 else text + extra
    lat = clat + rng.uniform(-0.35, 0.35)
    lon = clon + rng.uniform(-0.35, 0.35)
    return text, pol, lat, lon


def _person(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES)
        + rng.choice(("某", "师傅", "大爷", "阿姨", "老板", ""))
        + (rng.choice(SYL) if rng.random() < 0.4 else "")
    )


def _specific(rng: random.Random) -> str:
    return rng.choice(SPECIFICS).format(
        m=rng.randint(1, 12), d=rng.randint(1, 28), h=rng.randint(1, 12), n=rng.randint(2, 500),
        who=_person(rng), who2=_person(rng),
        sur=rng.choice(SURNAMES), p=rng.choice(PLATE_CITY) + "".join(rng.choice("0123456789ABCDEFGHJK") for _ in range(5)),
    )  # fmt: skip


def _reword(rng: random.Random, text: str) -> str:
    for word, alternatives in SYNONYMS.items():
        if word in text:
            parts = text.split(word)
            text = parts[0] + "".join(rng.choice(alternatives) + p for p in parts[1:])
    return text


def _edit(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        p = rng.randrange(len(chars))
        if op < 0.3:
            chars.insert(p, rng.choice(COMMON))
        elif op < 0.55 and len(chars) > 10:
            del chars[p]
        elif op < 0.8 and p + 1 < len(chars):
            chars[p], chars[p + 1] = chars[p + 1], chars[p]
        else:
            chars[p] = rng.choice(COMMON)
    out = "".join(chars)
    if rng.random() < 0.35:
        phrase = rng.choice(ADDED)
        out = phrase + out if rng.random() < 0.5 else out + phrase
    return out


def generate(
    n: int = 135_000,
    *,
    dup_share: float = 0.15,
    seed: int = 20151231,
    start: dt.datetime | None = None,
    days: float = 30,
    national: bool = False,
) -> Round:
    """`n` complaints over `days` days; about `dup_share` of them are re-reports of an earlier incident.

    With `national`, the places are spread over 50 cities of all provinces instead of Hunan's 14."""
    cities = NATIONAL_CITIES if national else CITIES
    rng = random.Random(seed)
    start = start or dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)
    cats = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in cats]
    out: list[Complaint] = []
    incident = 0
    while len(out) < n:
        cat = rng.choices(cats, weights)[0]
        text, pol, lat, lon = _original(rng, cat, cities)
        at = start + dt.timedelta(minutes=rng.uniform(0, days * 24 * 60))
        has_loc = rng.random() < 0.8
        first = Complaint(
            len(out),
            text,
            lat if has_loc else None,
            lon if has_loc else None,
            pol if rng.random() < 0.85 else "",
            at,
            incident,
            cat,
        )
        out.append(first)
        # ~ dup_share of all complaints are copies: originals get 1–3 copies with probability q
        if rng.random() < dup_share / (1 - dup_share) / 2.0:
            for _ in range(rng.randint(1, 3)):
                if len(out) >= n:
                    break
                dlat = lat + rng.gauss(0, 0.002) if rng.random() < 0.85 else None
                dlon = lon + rng.gauss(0, 0.002) if dlat is not None else None
                dpol = pol if rng.random() < 0.8 else ""
                dat = at + dt.timedelta(hours=rng.uniform(0, 96))
                out.append(Complaint(len(out), _edit(rng, text), dlat, dlon, dpol, dat, incident, cat))
        incident += 1
    # shuffle arrival order within the round (ids stay as generated)
    rng.shuffle(out)
    return Round(out)
