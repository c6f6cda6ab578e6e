"""KPI schemes and scores through the API and the pages: bad weights, computation with deduction caps and a veto,
adjustments and review (audited), scope (a plant sees its own score only), the permission matrix."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent as Event
from inspectorate.facilities.tests.conftest import day
from inspectorate.kpi import actions
from inspectorate.kpi.models import Adjustment, Indicator, Scheme, Score, ScoreStatus
from inspectorate.testing.matrix import assert_matrix

from .conftest import INDICATORS, make_scheme


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _body(ent, **over):  # type: ignore[no-untyped-def]
    body = {
        "owner_unit": str(ent.group.pk), "title": "年度考核", "period_start": day(-30).isoformat(),
        "period_end": day(-1).isoformat(), "units": [str(ent.plant_a.pk), str(ent.plant_b.pk)], "indicators": INDICATORS,
    }  # fmt: skip
    body.update(over)
    return body


@pytest.mark.django_db
def test_weights_must_add_up_to_100_nothing_half_saved(ent):
    bad = [dict(INDICATORS[0], weight=50), INDICATORS[1], INDICATORS[2]]
    c = _client(ent.group_liaison)
    r = c.post("/api/v1/kpi-schemes/", _body(ent, indicators=bad), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "add up to 90" in str(r.json()) and "must add up to 100" in str(r.json())
    r = c.post(
        "/api/v1/kpi-schemes/", _body(ent, indicators=bad), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "权重合计为 90" in str(r.json()) and "100" in str(r.json())
    # A deduction computed from a rate, and a weight on a veto item: row-level errors.
    wrong = [dict(INDICATORS[0], weight=60), INDICATORS[1], dict(INDICATORS[2], metric="logs_on_time"),
             dict(INDICATORS[3], weight=5)]  # fmt: skip
    r = c.post("/api/v1/kpi-schemes/", _body(ent, indicators=wrong), content_type="application/json")
    assert r.status_code == 400 and "indicators[3]" in r.json() and "indicators[4]" in r.json()
    # A unit outside the owner's subtree, or the owner itself.
    r = c.post("/api/v1/kpi-schemes/", _body(ent, units=[str(ent.group.pk)]), content_type="application/json")
    assert r.status_code == 400 and "units" in r.json()
    assert Scheme.objects.count() == Indicator.objects.count() == 0
    # The page refuses the same scheme with the same message, and saves nothing.
    rows = {"ind-TOTAL_FORMS": "8", "ind-INITIAL_FORMS": "0"}
    for i, ind in enumerate(bad):
        rows.update({f"ind-{i}-{k}": v for k, v in ind.items()})
    page = _client(ent.group_liaison).post("/kpi/new/", {
        "title": "年度考核", "owner_unit": ent.group.pk, "period_start": day(-30), "period_end": day(-1),
        "units": [ent.plant_a.pk, ent.plant_b.pk], **rows,
    })  # fmt: skip
    assert page.status_code == 400 and "权重合计为 90" in page.content.decode()
    assert Scheme.objects.count() == 0


@pytest.mark.django_db
def test_create_scheme_matrix(ent):
    body = _body(ent)
    (r,) = assert_matrix(
        "/api/v1/kpi-schemes/", method="post", data=body,  # the outsider has no role anywhere: 403 before the body
        forbidden=[ent.group_auditor, ent.outsider], allowed=[ent.group_liaison],
    )  # fmt: skip
    assert r.status_code == 201 and [i["weight"] for i in r.json()["indicators"]] == ["60.00", "40.00", None, None]
    assert Event.objects.filter(verb="kpi_scheme.create").count() == 1


@pytest.mark.django_db
def test_scores_deduction_cap_veto_and_ranking(scored):
    ent, scheme = scored
    a = Score.objects.get(scheme=scheme, unit=ent.plant_a)
    b = Score.objects.get(scheme=scheme, unit=ent.plant_b)
    # plant_a: 9 of 10 days logged on time → 54.00; 8 of 9 logged days running → 35.56; one warning × 3 capped at 2.
    assert [x["points"] for x in a.lines] == ["54.00", "35.56", "-2.00", "0.00"]
    assert (a.computed, a.vetoed, a.final, a.rank) == (Decimal("87.56"), False, Decimal("87.56"), 1)
    # plant_b: 60.00 + 9/10 × 40 = 96.00, but the rejected stop vetoes it: 0, ranked last.
    assert [x["points"] for x in b.lines] == ["60.00", "36.00", "0.00", "0.00"]
    assert (b.computed, b.vetoed, b.final, b.rank) == (Decimal("96.00"), True, Decimal("0.00"), 2)
    assert b.lines[3]["events"][0]["day"] == day(-2).isoformat()


@pytest.mark.django_db
def test_compute_matrix_and_scope(scored):
    ent, scheme = scored
    assert_matrix(
        f"/api/v1/kpi-schemes/{scheme.pk}/compute/", method="post", out_of_scope=[ent.outsider],
        forbidden=[ent.officer_a, ent.group_auditor], allowed=[ent.group_liaison],
    )  # fmt: skip
    a = Score.objects.get(scheme=scheme, unit=ent.plant_a)
    assert_matrix(
        f"/api/v1/kpi-scores/{a.pk}/", out_of_scope=[ent.officer_b, ent.outsider],
        allowed=[ent.officer_a, ent.group_liaison, ent.group_auditor],
    )  # fmt: skip
    seen = _client(ent.officer_a).get("/api/v1/kpi-scores/", {"scheme": str(scheme.pk)}).json()["results"]
    assert [s["unit"] for s in seen] == [str(ent.plant_a.pk)]
    ranking = _client(ent.group_liaison).get(f"/api/v1/kpi-schemes/{scheme.pk}/ranking/").json()
    assert [(s["unit"], s["rank"]) for s in ranking] == [(str(ent.plant_a.pk), 1), (str(ent.plant_b.pk), 2)]


@pytest.mark.django_db
def test_adjust_and_review_audited(scored):
    ent, scheme = scored
    a = Score.objects.get(scheme=scheme, unit=ent.plant_a)
    b = Score.objects.get(scheme=scheme, unit=ent.plant_b)
    body = {"points": "-1.5", "reason": "台账抽查：9日记录补填", "indicator": str(scheme.indicators.get(position=1).pk)}
    # The plant cannot adjust its own score; the sibling does not even see it.
    (r,) = assert_matrix(
        f"/api/v1/kpi-scores/{a.pk}/adjust/", method="post", data=body, out_of_scope=[ent.officer_b, ent.outsider],
        forbidden=[ent.officer_a, ent.group_auditor], allowed=[ent.group_liaison],
    )  # fmt: skip
    assert r.status_code == 201 and r.json()["points"] == "-1.50"
    a.refresh_from_db()
    assert (a.adjustment, a.final) == (Decimal("-1.50"), Decimal("86.06"))
    ev = Event.objects.filter(verb="kpi_score.adjust").get()
    assert ev.reason == "台账抽查：9日记录补填"
    c = _client(ent.group_liaison)
    r = c.post(f"/api/v1/kpi-scores/{a.pk}/adjust/", {"points": "2", "reason": " "}, content_type="application/json")
    assert r.status_code == 400 and "reason" in r.json()
    r = c.post(f"/api/v1/kpi-scores/{b.pk}/adjust/", {"points": "2", "reason": "x"}, content_type="application/json")
    assert r.status_code == 400  # a vetoed score stays 0
    assert Adjustment.objects.count() == 1
    # Review freezes the score: no more adjustments, a recompute keeps it.
    assert_matrix(
        f"/api/v1/kpi-scores/{a.pk}/review/", method="post", data={"note": "复核无误"},
        out_of_scope=[ent.officer_b], forbidden=[ent.officer_a], allowed=[ent.group_liaison],
    )  # fmt: skip
    a.refresh_from_db()
    assert a.status == ScoreStatus.REVIEWED
    r = c.post(f"/api/v1/kpi-scores/{a.pk}/adjust/", body, content_type="application/json")
    assert r.status_code == 400
    assert actions.compute_scores(scheme, actor=ent.group_liaison) == {"computed": 1, "kept_reviewed": 1}
    assert Event.objects.filter(verb="kpi_score.review").count() == 1


@pytest.mark.django_db
def test_nothing_due_gives_full_marks_and_deductions_need_events(ent):
    scheme = make_scheme(ent, period_start=day(-3), period_end=day(-2), units=[ent.sub])
    ent.facility_a.active = False
    ent.facility_a.save()
    ent.facility_b.active = False
    ent.facility_b.save()
    actions.compute_scores(scheme, actor=ent.group_liaison)
    s = Score.objects.get(scheme=scheme)
    assert [(x["points"], x.get("due")) for x in s.lines] == [("60.00", 0), ("40.00", 0), ("0.00", None), ("0.00", None)]
    assert s.final == Decimal("100.00")


@pytest.mark.django_db
def test_pages(scored, django_assert_max_num_queries):
    ent, scheme = scored
    a = Score.objects.get(scheme=scheme, unit=ent.plant_a)
    assert_matrix("/kpi/", api=False, allowed=[ent.officer_a, ent.group_liaison, ent.outsider])
    assert_matrix(f"/kpi/{scheme.pk}/", api=False, out_of_scope=[ent.outsider], allowed=[ent.officer_b, ent.group_liaison])
    (page,) = assert_matrix(f"/kpi/scores/{a.pk}/", api=False, out_of_scope=[ent.officer_b], allowed=[ent.officer_a])
    html = page.content.decode()
    assert "87.56" in html and day(-5).isoformat() in html and 'name="points"' not in html
    assert_matrix("/kpi/new/", api=False, forbidden=[ent.officer_a], allowed=[ent.group_liaison])
    assert_matrix(
        f"/kpi/scores/{a.pk}/adjust/", method="post", api=False, data={"points": "1", "reason": "复核加分"},
        out_of_scope=[ent.officer_b], forbidden=[ent.officer_a], allowed=[ent.group_liaison], ok=302,
    )  # fmt: skip
    assert Adjustment.objects.get().points == Decimal("1.00")
    html = _client(ent.officer_b).get(f"/kpi/{scheme.pk}/").content.decode().split('id="ranking"')[1]
    assert ent.plant_b.name_zh in html and ent.plant_a.name_zh not in html  # only its own row of the ranking
    # The page form saves a whole scheme.
    rows = {"ind-TOTAL_FORMS": "8", "ind-INITIAL_FORMS": "0"}
    for i, ind in enumerate(INDICATORS):
        rows.update({f"ind-{i}-{k}": v for k, v in ind.items()})
    r = _client(ent.group_liaison).post("/kpi/new/", {
        "title": "下季度考核", "owner_unit": ent.group.pk, "period_start": day(-5), "period_end": day(-1),
        "units": [ent.plant_a.pk], **rows,
    })  # fmt: skip
    assert r.status_code == 302 and Scheme.objects.get(title="下季度考核").indicators.count() == 4
    c = _client(ent.group_liaison)
    with django_assert_max_num_queries(15):
        assert c.get("/api/v1/kpi-scores/").status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get(f"/kpi/{scheme.pk}/").status_code == 200
