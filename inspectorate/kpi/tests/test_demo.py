"""The demo's Shanxi Coking Coal 2021 H2 assessment: scores worked out by hand from the demo's records.

Period 2021-07-01 .. 2021-12-31. Indicators: 1 milestones met (30), 2 hidden dangers closed by deadline (30),
3 daily logs on time (20), 4 facilities running (20), 5 missing-log warnings −1 each (≤5), 6 major dangers
found −5 each (≤10), 7 veto: a stop explanation rejected on review.

Xishan (SXJM-XS, with Tunlan mine)
  1. battle-map milestones due in H2 (15th of Aug..Dec 2021): task 1 Aug+Nov, task 2 Sep, task 3 Oct (its first,
     done), task 14 Dec (its first, done) = 5, all done on the day → 5/5 → 30.00
  2. dangers with a deadline in H2: Tunlan's major (31 Aug, still pending verification), Tunlan's general
     (10 Jul, closed only when verified at load time), Xishan's ledger danger (31 Dec, open) → 0/3 → 0.00
  3. one facility, 31 December days, all logged, no warning → 31/31 → 20.00
  4. 31 logged days, all running → 20.00
  5. no warning → 0.00;  6. Tunlan's major danger was found 12 Jun, before the period → 0.00;  7. no event
  computed 70.00, adjusted +5 by the group office (line 2) → 75.00
Fenxi (SXJM-FX)
  1. task 4 Aug+Oct+Dec, task 5 Sep+Dec, task 15 Oct (task 6 is long-term, first milestone Jan 2022) = 6/6 → 30.00
  2. no danger due → full marks 30.00
  3. 31 days due; 10 Dec never logged, 20 Dec logged after the warning → 29/31 × 20 = 18.709… → 18.71
  4. 30 logged days, 5 Dec a fault → 29/30 × 20 = 19.333… → 19.33
  5. two warnings (10 and 20 Dec) → −2.00;  6. none;  7. none
  computed 30 + 30 + 18.71 + 19.33 − 2 = 96.04
Huozhou (SXJM-HZ, with Xinzhi mine)
  1. task 7 Nov (its first, done), task 8 Sep+Nov, task 9 Aug (done) + Sep (missed), task 16 Sep+Dec → 6/7 × 30
     = 25.714… → 25.71
  2. Xinzhi's danger (15 Jul, still rectifying) → 0/1 → 0.00
  3. 31/31 → 20.00;  4. 15 Dec stopped → 30/31 × 20 = 19.354… → 19.35;  5., 6. none
  7. the 15 Dec stop was rejected on review → veto
  computed 25.71 + 0 + 20 + 19.35 = 65.06, vetoed → final 0
Ranking: Fenxi 1, Xishan 2, Huozhou 3.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from inspectorate.accounts.models import User
from inspectorate.demo import foundation
from inspectorate.demo import hazards as demo_hazards
from inspectorate.demo import kpi as demo_kpi
from inspectorate.demo import rectification as demo_rect
from inspectorate.demo.registry import DemoContext
from inspectorate.kpi.models import Adjustment, Score


def _load() -> None:
    ctx = DemoContext()
    foundation.load(ctx)
    demo_rect._sxjm(ctx)
    demo_hazards.load(ctx)
    demo_kpi.load(ctx)


def _api(username: str, url: str) -> object:
    c = Client()
    c.force_login(User.objects.get(username=username))
    r = c.get(url)
    assert r.status_code == 200, r.content
    return r.json()


@pytest.mark.django_db
def test_demo_scores_match_the_hand_computation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _load()
    _load()  # idempotent
    assert Score.objects.count() == 3 and Adjustment.objects.count() == 1
    by = {s.unit.code: s for s in Score.objects.select_related("unit")}
    expected = {
        "SXJM-XS": (["30.00", "0.00", "20.00", "20.00", "0.00", "0.00", "0.00"], "70.00", False, "5.00", "75.00", 2),
        "SXJM-FX": (["30.00", "30.00", "18.71", "19.33", "-2.00", "0.00", "0.00"], "96.04", False, "0.00", "96.04", 1),
        "SXJM-HZ": (["25.71", "0.00", "20.00", "19.35", "0.00", "0.00", "0.00"], "65.06", True, "0.00", "0.00", 3),
    }
    for code, (lines, computed, vetoed, adj, final, rank) in expected.items():
        s = by[code]
        assert [x["points"] for x in s.lines] == lines, code
        assert (s.computed, s.vetoed, s.adjustment, s.final, s.rank) == (
            Decimal(computed),
            vetoed,
            Decimal(adj),
            Decimal(final),
            rank,
        ), code
    # The explanation names the events behind each line.
    fx = {x["position"]: x for x in by["SXJM-FX"].lines}
    assert (fx[3]["done"], fx[3]["due"]) == (29, 31)
    assert [(e["day"], e["code"]) for e in fx[3]["events"]] == [("2021-12-10", "no_log"), ("2021-12-20", "late_log")]
    assert [(e["day"], e["code"], e["text"]) for e in fx[4]["events"]] == [
        ("2021-12-05", "fault", "喷淋泵电机烧毁，更换备用泵，储煤场暂停装卸作业")
    ]  # fmt: skip
    assert [e["day"] for e in fx[5]["events"]] == ["2021-12-10", "2021-12-20"]
    hz = {x["position"]: x for x in by["SXJM-HZ"].lines}
    assert (hz[1]["done"], hz[1]["due"]) == (6, 7) and hz[7]["vetoed"] and hz[7]["events"][0]["day"] == "2021-12-15"
    xs = {x["position"]: x for x in by["SXJM-XS"].lines}
    assert (xs[2]["done"], xs[2]["due"]) == (0, 3)


@pytest.mark.django_db
def test_demo_ranking_is_scoped(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _load()
    scheme = Score.objects.first().scheme  # type: ignore[union-attr]
    ranking = _api("sxjm_liaison", f"/api/v1/kpi-schemes/{scheme.pk}/ranking/")
    assert [(r["unit_name"], r["final"], r["rank"]) for r in ranking] == [  # type: ignore[union-attr]
        ("汾西矿业（集团）有限责任公司", "96.04", 1),
        ("西山煤电（集团）有限责任公司", "75.00", 2),
        ("霍州煤电集团有限责任公司", "0.00", 3),
    ]
    # A subsidiary sees its own row (and its rank out of three), never a sibling's score or adjustments.
    own = _api("sxjm_officer", f"/api/v1/kpi-schemes/{scheme.pk}/ranking/")
    assert [(r["unit_name"], r["rank"], r["assessed"], len(r["adjustments"])) for r in own] == [  # type: ignore[union-attr]
        ("西山煤电（集团）有限责任公司", 2, 3, 1)
    ]
    fenxi = _api("fenxi_officer", "/api/v1/kpi-scores/")
    assert [r["unit_name"] for r in fenxi["results"]] == ["汾西矿业（集团）有限责任公司"]  # type: ignore[index]
    assert _api("tunlan_officer", "/api/v1/kpi-scores/")["results"] == []  # type: ignore[index]
    assert Client().get("/api/v1/kpi-scores/").status_code == 401
