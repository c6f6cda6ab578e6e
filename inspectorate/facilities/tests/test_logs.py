"""Daily running logs through the API and pages: one per day, none for the future, flags for review,
the 10:00 missing-log warning (controlled clock), scope and the permission matrix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.core import scheduler
from inspectorate.facilities.models import FacilityLog, FacilityWarning
from inspectorate.testing.clock import SH
from inspectorate.testing.matrix import assert_matrix

from .conftest import day

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _post_log(user, facility, when, status="running", reason="", key=None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = {"facility": str(facility.pk), "day": when.isoformat(), "status": status, "reason": reason}
    return _client(user).post("/api/v1/facility-logs/", body, content_type="application/json", **headers)


def test_log_matrix_and_scope(ent):
    body = {"facility": str(ent.facility_a.pk), "day": day(-1).isoformat(), "status": "running"}
    assert_matrix(
        "/api/v1/facility-logs/",
        method="post",
        data=body,
        out_of_scope=[ent.officer_b],
        forbidden=[ent.group_auditor, ent.outsider],  # no role anywhere: 403 before the body
        allowed=[ent.officer_a],
        ok=201,
    )
    log = FacilityLog.objects.get()
    assert AuditEvent.objects.filter(verb="facility_log.record", object_id=str(log.pk)).exists()
    # The group sees every plant's logs; the sibling plant sees none of plant A's.
    assert_matrix(f"/api/v1/facility-logs/{log.pk}/", out_of_scope=[ent.officer_b, ent.outsider],
                  allowed=[ent.officer_a, ent.group_liaison, ent.group_auditor])  # fmt: skip
    assert _client(ent.officer_b).get("/api/v1/facility-logs/").json()["count"] == 0
    assert _client(ent.group_liaison).get("/api/v1/facility-logs/").json()["count"] == 1


def test_duplicate_and_future_logs_are_refused(ent):
    assert _post_log(ent.officer_a, ent.facility_a, day(-1)).status_code == 201
    r = _post_log(ent.officer_a, ent.facility_a, day(-1), status="stopped", reason="检修")
    assert r.status_code == 400
    assert "already has a log" in str(r.json()) or "已有" in str(r.json())
    r = _post_log(ent.officer_a, ent.facility_a, day(1))
    assert r.status_code == 400 and "day" in r.json()
    assert FacilityLog.objects.count() == 1


def test_errors_are_in_chinese_by_default_and_english_on_request(ent):
    _post_log(ent.officer_a, ent.facility_a, day(-1))
    zh = _post_log(ent.officer_a, ent.facility_a, day(-1)).json()
    c = _client(ent.officer_a)
    en = c.post("/api/v1/facility-logs/", {"facility": str(ent.facility_a.pk), "day": day(-1).isoformat(), "status": "running"},
                content_type="application/json", HTTP_ACCEPT_LANGUAGE="en").json()  # fmt: skip
    assert "already has a log" in str(en)
    assert "already has a log" not in str(zh)


def test_idempotency_key_creates_once(ent):
    r1 = _post_log(ent.officer_a, ent.facility_a, day(-2), key="k-1")
    r2 = _post_log(ent.officer_a, ent.facility_a, day(-2), key="k-1")
    assert r1.status_code == 201 and r2.status_code == 200
    assert r1.json()["id"] == r2.json()["id"]
    assert FacilityLog.objects.count() == 1
    r3 = _post_log(ent.officer_a, ent.facility_a, day(-3), key="k-1")
    assert r3.status_code == 422


def test_stop_without_reason_is_flagged_and_reviewed(ent):
    r = _post_log(ent.officer_a, ent.facility_a, day(-1), status="stopped")
    assert r.status_code == 201
    assert r.json()["review"] == "pending" and r.json()["review_reasons"] == ["no_reason"]
    running = _post_log(ent.officer_a, ent.facility_a, day(-2)).json()
    assert running["review"] == ""
    log_id = r.json()["id"]
    url = f"/api/v1/facility-logs/{log_id}/review/"
    # The plant's own officer cannot review its log; the sibling does not see it.
    assert_matrix(url, method="post", data={"accept": True, "note": "现场核实：停机检修"},
                  out_of_scope=[ent.officer_b, ent.outsider], forbidden=[ent.officer_a, ent.group_auditor],
                  allowed=[ent.group_liaison])  # fmt: skip
    assert FacilityLog.objects.get(pk=log_id).review == "confirmed"
    again = _client(ent.group_liaison).post(url, {"accept": False, "note": "x"}, content_type="application/json")
    assert again.status_code == 400


def test_stop_with_a_complaint_nearby_is_flagged(ent, world):
    from inspectorate.complaints.actions import submit_complaint

    when = dt.datetime.combine(day(-1), dt.time(20, 0), tzinfo=SH)
    submit_complaint(
        campaign=world.campaign, channel="phone", text="焦化厂夜间冒黑烟，气味刺鼻", received_at=when,
        address="焦化厂附近", lat=27.645, lon=113.732, actor=world.inspector,
    )  # fmt: skip
    r = _post_log(ent.officer_a, ent.facility_a, day(-1), status="stopped", reason="脱硫塔检修")
    assert r.json()["review_reasons"] == ["complaint_nearby"] and r.json()["nearby_complaints"] == 1
    # Far away (about 5 km) or another week: not flagged.
    r = _post_log(ent.officer_a, ent.facility_a, day(-8), status="stopped", reason="检修")
    assert r.json()["review"] == ""


def test_missing_log_warning_at_ten_the_next_day(ent):
    yesterday = day(-1)
    _post_log(ent.officer_b, ent.facility_b, yesterday)
    today_local = day(0)
    before = dt.datetime.combine(today_local, dt.time(9, 59), tzinfo=SH)
    assert [r.job for r in scheduler.run_due(now=before, only=["facility_log_check"])] == []
    at_ten = dt.datetime.combine(today_local, dt.time(10, 1), tzinfo=SH)
    (run,) = scheduler.run_due(now=at_ten, only=["facility_log_check"])
    assert run.summary == {"day": yesterday.isoformat(), "raised": 1}
    w = FacilityWarning.objects.get()
    assert w.facility == ent.facility_a and w.day == yesterday and w.resolved_at is None
    # Idempotent per day: the scheduler does not run again, and a rerun of the check raises nothing.
    assert scheduler.run_due(now=at_ten + dt.timedelta(hours=1), only=["facility_log_check"]) == []
    from inspectorate.facilities.actions import check_missing_logs

    assert check_missing_logs(yesterday)["raised"] == 0
    # Warnings are scoped: plant B's officer does not see plant A's warning; the group does.
    assert _client(ent.officer_b).get("/api/v1/facility-warnings/").json()["count"] == 0
    assert _client(ent.group_liaison).get("/api/v1/facility-warnings/").json()["count"] == 1
    # The late log resolves it (kept on record).
    assert _post_log(ent.officer_a, ent.facility_a, yesterday).status_code == 201
    w.refresh_from_db()
    assert w.resolved_at is not None


def test_log_page_is_phone_friendly_and_refuses_bad_input(ent):
    assert_matrix("/facilities/log/", api=False, forbidden=[ent.group_auditor], allowed=[ent.officer_a])
    c = _client(ent.officer_a)
    page = c.get("/facilities/log/")
    assert b"width=device-width" in page.content and ent.facility_a.name.encode() in page.content
    assert ent.facility_b.name.encode() not in page.content
    r = c.post("/facilities/log/", {"facility": ent.facility_a.pk, "day": day(1).isoformat(), "status": "running"})
    assert r.status_code == 400 and FacilityLog.objects.count() == 0
    r = c.post("/facilities/log/", {"facility": ent.facility_a.pk, "day": day(-1).isoformat(), "status": "fault", "reason": ""})
    assert r.status_code == 302
    detail = c.get(f"/facilities/{ent.facility_a.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert 'id="calendar"' in text and text.count("<time datetime=") == 30


def test_warnings_page_matrix(ent):
    assert_matrix("/facilities/warnings/", api=False, allowed=[ent.officer_a, ent.group_liaison])
    assert_matrix(f"/facilities/{ent.facility_a.pk}/", api=False, out_of_scope=[ent.officer_b, ent.outsider],
                  allowed=[ent.officer_a, ent.group_liaison, ent.group_auditor])  # fmt: skip
