"""A labelled set for the classification suggestions, built from the situations in DOMAIN.md (§1, §6–§8).

Each item: (text, expected pollution types, expected sector). Used by the test and by
`manage.py classification_report`, which prints precision and recall.
"""

from __future__ import annotations

from dataclasses import dataclass

LABELLED: list[tuple[str, set[str], str]] = [
    # §7: a landfill due to close still running; relapses; smelters reported "stopped" but running.
    ("垃圾填埋场按要求2017年10月应关闭，但至今仍在接收垃圾，渗滤液流进附近河道。", {"solid_waste", "water"}, "urban"),
    ("通报说已经停产的冶炼厂晚上还在生产，烟囱冒黑烟，气味刺鼻。", {"air"}, "industry"),
    ("去年被罚款的化工企业又偷偷恢复生产，夜里偷排废水。", {"water"}, "industry"),
    ("The smelter that was reported closed is running again at night, black smoke from the chimney.", {"air"}, "industry"),
    # Scenario A: Chinalco / Guangxi rare earths.
    ("稀土冶炼分离厂废水氨氮超标排放，下游河水发绿，鱼虾死亡。", {"water"}, "industry"),
    ("稀土矿区原地浸矿后山体植被死亡，水土流失严重。", {"ecology"}, "mining"),
    ("稀土分离厂废渣露天堆放，没有防渗措施，担心放射性污染。", {"solid_waste", "radiation"}, "industry"),
    ("氧化铝厂赤泥库扬尘严重，周边居民家里一层红灰。", {"dust", "solid_waste"}, "industry"),
    ("电解铝厂烟气无组织排放，厂区周边空气刺鼻。", {"air"}, "industry"),
    # Scenario B: Yueyang.
    ("洞庭湖边造纸厂排污口排出黄褐色废水，湖面有泡沫。", {"water"}, "industry"),
    ("东洞庭湖自然保护区内有人围垦湿地养鱼，破坏候鸟栖息地。", {"ecology"}, "nature_reserve"),
    ("生猪养殖场粪便直排河里，河水发黑发臭。", {"water"}, "livestock"),
    ("饭店油烟直排居民楼，没有安装净化设备。", {"cooking_fumes"}, "urban"),
    ("工地夜间施工噪音扰民，渣土车扬尘大。", {"noise", "dust"}, "urban"),
    ("砂石场加工粉尘漫天，周边农田庄稼上全是灰。", {"dust"}, "mining"),
    ("河道非法采砂，挖掘机日夜作业，河岸被挖塌。", {"ecology"}, "mining"),
    ("村民在山坳里焚烧垃圾和废旧轮胎，黑烟很大。", {"air", "solid_waste"}, "rural"),
    ("企业把危险废物桶堆在露天场地，有液体渗漏。", {"solid_waste"}, "industry"),
    ("再生金属厂废渣流入农田，担心重金属污染土壤。", {"soil", "solid_waste"}, "industry"),
    ("污水处理厂出水发黑，排入河道，怀疑超标排放。", {"water"}, "urban"),
    ("小区附近通信基站电磁辐射让居民担心。", {"radiation"}, "urban"),
    ("KTV夜间噪声扰民到凌晨。", {"noise"}, "urban"),
    # Scenario C/D: coking plants, gangue hills, coal mines.
    ("焦化厂焦炉冒黄烟，周边一股焦油味，晚上更严重。", {"air"}, "industry"),
    ("煤矿矸石山自燃冒烟，煤矸石堆放没有覆盖。", {"air", "solid_waste"}, "mining"),
    ("煤矿矿井水未经处理直接排入河流，河水发黑。", {"water"}, "mining"),
    ("选煤厂煤尘飞扬，运煤车辆撒漏，道路扬尘严重。", {"dust"}, "mining"),
    ("采石场开山炸石，山体破坏，粉尘很大。", {"ecology", "dust"}, "mining"),
    # Marine and other.
    ("近岸海域有人非法围海养殖，海水发臭。", {"marine"}, "other"),
    ("海滩上堆满了养殖垃圾，海水浑浊。", {"marine", "solid_waste"}, "other"),
    ("Restaurant kitchen fumes blow straight into our flats.", {"cooking_fumes"}, "urban"),
    ("A factory discharges untreated wastewater into the river at night.", {"water"}, "industry"),
    ("Illegal dumping of construction waste beside the lake.", {"solid_waste"}, "other"),
    ("Loud noise from the plant all night.", {"noise"}, "industry"),
    ("养鸡场鸡粪随意堆放，臭味熏天，苍蝇成群。", {"air", "solid_waste"}, "livestock"),
    ("屠宰场废水未经处理排入沟渠，血水发臭。", {"water"}, "industry"),
    ("有人盗伐林木后用火烧山，破坏植被。", {"ecology", "air"}, "rural"),
    ("农田上堆放工业污泥，散发恶臭，农田被污染。", {"soil", "solid_waste", "air"}, "rural"),
    ("铅锌矿尾矿水流入稻田，稻田减产。", {"water", "soil", "solid_waste"}, "mining"),
    ("汽修厂露天喷漆，油漆味刺鼻，废机油乱倒。", {"air", "solid_waste"}, "industry"),
    ("咨询一下办事流程。", {"other"}, ""),
]


@dataclass
class Score:
    tp: int
    fp: int
    fn: int
    sector_hits: int
    n: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def sector_accuracy(self) -> float:
        return self.sector_hits / self.n if self.n else 0.0


def evaluate() -> tuple[Score, list[tuple[str, set[str], set[str]]]]:
    """Micro-averaged precision and recall of the suggested types; the misses for inspection."""
    from .classify import suggest

    tp = fp = fn = hits = 0
    misses = []
    for text, expected, sector in LABELLED:
        s = suggest(text)
        got = set(s.pollution_types)
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        hits += int(s.sector == sector)
        if got != expected:
            misses.append((text, expected, got))
    return Score(tp, fp, fn, hits, len(LABELLED)), misses
