"""A labelled evaluation set for duplicate detection: retellings and hard negatives (generated, seed 9).

How it is made (deterministic: `labelled_pairs()` always gives the same pairs):

* An *incident* is structured: a place (district, street or village, a lake or river, a point), a
  polluter (a registry-style full name such as 岳阳市云溪区长岭精细化工有限公司, with its short forms
  长岭精细化工 / 长岭化工), a problem (water, smoke, dust, noise, waste, odour), a time of day and a day.
* A *retelling* pair is two reports of one incident, each written independently from the structure:
  each side draws its own polluter form (full name, short name, or only "一家化工厂" in the text), its own
  verb and symptom wording from the problem's vocabulary (排污/排废水/偷排 …, 水发黑/水变黑 …), its own
  time phrase, its own reporter style (terse, angry, formal; with or without stock phrases such as
  请督察组尽快查处), a point 50–400 m from the site and a day up to 4 days apart.  They are not edits of
  one string: the sentence templates differ per style.
* A *hard negative* is two reports from the same street or village (≤ 400 m apart, same days, same
  stock phrases): either a different problem from a different polluter (half of them), or the same
  kind of problem from a different, named polluter next door.

Known limits: a retelling where neither side names the polluter and the words share little is not
distinguishable from a neighbour's report by any signal here; such pairs are generated (the unnamed
side) and count as misses when they are missed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SEED = 9

PLACES = [
    ("云溪区", "长岭街道", "松阳湖", 29.46, 113.28),
    ("汨罗市", "白水镇", "汨罗江", 28.80, 113.07),
    ("湘阴县", "樟树镇", "东湖", 28.68, 112.88),
    ("华容县", "东山镇", "塌西湖", 29.52, 112.56),
    ("平江县", "三市镇", "昌江河", 28.70, 113.58),
    ("临湘市", "桃林镇", "桃林河", 29.47, 113.45),
    ("岳阳县", "新墙镇", "新墙河", 29.14, 113.20),
    ("君山区", "柳林洲街道", "采桑湖", 29.45, 112.99),
    ("屈原区", "营田镇", "屈原湖", 28.88, 112.90),
    ("开福区", "捞刀河街道", "捞刀河", 28.30, 113.02),
]
BRANDS = ["长岭", "恒达", "鑫源", "宏发", "金辉", "华泰", "永兴", "盛丰", "利民", "天成", "三友", "广源", "兴旺", "新宇", "正大"]
INDUSTRY = {
    "water": [("精细化工", "化工厂"), ("纸业", "造纸厂"), ("印染", "印染厂"), ("再生铝业", "铝厂")],
    "smoke": [("再生铝业", "铝厂"), ("砖瓦", "砖厂"), ("冶炼", "冶炼厂"), ("热电", "电厂")],
    "dust": [("石材", "石材厂"), ("混凝土", "搅拌站"), ("砂石", "砂石场")],
    "noise": [("机械", "机械厂"), ("木业", "木材加工厂"), ("建材", "建材厂")],
    "waste": [("养殖", "养猪场"), ("环保", "垃圾场"), ("冶炼", "冶炼厂")],
}
VOCAB = {
    "water": {
        "verb": ["排污", "排废水", "偷排", "直排污水", "偷偷排放污水", "往外排黑水"],
        "into": ["往{w}里", "往{w}", "直接排进{w}", "排到{w}"],
        "symptom": ["水都变黑了", "水发黑发臭", "死鱼一片", "湖面漂着白沫", "水质越来越差", "河水黑得像墨汁"],
    },
    "smoke": {
        "verb": ["冒黑烟", "烟囱冒浓烟", "排放废气", "冒烟", "排黑烟"],
        "into": ["", "整个{s}都是烟", "飘到{s}"],
        "symptom": ["呛得喘不过气", "衣服都不敢晒", "气味刺鼻", "天都是灰的", "满屋子焦味"],
    },
    "dust": {
        "verb": ["粉尘漫天", "扬尘很大", "灰尘到处飞", "尘土飞扬"],
        "into": ["", "{s}一片灰"],
        "symptom": ["窗台一层灰", "车上全是灰", "庄稼叶子都白了", "出门要戴口罩"],
    },
    "noise": {
        "verb": ["机器轰鸣", "噪音很大", "噪声扰民", "机器声吵得很"],
        "into": ["", "吵到整个{s}"],
        "symptom": ["整夜睡不着", "孩子没法写作业", "老人心脏受不了", "吵得人头疼"],
    },
    "waste": {
        "verb": ["乱倒垃圾", "倾倒废渣", "堆放固废", "乱堆废料"],
        "into": ["在{w}边上", "倒在{w}旁边", "堆到{w}岸边"],
        "symptom": ["臭气熏天", "苍蝇成群", "下雨就往水里流", "堆得像小山"],
    },
}
WHEN = {"night": ["晚上", "半夜", "夜里", "深夜", "凌晨两三点"], "day": ["白天", "每天上午", "中午", "下午"]}
STYLES = {
    "terse": ["{pol}{when}{into}{verb}，{symptom}。", "{place}{pol}{verb}，{when}最厉害，{symptom}"],
    "angry": [
        "太过分了！{pol}{when}{into}{verb}，{symptom}，{closing}",
        "{place}的{pol}天天{verb}，{when}尤其严重，{symptom}！！{closing}",
    ],
    "formal": [
        "本人系{place}居民，现反映{pol}于{when}{into}{verb}，造成{symptom}。{closing}",
        "反映情况：{place}{pol}存在{when}{verb}问题，{symptom}，{closing}",
    ],
}
CLOSINGS = ["请督察组尽快查处。", "希望有关部门管一管。", "恳请督察组严肃处理！", "请尽快调查处理，谢谢。"]


@dataclass(frozen=True)
class Report:
    key: str
    text: str
    polluter_name: str
    lat: float
    lon: float
    day: int  # days after the start of the stay
    types: tuple[str, ...]


@dataclass(frozen=True)
class Incident:
    district: str
    street: str
    water: str
    lat: float
    lon: float
    brand: str
    industry: tuple[str, str]
    problem: str
    when: str
    day: int


TYPES = {"water": ("water",), "smoke": ("air",), "dust": ("dust",), "noise": ("noise",), "waste": ("solid_waste",)}


def _incident(rng: random.Random, place: tuple, problem: str, brand: str) -> Incident:
    district, street, water, lat, lon = place
    return Incident(
        district, street, water,
        lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05),
        brand, rng.choice(INDUSTRY[problem]), problem, rng.choice(["night", "day"]), rng.randint(0, 25),
    )  # fmt: skip


def _offset(rng: random.Random, lat: float, lon: float, max_m: float) -> tuple[float, float]:
    d = rng.uniform(50, max_m) / 111_000
    return round(lat + rng.uniform(-d, d), 6), round(lon + rng.uniform(-d, d), 6)


def write(rng: random.Random, inc: Incident, key: str, *, max_m: float = 400, named: float = 0.75) -> Report:
    """One report of an incident, written from its structure in a randomly drawn voice."""
    full = f"岳阳市{inc.district}{inc.brand}{inc.industry[0]}有限公司"
    short = rng.choice(
        [f"{inc.brand}{inc.industry[0]}", f"{inc.brand}{inc.industry[1]}", f"{inc.district}{inc.brand}{inc.industry[1]}"]
    )
    form = rng.random()
    if form < named * 0.4:
        pol_field, pol_text = full, rng.choice([short, "这家" + inc.industry[1]])
    elif form < named:
        pol_field, pol_text = short, short
    else:  # the polluter is not named: "一家化工厂"
        pol_field, pol_text = "", rng.choice(["一家", "有家", "附近的"]) + inc.industry[1]
    v = VOCAB[inc.problem]
    place = rng.choice([inc.street, inc.district + inc.street, f"{inc.street}{inc.water}附近"])
    style = rng.choice(list(STYLES))
    text = rng.choice(STYLES[style]).format(
        pol=pol_text,
        place=place,
        when=rng.choice(WHEN[inc.when]),
        into=rng.choice(v["into"]).format(w=inc.water, s=inc.street),
        verb=rng.choice(v["verb"]),
        symptom="，".join(rng.sample(v["symptom"], rng.randint(1, 2))),
        closing=rng.choice(CLOSINGS),
    )
    lat, lon = _offset(rng, inc.lat, inc.lon, max_m)
    return Report(key, text, pol_field, lat, lon, inc.day + rng.randint(0, 4), TYPES[inc.problem])


def labelled_pairs(n_dup: int = 240, n_neg: int = 240, seed: int = SEED) -> list[tuple[Report, Report, bool]]:
    """[(report a, report b, same incident?)]: `n_dup` retellings and `n_neg` hard negatives."""
    rng = random.Random(seed)
    out: list[tuple[Report, Report, bool]] = []
    for k in range(n_dup):
        inc = _incident(rng, rng.choice(PLACES), rng.choice(list(VOCAB)), rng.choice(BRANDS))
        out.append((write(rng, inc, f"d{k}a"), write(rng, inc, f"d{k}b"), True))
    for k in range(n_neg):
        place = rng.choice(PLACES)
        problem = rng.choice(list(VOCAB))
        b1, b2 = rng.sample(BRANDS, 2)
        inc = _incident(rng, place, problem, b1)
        if k % 2 == 0:  # same street, a different problem from a different polluter
            other_problem = rng.choice([p for p in VOCAB if p != problem])
            other = Incident(
                inc.district, inc.street, inc.water, inc.lat, inc.lon, b2, rng.choice(INDUSTRY[other_problem]),
                other_problem, rng.choice(["night", "day"]), inc.day,
            )  # fmt: skip
            b = write(rng, other, f"n{k}b")
        else:  # same street, same kind of problem, a different polluter next door, both named
            other = Incident(
                inc.district, inc.street, inc.water, inc.lat, inc.lon, b2, rng.choice(INDUSTRY[problem]),
                problem, inc.when, inc.day,
            )  # fmt: skip
            b = write(rng, other, f"n{k}b", named=1.0)
        a = write(rng, inc, f"n{k}a", named=1.0 if k % 2 else 0.75)
        out.append((a, b, False))
    return out
