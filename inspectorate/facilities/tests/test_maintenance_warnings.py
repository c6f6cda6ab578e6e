"""Overdue maintenance: the 08:00 job warns for each plan whose due date passed without a record, once per plan
and missed due date (a rerun, or the next days, raise nothing twice); a record resolves it; the warning shows
where facility warnings are shown, in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.core import scheduler
from inspectorate.facilities import actions
from inspectorate.facilities.models import FacilityWarning, WarningKind
from inspectorate.testing.clock import SH
from inspectorate.testing.matrix import assert_matrix

from .conftest import day

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_overdue_maintenance_warned_once_and_resolved_by_a_record(ent):
    # Plan A: first due 40 days ago, every 30 days, done 35 days ago → next due 5 days ago: overdue.
    plan_a = actions.create_plan(ent.facility_a, actor=ent.officer_a, title="布袋检查", interval_days=30, starts_on=day(-40))
    actions.record_maintenance(ent.facility_a, actor=ent.officer_a, plan=plan_a, done_on=day(-35), description="已检查")
    # Plan B: due today (not yet overdue); plan C: inactive.
    actions.create_plan(ent.facility_b, actor=ent.officer_b, title="格栅清理", interval_days=7, starts_on=day(0))
    plan_c = actions.create_plan(ent.facility_b, actor=ent.officer_b, title="停用项", interval_days=7, starts_on=day(-20))
    plan_c.active = False
    plan_c.save()
    before = dt.datetime.combine(day(0), dt.time(7, 59), tzinfo=SH)
    assert scheduler.run_due(now=before, only=["maintenance_check"]) == []
    at_eight = dt.datetime.combine(day(0), dt.time(8, 1), tzinfo=SH)
    (run,) = scheduler.run_due(now=at_eight, only=["maintenance_check"])
    assert run.summary == {"day": day(0).isoformat(), "raised": 1}
    w = FacilityWarning.objects.get()
    assert (w.facility, w.plan, w.kind, w.day, w.resolved_at) == (
        ent.facility_a, plan_a, WarningKind.MAINTENANCE_OVERDUE, day(-5), None
    )  # fmt: skip
    # Idempotent: the same day, and the next days while the same due date stays missed.
    assert scheduler.run_due(now=at_eight + dt.timedelta(hours=2), only=["maintenance_check"]) == []
    assert actions.check_overdue_maintenance(day(0))["raised"] == 0
    assert FacilityWarning.objects.count() == 1
    # Three days later plan B's due date (today) has passed too: one new warning, none again for plan A.
    assert actions.check_overdue_maintenance(day(3))["raised"] == 1
    assert sorted(FacilityWarning.objects.values_list("plan__title", "day")) == [("布袋检查", day(-5)), ("格栅清理", day(0))]
    FacilityWarning.objects.filter(plan__title="格栅清理").delete()
    type(plan_c).objects.filter(title="格栅清理").update(active=False)
    assert AuditEvent.objects.filter(verb="facility_warning.maintenance").count() == 2
    # Shown where facility warnings are shown, in scope.
    page = _client(ent.group_liaison).get("/facilities/warnings/").content.decode()
    assert "布袋检查" in page
    assert "布袋检查" not in _client(ent.officer_b).get("/facilities/warnings/").content.decode()
    assert "布袋检查" in _client(ent.officer_a).get(f"/facilities/{ent.facility_a.pk}/").content.decode()
    (r,) = assert_matrix(
        "/api/v1/facility-warnings/", allowed=[ent.officer_a], out_of_scope=[]
    )  # fmt: skip
    assert [(x["kind"], x["plan_title"], x["day"]) for x in r.json()["results"]] == [
        ("maintenance_overdue", "布袋检查", day(-5).isoformat())
    ]  # fmt: skip
    assert _client(ent.officer_b).get("/api/v1/facility-warnings/", {"kind": "maintenance_overdue"}).json()["count"] == 0
    # The record resolves it (kept on record); the plan is due again in 30 days.
    actions.record_maintenance(ent.facility_a, actor=ent.officer_a, plan=plan_a, done_on=day(-1), description="更换布袋")
    w.refresh_from_db()
    assert w.resolved_at is not None
    assert actions.check_overdue_maintenance(day(1))["raised"] == 0
    # A missed due date later is a new warning.
    assert actions.check_overdue_maintenance(day(31))["raised"] == 1
    assert FacilityWarning.objects.filter(plan=plan_a, day=day(29)).exists()


def test_missing_log_and_maintenance_warnings_coexist_for_a_facility_and_day(ent):
    plan = actions.create_plan(ent.facility_a, actor=ent.officer_a, title="喷淋检查", interval_days=10, starts_on=day(-2))
    actions.check_overdue_maintenance(day(0))
    actions.check_missing_logs(day(-2))
    kinds = set(FacilityWarning.objects.filter(facility=ent.facility_a, day=day(-2)).values_list("kind", "plan"))
    assert kinds == {(WarningKind.MAINTENANCE_OVERDUE, plan.pk), (WarningKind.MISSING_LOG, None)}
