"""One input contract (issue 13 point 4): every complaints and case endpoint reads its input through a serializer.

Bad input (wrong types, missing fields, strings for booleans, huge numbers, unknown choices) answers 400 with the
field named, in the user's language, never 500, and changes nothing; valid strings for booleans mean what they say.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints import actions
from inspectorate.complaints.models import Case, Complaint, HandlingResult, TransferBatch

from .conftest import flow_to_dispatch, submit

pytestmark = pytest.mark.django_db

HUGE = 10**40


def _client(user: Any, lang: str = "en") -> APIClient:
    c = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_authenticate(user)
    return c


def _state() -> tuple[Any, ...]:
    return (
        sorted(Complaint.objects.values_list("pk", "status", "jurisdiction_id", "case_id", "pollution_types")),
        sorted(Case.objects.values_list("pk", "status", "is_key", "is_joint", "handler_unit_id", "lead_unit_id")),
        HandlingResult.objects.count(),
        TransferBatch.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    _c, case, batch = flow_to_dispatch(world)
    fresh = submit(world, text="汨罗市某砖厂粉尘很大，晚上也在生产")
    return world, fresh, case, batch


def _cases(world: Any, fresh: Complaint, case: Case, batch: TransferBatch) -> list[tuple[Any, ...]]:
    """(user, method, url, body or query, format, field expected in the 400)."""
    code = world.campaign.code
    c = f"/api/v1/complaints/{fresh.pk}/"
    k = f"/api/v1/cases/{case.pk}/"
    valid = {"campaign": code, "channel": "phone", "text": "某厂夜间偷排废水很臭", "address": "平江县"}
    reply = {"summary": "经查属实", "verdict": "true", "status": "closed"}
    fine = {"enterprise_name": "某厂"}
    insp, tl, handler, liaison = world.inspector, world.team_leader, world.handler_a, world.liaison_a
    return [
        # intake
        (insp, "post", "/api/v1/complaints/", {**valid, "channel": "carrier-pigeon"}, "json", "channel"),
        (insp, "post", "/api/v1/complaints/", {**valid, "text": ["a", "list"]}, "json", "text"),
        (insp, "post", "/api/v1/complaints/", {k_: v for k_, v in valid.items() if k_ != "campaign"}, "json", "campaign"),
        (insp, "post", "/api/v1/complaints/", {**valid, "lat": "north", "lon": 113}, "json", "lat"),
        (insp, "post", "/api/v1/complaints/", {**valid, "lat": HUGE, "lon": HUGE}, "json", "lat"),
        (insp, "post", "/api/v1/complaints/", {**valid, "type_hints": "water"}, "json", "type_hints"),
        (insp, "post", "/api/v1/complaints/", {**valid, "received_at": "yesterday"}, "json", "received_at"),
        (insp, "post", "/api/v1/complaints/", {**valid, "channel_details": ["x"]}, "json", "channel_details"),
        (insp, "post", "/api/v1/complaints/similar/", {"campaign": code, "text": "废水", "lat": "north"}, "json", "lat"),
        (insp, "post", "/api/v1/complaints/similar/", {"campaign": code, "lat": HUGE, "lon": 1}, "json", "lat"),
        (insp, "post", "/api/v1/complaints/similar/", {"text": "废水"}, "json", "campaign"),
        # screening
        (insp, "post", c + "classify/", {"pollution_types": "water"}, "json", "pollution_types"),
        (insp, "post", c + "classify/", {"pollution_types": ["unicorn-dust"]}, "json", "pollution_types"),
        (insp, "post", c + "classify/", {"pollution_types": ["water"], "sector": "moon-mining"}, "json", "sector"),
        (insp, "post", c + "route/", {}, "json", "unit"),
        (insp, "post", c + "route/", {"unit": "not-a-unit"}, "json", "unit"),
        (insp, "post", c + "route/", {"unit": HUGE}, "json", "unit"),
        (insp, "post", c + "route/", {"unit": True}, "json", "unit"),
        (insp, "post", c + "accept/", {"is_key": "maybe"}, "json", "is_key"),
        (insp, "post", c + "accept/", {"co_units": "abc"}, "json", "co_units"),
        (insp, "post", c + "accept/", {"co_units": ["abc"]}, "json", "co_units"),
        (insp, "post", c + "accept/", {"lead_unit": {"id": 1}}, "json", "lead_unit"),
        (insp, "post", c + "accept/", {"pollution_types": ["unicorn-dust"]}, "json", "pollution_types"),
        (insp, "post", c + "accept/", {"summary": {"a": 1}}, "json", "summary"),
        (insp, "post", c + "invalid/", {"reason": ["a"]}, "json", "reason"),
        (insp, "post", c + "invalid/", {"reason": "x" * 5000}, "json", "reason"),
        (insp, "post", c + "merge/", {}, "json", "into"),
        (insp, "post", c + "merge/", {"into": "no-such-case"}, "json", "into"),
        (insp, "post", c + "merge/", {"into": HUGE}, "json", "into"),
        (insp, "post", c + "reveal-reporter/", {"reason": {"why": "curious"}}, "json", "reason"),
        (insp, "post", c + "unmerge/", {}, "json", "reason"),
        (insp, "post", "/api/v1/complaints/import/", {"campaign": code}, "multipart", "file"),
        (insp, "post", "/api/v1/complaints/import/?background=perhaps", {"campaign": code}, "multipart", "background"),
        (insp, "get", c + "attachments/00000000-0000-0000-0000-000000000000/", {"download": "perhaps"}, None, "download"),
        # cases
        (liaison, "post", k + "dispatch/", {"unit": "x"}, "json", "unit"),
        (liaison, "post", k + "dispatch/", {"unit": str(world.county_a.pk), "note": ["x"]}, "json", "note"),
        (handler, "post", k + "reply/", {**reply, "cases_filed": "many"}, "json", "cases_filed"),
        (handler, "post", k + "reply/", {**reply, "cases_filed": HUGE}, "json", "cases_filed"),
        (handler, "post", k + "reply/", {**reply, "interviewed": -1}, "json", "interviewed"),
        (handler, "post", k + "reply/", {**reply, "penalties": "not json"}, "multipart", "penalties"),
        (handler, "post", k + "reply/", {**reply, "penalties": ["a string"]}, "json", "penalties"),
        (handler, "post", k + "reply/", {**reply, "penalties": [{**fine, "amount": HUGE}]}, "json", "penalties"),
        (handler, "post", k + "reply/", {**reply, "penalties": [{**fine, "amount": "NaN"}]}, "json", "penalties"),
        (handler, "post", k + "reply/", {**reply, "penalties": {"enterprise_name": "某厂"}}, "json", "penalties"),
        (handler, "post", k + "reply/", {**reply, "next_step_date": "soon"}, "json", "next_step_date"),
        (handler, "post", k + "reply/", {**reply, "verdict": "maybe"}, "json", "verdict"),
        (handler, "post", k + "reply/", {**reply, "summary": None}, "json", "summary"),
        (tl, "post", k + "review/", {"decision": "perhaps"}, "json", "decision"),
        (tl, "post", k + "review/", {}, "json", "decision"),
        (tl, "post", k + "split/", {"units": "abc"}, "json", "units"),
        (tl, "post", k + "joint/", {"co_units": []}, "json", "lead_unit"),
        (tl, "post", k + "key/", {"is_key": "perhaps"}, "json", "is_key"),
        (tl, "post", k + "key/", {"is_key": [True]}, "json", "is_key"),
        # batches, bulletin, merge queue
        (insp, "post", "/api/v1/batches/close-day/", {"campaign": code, "day": "tomorrow"}, "json", "day"),
        (insp, "post", "/api/v1/batches/close-day/", {"campaign": code, "day": 20261103}, "json", "day"),
        (insp, "post", "/api/v1/batches/close-day/", {"day": "2026-11-03"}, "json", "campaign"),
        (liaison, "get", f"/api/v1/batches/{batch.pk}/notice/", {"unit": world.city_a.code, "kind": "pdf"}, None, "kind"),
        (liaison, "get", f"/api/v1/batches/{batch.pk}/notice/", {}, None, "unit"),
        (insp, "get", "/api/v1/reports/bulletin/", {"campaign": code, "batch": "abc"}, None, "batch"),
        (insp, "get", "/api/v1/reports/bulletin/", {"campaign": code, "batch": str(HUGE)}, None, "batch"),
        (insp, "get", "/api/v1/reports/bulletin/", {"campaign": code, "as_of": "2026-13-45"}, None, "as_of"),
        (insp, "get", "/api/v1/reports/bulletin/", {}, None, "campaign"),
        (insp, "get", "/api/v1/complaints/duplicate-clusters/", {"campaign": code, "day": "x"}, None, "day"),
        (
            insp,
            "get",
            "/api/v1/complaints/duplicate-clusters/",
            {"campaign": code, "day": "2026-11-03", "open": "maybe"},
            None,
            "open",
        ),
        (insp, "post", "/api/v1/complaints/duplicate-clusters/merge/", {"primary": "x", "duplicates": []}, "json", "primary"),
        # list filters (the shared filtersets)
        (insp, "get", "/api/v1/complaints/", {"status": "lost"}, None, "status"),
        (insp, "get", "/api/v1/cases/", {"batch_number": "abc"}, None, "batch_number"),
        (insp, "get", "/api/v1/batches/", {"sort": "password"}, None, "sort"),
    ]


def test_bad_input_answers_400_with_the_field_and_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    world, fresh, case, batch = setup
    problems = []
    for user, method, url, body, fmt, field in _cases(world, fresh, case, batch):
        before = _state()
        client = _client(user)
        if method == "get":
            r = client.get(url, body)
        else:
            r = client.post(url, body, format=fmt)
        label = f"{method.upper()} {url} {json.dumps(body, default=str)[:80]}"
        if r.status_code != 400:
            problems.append(f"{label} → {r.status_code} {r.content[:200]!r}")
            continue
        answer = r.json()
        if not isinstance(answer, dict) or field not in answer:
            problems.append(f"{label} → 400 without {field!r}: {answer}")
        if _state() != before:
            problems.append(f"{label} changed something")
    assert not problems, "\n".join(problems)


def test_errors_are_in_the_users_language(setup) -> None:  # type: ignore[no-untyped-def]
    world, fresh, case, _batch = setup
    cjk = re.compile(r"[\u4e00-\u9fff]")
    zh, en = _client(world.team_leader, "zh-hans"), _client(world.team_leader, "en")
    for body in ({"is_key": "perhaps"},):
        r_zh, r_en = (c.post(f"/api/v1/cases/{case.pk}/key/", body, format="json") for c in (zh, en))
        assert r_zh.status_code == r_en.status_code == 400
        assert cjk.search(r_zh.json()["is_key"][0]) and not cjk.search(r_en.json()["is_key"][0])
    r = zh.post(f"/api/v1/cases/{case.pk}/review/", {"decision": "perhaps"}, format="json")
    assert cjk.search(r.json()["decision"][0])
    r = _client(world.inspector, "zh-hans").post(f"/api/v1/complaints/{fresh.pk}/route/", {"unit": "x"}, format="json")
    assert cjk.search(r.json()["unit"][0])


def test_strings_for_booleans_mean_what_they_say(setup) -> None:  # type: ignore[no-untyped-def]
    """`bool("false")` is True: the hand-written parsing made "false" a key case. The serializers read it right."""
    world, fresh, case, _batch = setup
    tl = _client(world.team_leader)
    r = tl.post(f"/api/v1/cases/{case.pk}/key/", {"is_key": "true"}, format="json")
    assert r.status_code == 200 and r.json()["is_key"] is True
    r = tl.post(f"/api/v1/cases/{case.pk}/key/", {"is_key": "false"}, format="json")
    assert r.status_code == 200 and r.json()["is_key"] is False
    r = tl.post(f"/api/v1/cases/{case.pk}/key/", {"is_key": "0"}, format="multipart")
    assert r.status_code == 200 and r.json()["is_key"] is False
    r = tl.post(f"/api/v1/cases/{case.pk}/key/", {}, format="json")  # no value: mark it key, as before
    assert r.status_code == 200 and r.json()["is_key"] is True
    r = _client(world.inspector).post(f"/api/v1/complaints/{fresh.pk}/accept/", {"is_key": "false"}, format="json")
    assert r.status_code == 201 and r.json()["is_key"] is False


def test_valid_input_keeps_working_in_every_form(setup) -> None:  # type: ignore[no-untyped-def]
    """The forms the hand-written parsing accepted still work: a case number for `into`, blank optional numbers
    and dates, penalties as a JSON string in a multipart reply, evidence files."""
    world, fresh, case, _batch = setup
    insp = _client(world.inspector)
    r = insp.post("/api/v1/complaints/similar/", {"campaign": world.campaign.code, "text": "偷排废水", "lat": ""}, format="json")
    assert r.status_code == 200
    target = actions.accept_complaint(submit(world, text="平江县某化工厂夜间偷排废水，又黑又臭"), actor=world.inspector)
    r = insp.post(f"/api/v1/complaints/{fresh.pk}/merge/", {"into": target.number, "reason": "同一处"}, format="json")
    assert r.status_code == 200 and r.json()["case"] == str(target.pk)
    body = {
        "summary": "经查属实，已责令整改",
        "verdict": "true",
        "status": "closed",
        "ordered_to_rectify": "1",
        "cases_filed": "",
        "next_step_date": "",
        "penalties": json.dumps([{"enterprise_name": "某化工厂", "amount": "50000.5", "decision_no": "平环罚〔2026〕1号"}]),
        "evidence": SimpleUploadedFile("notice.pdf", b"%PDF-1.4 evidence", content_type="application/pdf"),
    }
    r = _client(world.handler_a).post(f"/api/v1/cases/{case.pk}/reply/", body, format="multipart")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["ordered_to_rectify"] == 1 and out["cases_filed"] == 0
    assert out["penalties"][0]["amount"] == "50000.50" and len(out["evidence"]) == 1
