"""A complaint the task worker has not triaged yet, as a screener sees it: the complaint page and the merge queue
say so (both languages), and screening it from the page triages it first. Screenshots (zh and en, 1280 and 390 px)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import login

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def test_a_waiting_complaint_is_shown_as_waiting_and_triaged_when_screened(page, live_world, settings):
    from inspectorate.complaints.models import Complaint
    from inspectorate.complaints.tests.conftest import submit

    settings.INTAKE_TRIAGE = "worker"
    w = live_world
    c = submit(w)
    assert Complaint.objects.get(pk=c.pk).triaged_at is None
    SHOTS.mkdir(exist_ok=True)
    login(page, w.inspector.username)
    for lang, word in (("zh-hans", "等待分拣"), ("en", "Waiting for triage")):
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.base_url}])
        page.goto(f"{page.base_url}/complaints/{c.pk}/")
        assert word in page.locator("#triage-pending").inner_text()
        page.goto(f"{page.base_url}/complaints/merge-queue/?campaign={w.campaign.code}&day={c.intake_day:%Y-%m-%d}")
        assert page.locator("#untriaged").is_visible()
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SHOTS / f"merge-queue-waiting-{lang}-{width}.png"), full_page=True)
            page.goto(f"{page.base_url}/complaints/{c.pk}/")
            page.screenshot(path=str(SHOTS / f"complaint-waiting-{lang}-{width}.png"), full_page=True)
            page.goto(f"{page.base_url}/complaints/merge-queue/?campaign={w.campaign.code}&day={c.intake_day:%Y-%m-%d}")
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base_url}/complaints/{c.pk}/")
    page.click("form[action$='/accept/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    c.refresh_from_db()
    assert c.triaged_at is not None and c.jurisdiction == w.county_a  # screening triaged it first
    assert c.case is not None and c.case.region == w.county_a
    page.goto(f"{page.base_url}/complaints/{c.pk}/")
    assert page.locator("#triage-pending").count() == 0
