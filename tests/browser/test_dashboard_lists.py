"""A leader's dashboard chart in a real browser: the canvas is drawn from its table, the numbers match, and the
figure's link leads to the filtered list with the same count. Screenshots of the changed pages (zh, 1280 and 390 px)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import login

pytestmark = pytest.mark.browser
# Into the git-ignored screenshots/ like the other browser tests (a test run must not change tracked files);
# docs/screenshots/ holds copies chosen for the README.
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-zh-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_leader_chart_renders_and_leads_to_the_filtered_list(page, live_world):
    from inspectorate.complaints.tests.conftest import flow_to_dispatch
    from inspectorate.rectification.models import TaskStatus
    from inspectorate.rectification.tests.conftest import build

    w = live_world
    SHOTS.mkdir(parents=True, exist_ok=True)
    flow_to_dispatch(w)  # before build(), which moves the campaign's stay into the past
    rect = build(w)
    rect.task(deadline=timezone.localdate() - dt.timedelta(days=5))
    done = rect.task()
    done.status = TaskStatus.CLOSED
    done.save(update_fields=["status"])
    rect.task()
    login(page, "liaison_a")
    page.wait_for_selector("canvas[data-chart-for='table-laggards'][data-drawn='1']")
    box = page.locator("canvas[data-chart-for='table-laggards']").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    # The chart's numbers are the table's: Chart.js holds the same values the table shows.
    drawn = page.evaluate(
        "() => window.Chart.getChart(document.querySelector(\"canvas[data-chart-for='table-laggards']\")).data.datasets[0].data"
    )
    shown = [int(v) for v in page.locator("#table-laggards td[data-value]").evaluate_all("els => els.map(e => e.dataset.value)")]
    assert drawn == shown == [1]
    assert page.locator("#table-completion [role=progressbar]").first.get_attribute("aria-valuenow") == "33"
    _shoot(page, "dashboard-leader")
    page.click("#table-laggards tbody a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert "overdue=true" in page.url
    assert page.locator(".listcount strong").inner_text().startswith("共 1 ")
    assert page.locator("#ledger tbody tr").count() == 1
    _shoot(page, "ledger-filtered")
    page.goto(page.base_url + "/complaints/cases/?sort=-due")
    assert page.locator("th[aria-sort=descending]").count() == 1
    _shoot(page, "cases-list")
    page.context.clear_cookies()
    login(page, "leader")
    page.goto(page.base_url + "/complaints/batches/")
    _shoot(page, "batches-list")
    page.goto(page.base_url + "/")
    page.wait_for_selector("canvas[data-chart-for='table-status'][data-drawn='1']")
    _shoot(page, "dashboard-team")
