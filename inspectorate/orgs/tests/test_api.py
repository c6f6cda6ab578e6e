"""Org units and enterprises: scoped API and pages, validation, cycles, boundaries, imports."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import Workbook

from inspectorate.audit.models import AuditEvent
from inspectorate.orgs.models import OrgUnit
from inspectorate.testing.factories import EnterpriseFactory, MembershipFactory, OrgUnitFactory, UserFactory, credit_code
from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[113.0, 29.0], [113.5, 29.0], [113.5, 29.5], [113.0, 29.5], [113.0, 29.0]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def api(user, lang: str = "en") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


def test_org_unit_list_is_scoped(world):
    r = api(world.liaison_a).get("/api/v1/org-units/")
    assert r.status_code == 200
    assert {u["code"] for u in r.json()["results"]} == {"430600", "430626"}


def test_org_unit_list_matrix_and_query_ceiling(world, django_assert_max_num_queries):
    parent = world.county_a
    for _ in range(30):
        OrgUnitFactory(parent=parent, unit_type="department")
    assert_matrix("/api/v1/org-units/", allowed=[world.liaison_a, world.outsider, world.admin])
    c = api(world.liaison_a)
    with django_assert_max_num_queries(8):
        r = c.get("/api/v1/org-units/")
    assert r.json()["count"] == 32


def test_org_unit_detail_matrix(world):
    assert_matrix(
        f"/api/v1/org-units/{world.county_a.pk}/",
        allowed=[world.liaison_a, world.handler_a, world.inspector, world.auditor, world.admin],
        out_of_scope=[world.liaison_b, world.outsider],
    )


def test_create_unit_needs_orgs_manage(world):
    body = {"code": "430627", "kind": "government", "unit_type": "county", "name_zh": "新区", "parent": str(world.city_a.pk)}
    assert_matrix("/api/v1/org-units/", method="post", data=body, forbidden=[world.liaison_a], allowed=[world.admin], ok=201)
    unit = OrgUnit.objects.get(code="430627")
    assert unit.is_within(world.city_a)
    assert AuditEvent.objects.filter(verb="org_unit.create", object_id=str(unit.pk)).exists()


def test_update_unit_matrix(world):
    url = f"/api/v1/org-units/{world.county_a.pk}/"
    assert_matrix(
        url,
        method="patch",
        data={"name_en": "Pingjiang County"},
        out_of_scope=[world.liaison_b],
        forbidden=[world.handler_a],
        allowed=[world.admin],
    )
    world.county_a.refresh_from_db()
    assert world.county_a.name_en == "Pingjiang County"
    ev = AuditEvent.objects.filter(verb="org_unit.update").latest("seq")
    assert ev.before["name_en"] != ev.after["name_en"]


def test_cycle_is_refused_in_both_languages(world):
    url = f"/api/v1/org-units/{world.city_a.pk}/"
    r = api(world.admin, "en").patch(url, {"parent": str(world.county_a.pk)}, content_type="application/json")
    assert r.status_code == 400
    assert "cycle" in r.json()["parent"][0]
    r = api(world.admin, "zh-hans").patch(url, {"parent": str(world.county_a.pk)}, content_type="application/json")
    assert "循环" in r.json()["parent"][0]
    world.city_a.refresh_from_db()
    assert world.city_a.parent_id == world.province.pk


def test_moving_a_unit_moves_its_subtree(world):
    world.city_a.parent = world.city_b
    world.city_a.save()
    world.county_a.refresh_from_db()
    assert world.county_a.is_within(world.city_b)
    assert world.county_a.depth == 3


def test_boundary_validation(world):
    url = f"/api/v1/org-units/{world.county_a.pk}/"
    ok = api(world.admin).patch(url, {"boundary": SQUARE}, content_type="application/json")
    assert ok.status_code == 200
    bad = api(world.admin).patch(url, {"boundary": BOWTIE}, content_type="application/json")
    assert bad.status_code == 400 and "self-intersecting" in str(bad.json())
    point = api(world.admin).patch(url, {"boundary": {"type": "Point", "coordinates": [1, 2]}}, content_type="application/json")
    assert point.status_code == 400


def test_boundary_contains_points_with_shapely(world):
    from shapely.geometry import Point, shape

    world.county_a.boundary = SQUARE
    world.county_a.full_clean(exclude=["path"])
    assert shape(world.county_a.boundary).contains(Point(113.2, 29.2))
    assert not shape(world.county_a.boundary).contains(Point(112.0, 29.2))


def test_enterprise_scoping_and_matrix(world, django_assert_max_num_queries):
    for _ in range(20):
        EnterpriseFactory(org_unit=world.county_a)
    assert_matrix(
        f"/api/v1/enterprises/{world.enterprise_a.pk}/",
        allowed=[world.liaison_a, world.handler_a, world.inspector, world.admin],
        out_of_scope=[world.liaison_b, world.outsider],
    )
    c = api(world.liaison_a)
    with django_assert_max_num_queries(8):
        r = c.get("/api/v1/enterprises/")
    names = {e["name"] for e in r.json()["results"]}
    assert world.enterprise_a.name in names and world.enterprise_b.name not in names


def test_enterprise_credit_code_checked(world):
    body = {
        "name": "新企业",
        "credit_code": credit_code(4242)[:-1] + "0",
        "org_unit": str(world.county_a.pk),
        "sector": "industry",
    }
    if credit_code(4242).endswith("0"):
        body["credit_code"] = credit_code(4242)[:-1] + "1"
    r = api(world.admin).post("/api/v1/enterprises/", body, content_type="application/json")
    assert r.status_code == 400 and "credit_code" in r.json()
    body["credit_code"] = credit_code(4242)
    assert api(world.admin).post("/api/v1/enterprises/", body, content_type="application/json").status_code == 201


def test_enterprise_in_unseen_unit_is_refused(world):
    body = {"name": "x", "credit_code": credit_code(77), "org_unit": str(world.city_b.pk), "sector": "industry"}
    # Without orgs.manage anywhere the body is not even read: 403.
    assert api(world.liaison_a).post("/api/v1/enterprises/", body, content_type="application/json").status_code == 403
    # With it on city_a, a unit out of sight is an invalid field.
    city_admin = UserFactory(username="city_admin")
    MembershipFactory(user=city_admin, role="admin", org_unit=world.city_a)
    r = api(city_admin).post("/api/v1/enterprises/", body, content_type="application/json")
    assert r.status_code == 400 and "org_unit" in r.json()


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["code", "parent_code", "kind", "unit_type", "name_zh", "name_en"]


def test_import_units_all_or_nothing(world):
    c = api(world.admin)
    bad = _xlsx(
        [HEADER, ["430699", "430600", "government", "county", "甲区", "A"], ["430698", "999999", "government", "planet", "", ""]]
    )
    r = c.post("/api/v1/org-units/import/", {"file": _named(bad, "units.xlsx")})
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {(3, "parent_code"), (3, "unit_type"), (3, "name_zh")}
    assert not OrgUnit.objects.filter(code="430699").exists()  # nothing saved
    good = _xlsx(
        [
            HEADER,
            ["430699", "430600", "government", "county", "甲区", "A"],
            ["430699-01", "430699", "government", "department", "甲区生态环境分局", ""],
        ]
    )
    r = c.post("/api/v1/org-units/import/", {"file": _named(good, "units.xlsx")})
    assert r.status_code == 200 and r.json()["created"] == 2
    assert OrgUnit.objects.get(code="430699-01").is_within(world.city_a)


def test_import_units_csv_and_cycles(world):
    csv_body = "code,parent_code,kind,unit_type,name_zh\nX1,X2,government,county,甲\nX2,X1,government,county,乙\n".encode()
    r = api(world.admin).post("/api/v1/org-units/import/", {"file": _named(csv_body, "units.csv")})
    assert r.status_code == 400 and "cycle" in str(r.json()["errors"])
    missing = b"code,kind\nX3,government\n"
    r = api(world.admin).post("/api/v1/org-units/import/", {"file": _named(missing, "units.csv")})
    assert r.status_code == 400 and "unit_type" in r.json()["errors"][0]["message"]
    r = api(world.admin).post("/api/v1/org-units/import/", {"file": _named(b"hello", "units.txt")})
    assert r.status_code == 400


def test_import_matrix(world):
    body = _xlsx([HEADER, ["430697", "430600", "government", "county", "乙区", ""]])
    # A liaison cannot manage units: the whole import is refused.
    c = api(world.liaison_a)
    r = c.post("/api/v1/org-units/import/", {"file": _named(body, "u.xlsx")})
    assert r.status_code == 403
    assert not OrgUnit.objects.filter(code="430697").exists()
    assert Client().post("/api/v1/org-units/import/", {"file": _named(body, "u.xlsx")}).status_code == 401


def _named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_pages_matrix(world, django_assert_max_num_queries):
    assert_matrix("/orgs/units/", api=False, allowed=[world.liaison_a, world.outsider])
    assert_matrix(
        f"/orgs/units/{world.county_a.pk}/",
        api=False,
        allowed=[world.liaison_a, world.inspector],
        out_of_scope=[world.liaison_b, world.outsider],
    )
    assert_matrix("/orgs/enterprises/", api=False, allowed=[world.liaison_a])
    assert_matrix(
        f"/orgs/enterprises/{world.enterprise_a.pk}/", api=False, allowed=[world.handler_a], out_of_scope=[world.liaison_b]
    )
    for _ in range(25):
        OrgUnitFactory(parent=world.county_a)
    c = api(world.liaison_a)
    with django_assert_max_num_queries(12):
        r = c.get("/orgs/units/")
    assert r.status_code == 200 and "Pingjiang" in r.content.decode()


def test_enterprise_write_matrix(world):
    body = {
        "name": "平江县某新材料有限公司",
        "credit_code": credit_code(9001),
        "org_unit": str(world.county_a.pk),
        "sector": "industry",
    }
    assert_matrix(
        "/api/v1/enterprises/",
        method="post",
        data=body,
        forbidden=[world.liaison_a, world.handler_a],
        allowed=[world.admin],
        ok=201,
    )
    url = f"/api/v1/enterprises/{world.enterprise_a.pk}/"
    assert_matrix(
        url,
        method="patch",
        data={"address": "平江县城关镇"},
        out_of_scope=[world.liaison_b],
        forbidden=[world.handler_a],
        allowed=[world.admin],
    )
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.address == "平江县城关镇"


def test_enterprise_page_query_ceiling(world, django_assert_max_num_queries):
    for _ in range(30):
        EnterpriseFactory(org_unit=world.county_a)
    c = api(world.liaison_a)
    with django_assert_max_num_queries(10):
        assert c.get("/orgs/enterprises/").status_code == 200


def test_import_page(world):
    assert_matrix("/orgs/units/import/", api=False, forbidden=[world.liaison_a], allowed=[world.admin])
    c = api(world.admin)
    bad = _xlsx([HEADER, ["430698", "nope", "government", "county", "", ""]])
    r = c.post("/orgs/units/import/", {"file": _named(bad, "u.xlsx")})
    html = r.content.decode()
    assert r.status_code == 200 and "nothing was saved" in html and "parent_code" in html
    good = _xlsx([HEADER, ["430698", "430600", "government", "county", "丙区", ""]])
    r = c.post("/orgs/units/import/", {"file": _named(good, "u.xlsx")}, follow=True)
    assert OrgUnit.objects.filter(code="430698").exists()
    t = c.get("/orgs/units/import/template.xlsx")
    assert t.status_code == 200 and t.content[:2] == b"PK"
