"""The team leader runs the campaign in a real browser: feedback date → plan due shown; roster add."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import login
from inspectorate.core import calendar

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def test_team_leader_sets_feedback_and_keeps_the_roster(page, live_world):
    world = live_world
    SHOTS.mkdir(exist_ok=True)
    login(page, "leader")
    page.goto(f"{page.base_url}/campaigns/{world.campaign.pk}/")
    page.click("a[href$='/edit/']")
    feedback = world.campaign.stationing_end + dt.timedelta(days=3)
    page.fill("#id_feedback_date", feedback.isoformat())
    page.fill("#id_team_po_box", "岳阳市A001信箱")
    page.screenshot(path=str(SHOTS / "campaign-edit-zh.png"), full_page=True)
    page.click("#campaign-form button[type=submit].primary")
    plan_due = calendar.add_working_days(feedback, 30).isoformat()
    assert page.get_by_text(plan_due).first.is_visible()
    page.click("a[href$='/members/']")
    page.fill("#id_username", "inspector")
    page.select_option("#id_role", "team_leader")
    page.click("#member-form button[type=submit]")
    assert page.locator("#roster").get_by_text("组长").first.is_visible()
    page.screenshot(path=str(SHOTS / "campaign-roster-zh.png"), full_page=True)
