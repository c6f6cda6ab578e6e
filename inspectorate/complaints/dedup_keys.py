"""What two reports of one incident have in common, as keys: polluter, place, words.

Three pure functions feed both the candidate look-up (`dedup_store`) and the pair score (`dedup_score`):

* `polluter_key(name)`: the identity of a polluter name.  Legal forms (有限公司, 集团 …), generic
  words (公司, 厂, 有限, 再生, 实业 …), industry words (铝业, 化工, 纸业 …) and leading place names
  (岳阳市, 云溪区, 汨罗 …: jieba's place-name tag, or an administrative suffix) are dropped, so
  "汨罗恒达再生铝业有限公司" and "恒达铝业" both give "恒达".  A leading place name stays when nothing
  else would (长岭精细化工 → 长岭).  A name made only of generic words ("一家化工厂") or punctuation
  gives "" (unknown).
* `cell(lat, lon)`: a grid cell of 0.01° × 0.01° (about 1.1 km × 1.0 km in Hunan); `cells_around` adds
  its eight neighbours, so two points less than a cell apart always share one.  A location outside
  China's bounding box, or half missing, has no cell.
* `words(text)`: the content words of a text (jieba tokens) with synonyms mapped to one canonical
  word (排污/排废水/偷排 → 排污, 黑烟/冒烟/烟囱 → 黑烟 …) and stock phrases (请督察组尽快查处 …)
  and function words left out.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
import threading
import unicodedata
from typing import Any

__all__ = ["cell", "cells_around", "in_china", "key64", "polluter_key", "words"]

CELL_DEG = 0.01
_NON_WORD = re.compile(r"[\W_]+")


def _split(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ADMIN_SUFFIX = ("省", "市", "县", "区", "州", "镇", "乡", "街道", "村", "盟", "旗")
_LEGAL_FORMS = ("有限责任公司", "股份有限公司", "有限公司", "分公司", "总公司", "集团", "公司")
_GENERIC = _split(
    "公司 厂 工厂 厂子 厂家 有限 责任 股份 集团 分公司 分厂 总厂 再生 实业 科技 新材料 "
    "发展 工贸 贸易 制品 产业 场 站 的 附近 有家 企业 一家 那家 这家 某 有限责任 "
    "股份有限 合作社 基地 中心 项目部 项目 园区 工业园 铝业 化工 精细化工 化工厂 纸业 造纸 "
    "造纸厂 水泥 水泥厂 建材 养殖 养殖场 养猪场 砖厂 砖瓦 冶炼 冶炼厂 铝厂 钢厂 钢铁 矿业 "
    "石材 砂石 采石场 搅拌站 混凝土 印染 电镀 皮革 制药 药业 食品 饲料 机械 木材 加工 "
    "加工厂 电厂 热电厂 烧烤 烧烤店 火锅店 餐馆 大排档 饭店 小吃店 酒楼 农家乐 餐饮 店 "
    "门店 养鸡场 养牛场 生猪 采砂点 煤矿 洗砂场 工地 工程 施工队 商业广场 安置房项目 道路 "
    "改造 小区 建设 商业 广场 安置房 拆迁 厂房 施工 现场 再生资源 生物科技 有色金属 "
    "环保科技 铸造 沥青 塑料 橡胶 家具 木业 玻璃 陶瓷 冶金 有色 金属 环保 能源 电力 热电 "
    "焦化 煤业 化肥 农药 垃圾场 屠宰场"
)
_GENERIC_LONGEST = sorted(_GENERIC, key=lambda w: (-len(w), w))
_STOP = _split(
    "请 督察组 督察 尽快 查处 查一查 管一管 希望 有关 有关部门 部门 领导 处理 解决 严肃 "
    "举报 反映 投诉 我们 我 你们 他们 大家 附近 这里 那里 这个 那个 一个 一家 有 在 的 "
    "了 是 和 与 及 也 都 就 还 又 被 把 往 向 从 对 给 让 很 非常 特别 严重 已经 "
    "一直 经常 总是 每天 天天 多次 好几次 几次 没有 没人 没 不 无人 人管 管 问题 情况 "
    "现象 导致 造成 影响 生活 居民 村民 群众 老百姓 身体 健康 谢谢 感谢 恳请 强烈要求 "
    "要求 麻烦 帮忙 一下 看看 实在 真的 简直 受不了 忍无可忍"
)
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "排污": ("排污", "排废水", "偷排", "直排", "排放", "排污水", "污水", "废水", "排水", "偷偷排放", "乱排", "排出"),
    "黑烟": ("黑烟", "冒烟", "烟囱", "浓烟", "冒黑烟", "烟雾", "烟", "废气", "黄烟", "烟尘"),
    "发黑": ("发黑", "变黑", "黑", "乌黑", "黑乎乎", "黑水", "黑臭"),
    "臭": ("臭", "发臭", "恶臭", "臭味", "臭气", "异味", "刺鼻", "气味", "难闻", "熏"),
    "夜间": ("晚上", "半夜", "夜里", "深夜", "凌晨", "夜间", "夜晚", "晚间", "三更半夜", "后半夜"),
    "噪声": ("噪声", "噪音", "轰鸣", "吵", "扰民", "吵闹", "机器声", "声音"),
    "粉尘": ("粉尘", "扬尘", "灰尘", "灰", "尘土", "漫天"),
    "死鱼": ("死鱼", "鱼死", "翻白", "死了"),
    "化工": ("化工", "化工厂", "精细化工", "化工企业", "化工公司"),
    "工厂": ("工厂", "厂", "厂子", "厂家", "企业", "厂区", "车间"),
    "垃圾": ("垃圾", "废渣", "固废", "废料", "倾倒", "堆放", "乱倒"),
    "湖": ("湖", "湖里", "湖水", "湖面"),
    "河": ("河", "河里", "河道", "河水", "小河", "溪", "沟渠", "水沟"),
}
_CANON = {w: canon for canon, variants in _SYNONYMS.items() for w in variants}
_KEEP_SHORT = frozenset(_CANON) | {"湖", "河", "灰", "吵", "臭", "黑", "烟", "厂", "渣"}

_lock = threading.Lock()
_ready = False


def _jieba() -> Any:
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                for w in _CANON:
                    if len(w) > 1:
                        jieba.add_word(w, freq=2000)
                _ready = True
    return jieba


def _generic(word: str) -> bool:
    """A generic word, or one made of generic words and a 厂/场/站 ending (砂石场, 木材加工厂)."""
    if word in _GENERIC:
        return True
    stem = word[:-1] if word.endswith(("厂", "场", "站", "店", "点")) else word
    if stem in _GENERIC:
        return True
    return any(stem[:i] in _GENERIC and _generic(stem[i:]) for i in range(1, len(stem)))


def _clean(text: str) -> str:
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text or "").lower())


def key64(kind: str, value: str) -> int:
    """A signed 64-bit key for a (kind, value) pair: what the database index holds."""
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@functools.lru_cache(maxsize=65536)
def polluter_key(name: str) -> str:
    """The identity part of a polluter name ("" when it names none): see the module docstring."""
    out = _clean(name)[:200]
    if len(out) < 2:
        return ""
    for form in _LEGAL_FORMS:
        if out.endswith(form):
            out = out[: -len(form)]
            break
    changed = True
    while changed:  # generic words at the end: 永江安置房工地 → 永江, 恒达再生铝业 → 恒达再生 → 恒达
        changed = False
        for word in _GENERIC_LONGEST:
            if out.endswith(word) and len(out) - len(word) >= 2:
                out = out[: -len(word)]
                changed = True
                break
    from jieba import posseg

    _jieba()
    tokens = [(t.word, t.flag) for t in posseg.cut(out)]
    core = [(w, f) for w, f in tokens if not _generic(w)]

    def is_place(word: str, flag: str) -> bool:
        return flag == "ns" or (len(word) > 1 and word.endswith(_ADMIN_SUFFIX))

    while len(core) > 1 and is_place(*core[0]) and len("".join(w for w, _f in core[1:])) >= 2:
        core = core[1:]
    key = "".join(w for w, _f in core)
    return key if len(key) >= 2 else ""


def in_china(lat: float | None, lon: float | None) -> bool:
    """Inside the bounding box of China (a coarse plausibility check, not a border)."""
    if lat is None or lon is None:
        return False
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    return math.isfinite(la) and math.isfinite(lo) and 3.0 <= la <= 54.0 and 73.0 <= lo <= 136.0


def cell(lat: float | None, lon: float | None) -> tuple[int, int] | None:
    """The grid cell of a location (None without a plausible one)."""
    if not in_china(lat, lon):
        return None
    assert lat is not None and lon is not None
    return math.floor(float(lat) / CELL_DEG), math.floor(float(lon) / CELL_DEG)


def cells_around(lat: float | None, lon: float | None) -> list[tuple[int, int]]:
    """The cell of a location and its eight neighbours (empty without a location)."""
    c = cell(lat, lon)
    if c is None:
        return []
    return [(c[0] + dy, c[1] + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def cell_name(c: tuple[int, int]) -> str:
    return f"{c[0]}:{c[1]}"


@functools.lru_cache(maxsize=16384)
def words(text: str, limit: int = 2000) -> frozenset[str]:
    """Canonical content words of a text (the first `limit` characters): see the module docstring."""
    jieba = _jieba()
    out = set()
    for token in jieba.lcut(_clean(text)[:limit]):
        w = _CANON.get(token, token)
        if w in _STOP:
            continue
        if len(w) < 2 and w not in _KEEP_SHORT:
            continue
        if w.isdigit():
            continue
        out.add(w)
    return frozenset(out)
