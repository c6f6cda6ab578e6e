"""A reply whose verdict contradicts its sanctions: refused without an explanation, flagged for the reviewer with one.

An "untrue" (不属实) verdict with orders, penalty cases, fines, criminal cases or detentions contradicts itself.
Interviews and accountability measures do not. The flag shows in the API, on the case page (the review page)
and the explanation travels with the published row.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints import actions
from inspectorate.complaints.models import CaseStatus, HandlingResult, verdict_conflicts
from inspectorate.testing.matrix import assert_matrix

from .conftest import flow_to_dispatch

pytestmark = pytest.mark.django_db

UNTRUE_WITH_DETENTION = {
    "summary": "经现场核查，未发现举报所述问题，举报不属实。",
    "verdict": "untrue",
    "status": "closed",
    "criminal_cases": 1,
    "detained_administrative": 1,
}
WHY = "举报所述偷排不属实；核查中发现该企业另有非法转移危险废物行为，已移送公安机关立案侦查，1人被行政拘留。"


def _client(user, lang="en"):
    c = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_authenticate(user)
    return c


@pytest.mark.parametrize(
    ("verdict", "counts", "penalties", "expected"),
    [
        ("untrue", {"criminal_cases": 1, "detained_administrative": 1}, 0, ["criminal_cases", "detained_administrative"]),
        ("untrue", {"ordered_to_rectify": 2}, 0, ["ordered_to_rectify"]),
        ("untrue", {"cases_filed": 1}, 1, ["cases_filed", "penalties"]),
        ("untrue", {"detained_criminal": 1}, 0, ["detained_criminal"]),
        ("untrue", {"interviewed": 2, "held_accountable": 1}, 0, []),
        ("untrue", {}, 0, []),
        ("true", {"criminal_cases": 1, "detained_administrative": 3, "ordered_to_rectify": 1}, 2, []),
        ("partly_true", {"ordered_to_rectify": 1}, 0, []),
    ],
)
def test_which_sanctions_contradict_which_verdicts(verdict, counts, penalties, expected):
    assert verdict_conflicts(verdict, counts, penalties=penalties) == expected


def test_api_refuses_an_untrue_verdict_with_a_detention_without_explanation(world):
    _c, case, _b = flow_to_dispatch(world)
    url = f"/api/v1/cases/{case.pk}/reply/"
    r = _client(world.handler_a).post(url, UNTRUE_WITH_DETENTION, format="json")
    assert r.status_code == 400
    assert "explanation" in r.json() and "untrue" in r.json()["explanation"][0]
    assert "criminal cases opened" in r.json()["explanation"][0]
    r = _client(world.handler_a, "zh-hans").post(url, UNTRUE_WITH_DETENTION, format="json")
    assert r.status_code == 400 and "不属实" in r.json()["explanation"][0]
    # Nothing half-saved: no reply, the case still waits for one.
    case.refresh_from_db()
    assert not HandlingResult.objects.filter(case=case).exists() and case.status == CaseStatus.DISPATCHED
    # Penalties on an untrue verdict are refused in the same way.
    body = {**UNTRUE_WITH_DETENTION, "criminal_cases": 0, "detained_administrative": 0}
    body["penalties"] = [{"enterprise_name": "某公司", "amount": "10000"}]
    r = _client(world.handler_a).post(url, body, format="json")
    assert r.status_code == 400 and "fines" in r.json()["explanation"][0]


def test_explained_conflict_is_flagged_for_the_reviewer_in_api_page_and_audit(world):
    w = world
    _c, case, _b = flow_to_dispatch(world)
    r = _client(w.handler_a).post(f"/api/v1/cases/{case.pk}/reply/", {**UNTRUE_WITH_DETENTION, "explanation": WHY}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["verdict_conflict"] is True and r.json()["explanation"] == WHY
    # The reviewer sees the flag in the API …
    results = assert_matrix(f"/api/v1/cases/{case.pk}/results/", allowed=[w.inspector], out_of_scope=[w.liaison_b])
    assert results[0].json()[0]["verdict_conflict"] is True and results[0].json()[0]["explanation"] == WHY
    # … and on the case page, beside the review form.
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(w.inspector)
    body = page.get(f"/complaints/cases/{case.pk}/").content.decode()
    assert "verdict contradicts sanctions" in body and WHY in body
    assert "Check the explanation before accepting it." in body
    case.refresh_from_db()
    actions.review_case(case, actor=w.inspector, accept=True)
    ev = AuditEvent.objects.filter(verb="case.accept").latest("seq")
    assert ev.after["verdict_conflict"] is True
    # The published row carries the explanation next to the verdict.
    table = actions.publish_batch(case.batch, actor=w.team_leader)
    row = next(x for x in table.rows if x["number"] == case.number)
    assert row["verdict"] == "untrue" and row["verdict_note"] == WHY


def test_consistent_replies_carry_no_flag(world):
    _c, case, _b = flow_to_dispatch(world)
    r = _client(world.handler_a).post(
        f"/api/v1/cases/{case.pk}/reply/",
        {"summary": "查实", "verdict": "true", "status": "closed", "criminal_cases": 1, "detained_criminal": 2},
        format="json",
    )
    assert r.status_code == 201 and r.json()["verdict_conflict"] is False
    case.refresh_from_db()
    actions.review_case(case, actor=world.inspector, accept=False, reason="补充材料")
    result = actions.reply_case(
        case, actor=world.handler_a, summary="未发现问题", verdict="untrue", status="closed", interviewed=1
    )
    assert result.verdict_conflict is False and result.conflicts() == []


def test_reply_form_shows_the_explanation_error_and_saves_nothing(world):
    _c, case, _b = flow_to_dispatch(world)
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(world.handler_a)
    data = {
        "summary": "未发现举报问题",
        "verdict": "untrue",
        "status": "closed",
        "ordered_to_rectify": 1,
        "cases_filed": 0,
        "criminal_cases": 0,
        "detained_administrative": 0,
        "detained_criminal": 0,
        "interviewed": 0,
        "held_accountable": 0,
    }
    r = page.post(f"/complaints/cases/{case.pk}/reply/", data, follow=True)
    assert "without an explanation" in r.content.decode()
    assert not HandlingResult.objects.filter(case=case).exists()
    r = page.post(f"/complaints/cases/{case.pk}/reply/", {**data, "explanation": "另查实企业未批先建，已责令整改"})
    assert r.status_code == 302
    assert HandlingResult.objects.get(case=case).verdict_conflict is True
