"""The default bilingual classification dictionary (editable afterwards in the admin).

Entries: (term, language, pollution type or "", sector or "", weight).
"""

from __future__ import annotations

from typing import Any

_T = {
    "water": "废水 污水 排污 偷排 直排 暗管 尾矿水 矿井水 河道 河水 黑臭 水体 水质 饮用水 水源 湖 洞庭湖 鱼塘 死鱼 渗滤液 "
    "水库 江水 溪 沟渠 排污口 发黑 发臭 养殖废水 地下水",
    "air": "废气 烟尘 黑烟 黄烟 焦油味 焦炉 臭味 喷漆 油漆味 烧山 臭气 异味 刺鼻 焚烧 燃烧 烟囱 空气 "
    "大气 熏 恶臭 气味 锅炉 烧 秸秆 VOCs 挥发 氨气 硫化氢 二氧化硫 冒烟",
    "soil": "土壤 农田 耕地 重金属 污染土地 镉 铅 砷 稻田 庄稼",
    "ecology": "毁林 砍伐 采砂 非法采砂 湿地 保护区 破坏植被 占用林地 填湖 围垦 侵占 生态 挖山 毁坏 自然保护区 山体 开山",
    "noise": "噪声 噪音 轰鸣 吵 扰民 夜间施工 机器声 震动 鸣笛",
    "radiation": "辐射 基站 放射 放射性 电磁 射线 放射源",
    "marine": "海洋 海域 海水 近岸 围海 海滩 赤潮",
    "solid_waste": "垃圾 固废 尾矿水 鸡粪 粪便堆放 污泥 废机油 废油 固体废物 废渣 尾矿 矿渣 堆放 倾倒 "
    "危废 危险废物 填埋 赤泥 煤矸石 弃土 堆场 垃圾场 废料 医疗废物 渣",
    "cooking_fumes": "油烟 餐饮 饭店 烧烤 排烟罩 餐馆 厨房",
    "dust": "扬尘 粉尘 灰尘 灰 尘土 渣土车 搅拌站 沙石 砂石 石料 碎石",
}
_T_EN = {
    "water": "wastewater sewage river lake discharge effluent drinking",
    "air": "smoke odour odor smell burning emissions chimney exhaust",
    "soil": "soil farmland cadmium",
    "ecology": "deforestation logging wetland reserve sand-mining",
    "noise": "noise noisy loud",
    "radiation": "radiation radioactive",
    "marine": "sea marine coastal",
    "solid_waste": "waste garbage rubbish tailings dumping slag landfill",
    "cooking_fumes": "restaurant kitchen barbecue",
    "dust": "dust dusty",
}
_SECTOR = {
    "industry": "焦化厂 冶炼厂 再生金属 屠宰场 汽修厂 工厂 厂 化工 企业 公司 冶炼 电解铝 "
    "氧化铝 造纸 印染 电镀 钢铁 水泥 厂区 车间 生产 砖厂 稀土 分离厂",
    "mining": "砂石场 采砂 选煤厂 煤尘 铅锌矿 矿 矿山 采矿 矿区 尾矿 开采 稀土矿 采石场 煤矿 选矿 矿渣 矿井",
    "livestock": "养鸡场 鸡粪 养猪 养殖 猪场 养鸡 牛场 畜禽 养殖场 粪便",
    "urban": "填埋场 垃圾填埋场 KTV 小区 居民 城区 街道 垃圾站 餐饮 饭店 工地 施工 渣土车 市政 污水处理厂",
    "rural": "盗伐 林木 烧山 村 农村 村民 乡镇 秸秆 农田 农户",
    "nature_reserve": "保护区 自然保护区 湿地公园 国家公园 风景区 东洞庭湖",
}
_SECTOR_EN = {
    "industry": "factory plant smelter refinery company",
    "mining": "mine mining quarry tailings",
    "livestock": "pig farm livestock poultry",
    "urban": "residential construction restaurant kitchen flats",
    "rural": "village farmland",
    "nature_reserve": "reserve",
}

# Terms that say a lot on their own weigh more; weak context terms weigh less than the threshold.
_WEAK = {
    "直排",
    "农田",
    "庄稼",
    "发臭",
    "lake",
    "river",
    "烧",
    "渣",
    "灰",
    "吵",
    "湖",
    "溪",
    "熏",
    "厂",
    "村",
    "矿",
    "生产",
    "企业",
    "公司",
    "居民",
    "生态",
    "气味",
    "堆放",
    "毁坏",
}


def default_keywords() -> list[tuple[str, str, str, str, float]]:
    out: list[tuple[str, str, str, str, float]] = []
    for ptype, words in _T.items():
        for w in words.split():
            out.append((w.lower(), "zh", ptype, "", 0.5 if w in _WEAK else 1.0))
    for ptype, words in _T_EN.items():
        for w in words.split():
            out.append((w, "en", ptype, "", 0.5 if w in _WEAK else 1.0))
    for sector, words in _SECTOR.items():
        for w in words.split():
            out.append((w, "zh", "", sector, 0.5 if w in _WEAK else 1.0))
    for sector, words in _SECTOR_EN.items():
        for w in words.split():
            out.append((w, "en", "", sector, 1.0))
    return out


def seed(model: Any) -> int:
    """Create the default entries that are missing (idempotent); returns how many were added."""
    existing = set(model.objects.values_list("term", "language", "pollution_type", "sector"))
    new = [
        model(term=t, language=lang, pollution_type=p, sector=s, weight=w)
        for t, lang, p, s, w in default_keywords()
        if (t, lang, p, s) not in existing
    ]
    # The same term may appear twice in a list; keep the first.
    seen: set[tuple[str, str, str, str]] = set()
    unique = []
    for k in new:
        key = (k.term, k.language, k.pollution_type, k.sector)
        if key not in seen:
            seen.add(key)
            unique.append(k)
    model.objects.bulk_create(unique)
    if unique and not getattr(model, "__module__", "").startswith("__fake__"):  # not a migration's historical model
        from inspectorate.core import stamps

        stamps.bump(stamps.KEYWORDS)
    return len(unique)
