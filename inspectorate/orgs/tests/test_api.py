from __future__ import annotations

import pytest

from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db


def test_org_unit_list_is_scoped(world, client):
    client.force_login(world.liaison_a)
    r = client.get("/api/v1/org-units/")
    assert r.status_code == 200
    codes = {u["code"] for u in r.json()["results"]}
    assert codes == {"430600", "430626"}


def test_org_unit_detail_matrix(world):
    assert_matrix(
        f"/api/v1/org-units/{world.county_a.pk}/",
        allowed=[world.liaison_a, world.handler_a, world.inspector, world.auditor, world.admin],
        out_of_scope=[world.liaison_b, world.outsider],
    )
