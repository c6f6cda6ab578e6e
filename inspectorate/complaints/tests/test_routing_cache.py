"""The per-process routing caches (enterprise name index, prepared polygons in an STRtree) answer exactly
what the plain queries answer, and notice changes to the registry and the org tree."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.test import Client

from inspectorate.complaints import routing
from inspectorate.core import stamps
from inspectorate.orgs.models import Enterprise
from inspectorate.testing.factories import EnterpriseFactory, OrgUnitFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def _box(x1, y1, x2, y2):
    return {"type": "Polygon", "coordinates": [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]}


def _reference_enterprise(name: str):  # the lookup as three queries, as it was before the cache
    name = (name or "").strip()
    if len(name) < 2:
        return None
    qs = Enterprise.objects.all()
    ent = qs.filter(name=name).first() or qs.filter(name__icontains=name).first()
    if ent is None and len(name) >= 4:
        ent = qs.filter(Q(name__icontains=name[:6])).first()
    return ent


def test_enterprise_index_matches_the_queries(world):
    for name in ["岳阳某化工有限公司", "岳阳某造纸厂", "ACME Smelting Ltd", "acme paper", "平江县某化工厂二分厂"]:
        EnterpriseFactory(org_unit=world.county_a, name=name)
    routing.forget_units()
    probes = [
        "平江县某化工有限公司",  # exact
        "某化工",  # contained in several: the first by name wins
        "acme",  # case-insensitive, ASCII
        "ACME PAPER",
        "Smelting",
        "岳阳某造纸厂后面的排污口",  # not contained; its first six characters are
        "完全不存在的企业名称",
        "x",
        "",
        "  平江县某化工有限公司  ",
        "%",
        "_",
    ]
    for probe in probes:
        assert routing.by_enterprise(world.campaign, probe) == _reference_enterprise(probe), probe


def test_enterprise_index_notices_new_renamed_and_bulk_created_enterprises(world):
    assert routing.by_enterprise(world.campaign, "新开的某砖厂") is None
    e = EnterpriseFactory(org_unit=world.county_a, name="新开的某砖厂")  # saved here: the signal drops the cache
    assert routing.by_enterprise(world.campaign, "新开的某砖厂") == e
    e.name = "改名后的某砖厂"
    e.save()
    assert routing.by_enterprise(world.campaign, "新开的某砖厂") is None
    assert routing.by_enterprise(world.campaign, "改名后的某砖厂") == e
    # bulk_create sends no signal: the code doing it bumps the version stamp, as an import in another process would.
    template = EnterpriseFactory.build(org_unit=world.county_a, name="批量导入的某冶炼厂")
    Enterprise.objects.bulk_create([template])
    assert routing.by_enterprise(world.campaign, "批量导入的某冶炼厂") is None  # this process's copy still holds
    stamps.bump(stamps.ENTERPRISES)
    assert routing.by_enterprise(world.campaign, "批量导入的某冶炼厂") == Enterprise.objects.get(name="批量导入的某冶炼厂")
    # Deleted after the index was built: looked up again, not returned stale.
    gone = Enterprise.objects.get(name="批量导入的某冶炼厂")
    Enterprise.objects.filter(pk=gone.pk).delete()
    assert routing.by_enterprise(world.campaign, "批量导入的某冶炼厂") is None


def test_polygon_tree_matches_a_scan_of_every_unit(world):
    w = world
    w.city_a.boundary = _box(112.4, 28.5, 114.1, 29.75)
    w.city_a.save()
    w.county_a.boundary = _box(113.45, 28.5, 114.1, 29.05)
    w.county_a.save()
    town = OrgUnitFactory(parent=w.county_a, code="TOWN-1", name_zh="某镇", boundary=_box(113.5, 28.6, 113.7, 28.8))
    bad = OrgUnitFactory(parent=w.county_a, code="BAD-1", name_zh="坏边界乡", boundary={"type": "Polygon", "coordinates": []})
    routing.forget_units()
    units = routing._units_under(w.campaign)
    assert town in units and bad in units
    points = [(28.7, 113.6), (28.8, 113.7), (28.9, 113.9), (29.5, 113.0), (28.5, 113.45), (30.0, 115.0), (28.6, 113.5)]
    for lat, lon in points:
        entry = routing._load_units(w.campaign)
        assert routing._by_location(entry, lat, lon) == routing.by_location(units, lat, lon), (lat, lon)
    assert routing.route(w.campaign, lat=28.7, lon=113.6, address="", polluter_name="").unit == town
    assert routing.route(w.campaign, lat=28.8, lon=113.7, address="", polluter_name="").unit == town  # on the edge
    # A boundary edited in this process is seen at once.
    town.boundary = _box(100.0, 10.0, 100.1, 10.1)
    town.save()
    assert routing.route(w.campaign, lat=28.7, lon=113.6, address="", polluter_name="").unit == w.county_a


def test_api_intake_keeps_scope_answers(world):
    """The cheaper campaign look-up of POST /api/v1/complaints/ answers as before: 404 out of view scope (to a
    user who takes complaints elsewhere), 403 without intake, 201 for the team, by code or id."""
    w = world
    body = {
        "channel": "phone",
        "text": "平江县某化工厂夜间偷排废水",
        "address": "平江县",
        "received_at": at(3).isoformat(),
    }

    def post(user, ref):  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        return client.post("/api/v1/complaints/", {**body, "campaign": ref}, content_type="application/json")

    assert post(w.inspector, w.campaign.code).status_code == 201
    assert post(w.team_leader, str(w.campaign.pk)).status_code == 201
    assert post(w.admin, w.campaign.code).status_code == 201
    assert post(w.inspector, w.other_campaign.code).status_code == 404
    assert post(w.inspector, "no-such-campaign").status_code == 404
    # without the intake role anywhere, refused before the body (and its campaign) is read
    assert post(w.liaison_b, w.campaign.code).status_code == 403
    assert post(w.outsider, w.campaign.code).status_code == 403
    # liaison_a sees the campaign on its city but may not take complaints
    assert post(w.liaison_a, w.campaign.code).status_code == 403
