"""Accessibility and phone layout of the main pages, in a real browser, in both languages.

Each page is checked with axe-core (no violation of impact "serious" or "critical"), and at 390 px it must not
scroll sideways. Screenshots of every page, language and width go to the git-ignored `screenshots/` folder
(`<page>-<lang>-<width>.png`) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import login, need

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ("zh-hans", "en")
WIDTHS = (1280, 390)
BLOCKING = ("serious", "critical")

# axe's findings, trimmed to what a failure message needs (the full result is large to carry back).
RUN_AXE = """async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(
      n => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n").slice(0, 3).join(" ")),
  }));
}"""
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@dataclass
class Visit:
    name: str
    url: str
    then: Callable[[Any], None] | None = None  # a step after loading (fill and send a form)


def _world(w: Any) -> dict[str, Any]:
    """The cast with something on every page: a dispatched case (a handler's to-do), a published results table,
    rectification tasks (one overdue, one under public notice)."""
    from inspectorate.complaints import actions
    from inspectorate.complaints.tests.conftest import at, flow_to_dispatch
    from inspectorate.rectification.models import SignOffStep
    from inspectorate.rectification.tests.conftest import build
    from inspectorate.rectification.tests.test_api import at as task_at

    complaint, _case, batch = flow_to_dispatch(w)
    # A second day's batch, answered, reviewed and published: the public results table.
    other = actions.submit_complaint(
        campaign=w.campaign, channel="phone", text="岳阳楼区某饭店油烟直排扰民", address="岳阳市岳阳楼区",
        actor=w.inspector, received_at=at(5),
    )  # fmt: skip
    case2 = actions.accept_complaint(other, actor=w.inspector)
    published = actions.close_intake_day(w.campaign, case2.intake_day, actor=w.inspector)
    actions.transfer_batch(published, actor=w.team_leader, at=at(6, 9))
    case2.refresh_from_db()
    actions.reply_case(case2, actor=w.admin, summary="经查属实", verdict="true", status="closed", measures="已责令整改")
    actions.review_case(case2, actor=w.inspector, accept=True)
    table = actions.publish_batch(published, actor=w.team_leader)
    rect = build(w)  # moves the campaign's stay into the past: the report form uses the other campaign
    rect.task(deadline=timezone.localdate() - dt.timedelta(days=5))
    task = rect.task()
    notice = task_at(rect, SignOffStep.UNDER_NOTICE)
    return {"complaint": complaint, "batch": batch, "table": table, "task": task, "notice": notice}


def _check(page: Any, p: Visit, lang: str, axe_source: str) -> list[str]:
    """One page at both widths: axe at each, no sideways scrolling at 390 px, a screenshot at each."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(page.base_url + p.url)  # waits for the load event: deferred scripts (charts, map) have run
    if p.then:
        p.then(page)
    assert page.locator("html").get_attribute("lang") == lang, f"{p.name}: not in {lang}"
    # The site's policy is script-src 'self': a <script> tag with axe's text would be refused. page.evaluate runs
    # the source through the DevTools protocol, which the page's policy does not govern, so the policy stays on
    # for everything the page itself does.
    page.evaluate(axe_source)
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(NEXT_FRAME)
        where = f"{p.name} [{lang}, {width} px]"
        for v in page.evaluate(RUN_AXE):
            if v["impact"] in BLOCKING:
                problems.append(f"{where} {v['impact']} {v['id']}: {v['help']}\n      " + "\n      ".join(v["targets"]))
        if width <= 390:
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{where} scrolls sideways (scrollWidth {scroll})")
        page.screenshot(path=str(SHOTS / f"{p.name}-{lang}-{width}.png"), full_page=True)
    return problems


def test_main_pages_pass_axe_and_fit_a_phone(page, live_world, settings, tmp_path):
    need(AXE.exists(), f"axe-core is not installed at {AXE} (npm ci, from package.json)")
    axe_source = AXE.read_text(encoding="utf-8")
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files of the rectification tasks
    w = live_world
    made = _world(w)
    SHOTS.mkdir(exist_ok=True)

    def track(pg: Any) -> None:
        pg.fill("#id_receipt_code", made["complaint"].receipt_code)
        pg.fill("#id_secret", made["complaint"].tracking_secret)
        pg.click("form button[type=submit].primary")
        pg.wait_for_selector("#public-status")

    visits: list[tuple[str | None, list[Visit]]] = [
        (
            None,
            [
                Visit("home", "/"),
                Visit("report", f"/public/report/{w.other_campaign.code}/"),
                Visit("track", "/public/track/", track),
                Visit("portal-campaign", f"/public/campaigns/{w.campaign.code}/"),
                Visit("results", "/public/results/"),
                Visit("results-table", f"/public/results/{made['table'].pk}/"),
                Visit("notices", "/rectification/public/"),
                Visit("notice", f"/rectification/public/notices/{made['notice'].pk}/"),
                Visit("login", "/accounts/login/"),
            ],
        ),
        (
            "inspector",
            [
                Visit("dashboard-team", "/"),
                Visit("cases", "/complaints/cases/"),
                Visit("batch", f"/complaints/batches/{made['batch'].pk}/"),
                Visit("bulletin", "/complaints/bulletin/"),
            ],
        ),
        ("handler_a", [Visit("todo-handler", "/")]),
        ("liaison_a", [Visit("ledger", "/rectification/"), Visit("task", f"/rectification/tasks/{made['task'].pk}/")]),
    ]
    problems: list[str] = []
    for user, pages in visits:
        page.context.clear_cookies()
        if user:
            login(page, user)
        for lang in LANGS:
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": page.base_url}])
            for p in pages:
                problems += _check(page, p, lang, axe_source)
    assert not problems, "\n".join(problems)
