"""The facility registry and maintenance through the API and pages: scope, permission matrix, bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.facilities.models import Facility, MaintenanceRecord
from inspectorate.testing.matrix import assert_matrix

from .conftest import day

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_list_is_scoped(ent):
    names = lambda u: {f["name"] for f in _client(u).get("/api/v1/facilities/").json()["results"]}  # noqa: E731
    assert names(ent.officer_a) == {ent.facility_a.name}
    assert names(ent.officer_b) == {ent.facility_b.name}
    assert names(ent.group_liaison) == {ent.facility_a.name, ent.facility_b.name}
    assert names(ent.outsider) == set()
    r = _client(ent.group_liaison).get("/api/v1/facilities/", {"facility_type": "wastewater"})
    assert [f["name"] for f in r.json()["results"]] == [ent.facility_b.name]
    page = _client(ent.group_liaison).get("/facilities/", {"facility_type": "wastewater"}).content.decode()
    assert ent.facility_b.name in page and ent.facility_a.name not in page
    assert ent.facility_b.name not in _client(ent.officer_a).get("/facilities/").content.decode()


def test_create_and_update_facility(ent):
    body = {"name": "布袋除尘器", "facility_type": "dust_removal", "unit": str(ent.plant_a.pk), "lat": "27.640000",
            "lon": "113.730000", "commissioned_on": day(-30).isoformat(), "capacity": "12000",
            "capacity_unit": "m³/h"}  # fmt: skip
    # the outsider holds no role anywhere: 403 before the body is read
    assert_matrix("/api/v1/facilities/", method="post", data=body, out_of_scope=[ent.officer_b],
                  forbidden=[ent.group_auditor, ent.outsider], allowed=[ent.officer_a], ok=201)  # fmt: skip
    f = Facility.objects.get(name="布袋除尘器")
    assert AuditEvent.objects.filter(verb="facility.create", object_id=str(f.pk)).exists()
    c = _client(ent.officer_a)
    bad = dict(body, name="SCR脱硝", capacity="100", capacity_unit="", commissioned_on=day(5).isoformat())
    r = c.post("/api/v1/facilities/", bad, content_type="application/json")
    assert r.status_code == 400 and Facility.objects.filter(name="SCR脱硝").count() == 0
    r = c.post("/api/v1/facilities/", dict(body, lat="91"), content_type="application/json")
    assert r.status_code == 400
    url = f"/api/v1/facilities/{f.pk}/"
    assert_matrix(url, method="patch", data={"capacity": "15000", "reason": "扩容"}, out_of_scope=[ent.officer_b],
                  forbidden=[ent.group_auditor], allowed=[ent.officer_a])  # fmt: skip
    f.refresh_from_db()
    assert f.capacity == 15000
    ev = AuditEvent.objects.get(verb="facility.update", object_id=str(f.pk))
    assert ev.reason == "扩容"


def test_maintenance_plans_and_records(ent):
    fa = ent.facility_a
    c = _client(ent.officer_a)
    r = c.post("/api/v1/maintenance-plans/", {"facility": str(fa.pk), "title": "喷淋层检查", "interval_days": 30,
               "starts_on": day(-60).isoformat()}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201 and r.json()["next_due"] == day(-60).isoformat()
    plan = r.json()["id"]
    body = {"facility": str(fa.pk), "plan": plan, "done_on": day(-5).isoformat(), "description": "更换喷嘴"}
    assert_matrix("/api/v1/maintenance-records/", method="post", data=body, out_of_scope=[ent.officer_b],
                  forbidden=[ent.group_auditor], allowed=[ent.officer_a], ok=201)  # fmt: skip
    assert c.get(f"/api/v1/maintenance-plans/{plan}/").json()["next_due"] == day(25).isoformat()
    r = c.post("/api/v1/maintenance-records/", dict(body, done_on=day(2).isoformat()), content_type="application/json")
    assert r.status_code == 400 and MaintenanceRecord.objects.count() == 1
    r = c.post("/api/v1/maintenance-plans/", {"facility": str(fa.pk), "title": "x", "interval_days": 0,
               "starts_on": day(0).isoformat()}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400
    detail = c.get(f"/facilities/{fa.pk}/").content.decode()
    assert "喷淋层检查" in detail and "更换喷嘴" in detail


def test_pages_matrix(ent):
    assert_matrix("/facilities/", api=False, allowed=[ent.officer_a, ent.group_auditor])
    assert_matrix("/facilities/new/", api=False, forbidden=[ent.group_auditor], allowed=[ent.officer_a])
    fa = ent.facility_a
    for url in (f"/facilities/{fa.pk}/edit/", f"/facilities/{fa.pk}/plans/new/", f"/facilities/{fa.pk}/maintenance/new/"):
        assert_matrix(url, api=False, out_of_scope=[ent.officer_b, ent.outsider], forbidden=[ent.group_auditor],
                      allowed=[ent.officer_a])  # fmt: skip
    c = _client(ent.officer_a)
    r = c.post("/facilities/new/", {"name": "污水站", "facility_type": "wastewater", "unit": ent.plant_a.pk,
                                    "capacity": "10", "capacity_unit": ""})  # fmt: skip
    assert r.status_code == 400 and not Facility.objects.filter(name="污水站").exists()
    r = c.post("/facilities/new/", {"name": "污水站", "facility_type": "wastewater", "unit": ent.plant_b.pk})
    assert r.status_code == 400  # plant B is not in the choices
    r = c.post("/facilities/new/", {"name": "污水站", "facility_type": "wastewater", "unit": ent.plant_a.pk, "active": "on"})
    assert r.status_code == 302 and Facility.objects.filter(name="污水站").exists()
