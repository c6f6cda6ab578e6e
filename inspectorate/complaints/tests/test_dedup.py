"""The near-duplicate index: invariants (hypothesis), planted duplicates, context, loading a campaign."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspectorate.complaints.dedup import DedupIndex, build_index_for_campaign, normalize, optimal_bands, shingles
from inspectorate.testing.clock import stay_day

CJK = "化工厂夜间偷排废水露天焚烧噪音扰民餐饮油烟扬尘河水发黑臭气熏天村民反映请求查处岳阳平江县镇路号附近工地养猪场"
texts_st = st.text(alphabet=CJK + "，。 ", min_size=6, max_size=60).filter(lambda t: len(normalize(t)) >= 3)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BASE = [
    "{p}化工厂夜间偷排废水，污水直接流进{r}，河水发黑发臭，请求督察组尽快查处。",
    "{p}有人露天焚烧垃圾和废旧轮胎，浓烟很大，晚上都不敢开窗户，恳请有关部门依法处理。",
    "{p}工地晚上十点以后还在施工，机器轰鸣，噪音扰民严重，孩子无法入睡，希望尽快解决。",
    "{p}楼下烧烤店油烟直排，没有安装净化设施，衣服晾在外面全是油味，请环保部门检查。",
]
PLACES = [
    "岳阳市平江县安定镇",
    "常德市鼎城区花岩溪",
    "株洲市醴陵市浦口镇",
    "衡阳市耒阳市大市乡",
    "长沙市浏阳市永安镇",
    "湘潭市韶山市银田镇",
]
RIVERS = ["汨罗江", "新墙河", "沅水", "渌水", "耒水", "捞刀河"]


Row = tuple[int, str, float, float, str]


def planted(seed: int = 7) -> tuple[list[Row], set[frozenset[int]]]:
    """Reports from a few templates at different places (own location and polluter); some are re-reported."""
    rng = random.Random(seed)
    rows: list[Row] = []
    truth: set[frozenset[int]] = set()
    for b, template in enumerate(BASE):
        for k, place in enumerate(PLACES):
            text = template.format(p=place + f"{b * 10 + k + 3}号附近", r=RIVERS[k])
            lat, lon, pol = 26.0 + k * 0.4 + b * 0.05, 111.0 + k * 0.3, f"{place}{b}号企业"
            orig = len(rows)
            rows.append((orig, text, lat, lon, pol))
            if (b + k) % 3 == 0:  # a re-report: a few characters swapped and a phrase added
                chars = list(text)
                for _ in range(2):
                    p = rng.randrange(len(chars) - 1)
                    chars[p], chars[p + 1] = chars[p + 1], chars[p]
                dup = "再次举报！" + "".join(chars)
                rows.append((len(rows), dup, lat + 0.001, lon - 0.001, pol))
                truth.add(frozenset((orig, len(rows) - 1)))
    return rows, truth


def add_rows(index: DedupIndex, rows: list[Row]) -> None:
    index.add_many(
        [r[0] for r in rows],
        [r[1] for r in rows],
        lats=[r[2] for r in rows],
        lons=[r[3] for r in rows],
        polluters=[r[4] for r in rows],
    )


@FAST
@given(st.lists(texts_st, min_size=1, max_size=12))
def test_a_text_is_its_own_best_match(texts: list[str]) -> None:
    index = DedupIndex()
    index.add_many(list(range(len(texts))), texts)
    for i, text in enumerate(texts):
        hits = index.query(text, k=len(texts), min_score=0.0)
        assert hits, text
        best = hits[0][1]
        assert best == pytest.approx(1.0)
        assert dict(hits)[i] == pytest.approx(best)


@FAST
@given(
    st.lists(
        st.tuples(
            texts_st,
            st.one_of(st.none(), st.floats(28.0, 29.0)),
            st.one_of(st.none(), st.floats(112.0, 113.0)),
            st.sampled_from(["", "岳阳某化工有限公司", "平江县某造纸厂"]),
            st.one_of(st.none(), st.integers(0, 60)),
        ),
        min_size=2,
        max_size=8,
    )
)
def test_scores_are_symmetric_and_self_is_one(rows: list[tuple]) -> None:
    index = DedupIndex()
    start = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    for i, (text, lat, lon, pol, day) in enumerate(rows):
        at = None if day is None else start + dt.timedelta(days=day)
        index.add(i, text, lat, lon if lat is not None else None, pol, at)
    for a in range(len(rows)):
        assert index.similarity(a, a) == pytest.approx(1.0)
        for b in range(a + 1, len(rows)):
            assert index.similarity(a, b) == pytest.approx(index.similarity(b, a))
            assert 0.0 <= index.similarity(a, b) <= 1.0


@FAST
@given(st.lists(texts_st, min_size=2, max_size=14, unique=True), st.randoms(use_true_random=False))
def test_adding_is_order_independent(texts: list[str], rnd: random.Random) -> None:
    ids = list(range(len(texts)))
    one = DedupIndex(threshold=0.3)
    one.add_many(ids, texts)
    order = ids[:]
    rnd.shuffle(order)
    two = DedupIndex(threshold=0.3)
    cut = len(order) // 2
    two.add_many(order[:cut], [texts[i] for i in order[:cut]])
    for i in order[cut:]:
        two.add(i, texts[i])

    def canon(pairs: list[tuple[int, int, float]]) -> set[tuple[frozenset[int], float]]:
        return {(frozenset((a, b)), round(s, 9)) for a, b, s in pairs}

    assert canon(one.pairs()) == canon(two.pairs())
    assert sorted(map(sorted, one.clusters())) == sorted(map(sorted, two.clusters()))
    for text in texts[:4]:
        assert {(i, round(s, 9)) for i, s in one.query(text, k=50)} == {(i, round(s, 9)) for i, s in two.query(text, k=50)}


def test_planted_duplicates_are_found_and_nothing_else() -> None:
    rows, truth = planted()
    index = DedupIndex()
    add_rows(index, rows)
    found = {frozenset((a, b)) for a, b, _ in index.pairs()}
    assert found == truth
    assert sorted(map(sorted, index.clusters())) == sorted(sorted(p) for p in truth)
    # the incremental check finds the original of each re-report, and only it
    for pair in truth:
        orig, dup = sorted(pair)
        _, text, lat, lon, pol = rows[dup]
        hits = index.query(text, lat, lon, pol, k=3)
        assert [h[0] for h in hits] == [dup, orig]


def test_incremental_add_after_a_bulk_load_and_refreeze() -> None:
    rows, truth = planted()
    index = DedupIndex()
    add_rows(index, [r for r in rows if r[0] % 2 == 0])
    for i, text, lat, lon, pol in rows:
        if i % 2:
            index.add(i, text, lat, lon, pol)
    assert {frozenset((a, b)) for a, b, _ in index.pairs()} == truth
    assert len(index) == len(rows)
    assert 0 in index


def test_context_raises_near_and_lowers_far_reports() -> None:
    text = "平江县安定镇某化工厂夜间偷排废水，污水直接流进汨罗江，河水发黑发臭。"
    edited = "平江县安定镇某化工厂夜里偷排废水，污水流进汨罗江，河水发黑发臭，请查处。"
    at = dt.datetime(2026, 11, 3, 21, tzinfo=dt.UTC)
    index = DedupIndex()
    index.add("near", text, 28.70, 113.60, "平江县某化工有限公司", at)
    index.add("far", text, 27.00, 111.00, "常德某造纸厂", at - dt.timedelta(days=90))
    index.add("plain", text)
    hits = dict(index.query(edited, 28.701, 113.601, "平江县某化工有限公司", at + dt.timedelta(days=1), k=5, min_score=0.0))
    assert hits["near"] > hits["plain"] > hits["far"]
    assert hits["plain"] == pytest.approx(index.query(edited, k=5, min_score=0.0)[0][1])


def test_estimated_and_exact_rescoring_agree_on_clear_cases() -> None:
    rows, truth = planted()
    est = DedupIndex(exact=False, num_perm=128)
    add_rows(est, rows)
    assert {frozenset((a, b)) for a, b, _ in est.pairs()} == truth


def test_learnt_boilerplate_is_left_out_but_short_texts_keep_it() -> None:
    rows, truth = planted()
    boiler = ["请求督察组尽快查处。"] * 30
    index = DedupIndex()
    assert index.learn_common([r[1] for r in rows] + boiler, max_df=0.2, min_docs=5) > 0
    add_rows(index, rows)
    index.add("boiler", boiler[0])
    assert {frozenset((a, b)) for a, b, _ in index.pairs()} == truth
    assert index.query(boiler[0], k=1)[0][0] == "boiler"
    with pytest.raises(ValueError, match="before the first add"):
        index.learn_common(["x"])


def test_edge_cases() -> None:
    index = DedupIndex()
    index.add("empty", "，。 ")
    index.add("short", "油烟")
    assert index.query("，。") == []
    assert index.query("油烟")[0][0] == "short"
    assert index.similarity("empty", "empty") == 0.0
    with pytest.raises(ValueError, match="already"):
        index.add("short", "again")
    with pytest.raises(ValueError, match="already"):
        index.add_many(["a", "a"], ["x", "y"])
    assert normalize("Ａｂｃ，你好 世界！") == "abc你好世界"
    assert shingles("你好世界") == {"你好世", "好世界"}
    bands, rows = optimal_bands(0.4, 64)
    assert bands * rows <= 64
    assert DedupIndex().pairs() == [] and DedupIndex().clusters() == []


def test_signatures_estimate_jaccard() -> None:
    rows, _ = planted()
    index = DedupIndex(num_perm=256)
    sig, _ = index.signatures([r[1] for r in rows])
    a, b = rows[0][1], rows[1][1]
    exact = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
    assert abs(float(np.mean(sig[0] == sig[1])) - exact) < 0.12


def test_build_index_for_campaign(world) -> None:  # type: ignore[no-untyped-def]
    from inspectorate.complaints.models import Complaint

    rows, _truth = planted()
    made = []
    for _, text, lat, lon, pol in rows[:12]:
        made.append(
            Complaint.objects.create(
                campaign=world.campaign,
                channel="web",
                text=text,
                intake_day=stay_day(1),
                lat=lat,
                lon=lon,
                polluter_name=pol,
            )
        )
    Complaint.objects.create(campaign=world.other_campaign, channel="web", text=rows[0][1], intake_day=stay_day(1))
    Complaint.objects.create(campaign=world.campaign, channel="web", text=rows[0][1], intake_day=stay_day(1), status="invalid")
    index = build_index_for_campaign(world.campaign)
    assert len(index) == 12
    assert set(index.ids) == {c.pk for c in made}
    _, text, lat, lon, pol = rows[0]
    assert index.query(text, lat, lon, pol, k=1)[0][0] == made[0].pk


def test_chunked_load_on_threads_gives_the_same_index_as_one_chunk() -> None:
    rows, truth = planted()
    one = DedupIndex(workers=1)
    add_rows(one, rows)
    chunked = DedupIndex(workers=2)
    chunked.CHUNK = 5  # many chunks, prepared on two threads
    add_rows(chunked, rows)
    assert np.array_equal(one._keys[: len(rows)], chunked._keys[: len(rows)])
    assert np.array_equal(one._hflat[: one._hoff[len(rows)]], chunked._hflat[: chunked._hoff[len(rows)]])
    assert {frozenset((a, b)) for a, b, _ in chunked.pairs()} == truth


def test_a_hot_bucket_is_split_but_a_flood_of_copies_stays_together() -> None:
    rows, truth = planted()
    flood = "岳阳市云溪区松阳湖边的化工厂每天半夜偷排黑水，湖里的鱼都死了，请督察组尽快查处。"
    base = len(rows)
    rows += [(base + k, flood, None, None, "") for k in range(30)]  # 30 copies of one text: one bucket of 30 per band
    index = DedupIndex()
    add_rows(index, rows)
    i, j = index.candidate_pairs(hot_bucket=10)
    pairs = {frozenset((int(a), int(b))) for a, b in zip(i, j, strict=True)}
    copies = {frozenset((base + a, base + b)) for a in range(30) for b in range(a + 1, 30)}
    assert copies <= pairs  # split by the next band's key, the copies still share it
    assert truth <= pairs
    assert len(index.pairs()) == len(truth) + len(copies)
