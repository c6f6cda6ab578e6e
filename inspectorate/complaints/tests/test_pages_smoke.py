from __future__ import annotations

import pytest
from django.test import Client

from inspectorate.complaints import actions

from .conftest import at, submit

pytestmark = pytest.mark.django_db


def test_staff_pages_render(world):
    c = submit(world)
    case = actions.accept_complaint(c, actor=world.inspector, is_key=True)
    batch = actions.close_intake_day(world.campaign, c.intake_day, actor=world.inspector)
    actions.transfer_batch(batch, actor=world.team_leader, at=at(4, 9))
    client = Client()
    client.force_login(world.team_leader)
    b = f"/complaints/batches/{batch.pk}"
    urls = [
        "/",
        "/complaints/",
        "/complaints/new/",
        "/complaints/import/",
        f"/complaints/{c.pk}/",
        "/complaints/cases/",
        f"/complaints/cases/{case.pk}/",
        "/complaints/batches/",
        f"{b}/",
        f"/complaints/bulletin/?campaign=hn-2-yueyang&as_of={at(20).date()}",
        f"{b}/notice/{world.city_a.pk}.xlsx",
        f"{b}/notice/{world.city_a.pk}.docx",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:3000])
    r = client.get(f"/api/v1/reports/bulletin/?campaign=hn-2-yueyang&as_of={at(20).date()}")
    assert r.status_code == 200, r.content
    assert r.json()["transferred"] == 1
