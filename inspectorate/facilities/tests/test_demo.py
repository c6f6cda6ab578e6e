"""The demo part of facilities: Pingkuang's facilities with one missing log warned of, Shanxi Coking Coal's
project with a missing step; a second load changes nothing."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from inspectorate.demo import facilities as demo_facilities
from inspectorate.demo import foundation
from inspectorate.demo.registry import DemoContext
from inspectorate.facilities.models import (
    EnterpriseVisit,
    Facility,
    FacilityLog,
    FacilityWarning,
    MaintenanceRecord,
    Project,
    VisitRequest,
)

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Facility, FacilityLog, FacilityWarning, MaintenanceRecord, Project))


def test_demo_loads_twice_the_same():
    ctx = DemoContext(stdout=io.StringIO())
    foundation.load(ctx)
    demo_facilities.load(ctx)
    first = _counts()
    demo_facilities.load(DemoContext(stdout=io.StringIO()))
    assert _counts() == first
    (w,) = FacilityWarning.objects.all()
    assert w.facility.name == "焦化废水处理站" and w.resolved_at is None
    assert FacilityLog.objects.filter(review="pending").count() == 1
    p = Project.objects.get()
    assert [s.kind for s in p.steps.order_by("done_on")] == ["eia", "design", "construction"]
    assert p.status == "under_construction"
    c = Client()
    c.force_login(ctx.users["sxjm_liaison"])
    r = c.post(f"/api/v1/projects/{p.pk}/start-operation/", {}, content_type="application/json")
    assert r.status_code == 400 and r.json()["missing_steps"] == ["commissioning"]
    c.force_login(ctx.users["jxig_liaison"])
    assert c.get("/api/v1/facility-warnings/").json()["count"] == 1
    assert c.get("/api/v1/projects/").json()["count"] == 0
    # The Shangjie district's liaison sees its visit and both problems; so does Chinalco Zhengzhou.
    for who in ("shangjie_liaison", "chalco_zz_officer"):
        c.force_login(ctx.users[who])
        (visit,) = c.get("/api/v1/enterprise-visits/").json()["results"]
        assert sorted(r["status"] for r in visit["requests"]) == ["assigned", "raised"]
    assert EnterpriseVisit.objects.count() == 1 and VisitRequest.objects.count() == 2
