"""The batch page in a real browser: colours, notices, approve and publish; then the public table."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import login

from .conftest import at, submit

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def test_batch_page_transfer_approve_publish(page, live_world):
    from inspectorate.complaints import actions

    w = live_world
    cases = []
    texts = ["平江县某化工厂夜间偷排废水，河水发黑", "平江县城关镇饭店油烟直排扰民", "平江县加义镇河道非法采砂破坏生态"]
    for i, text in enumerate(texts):
        c = submit(w, text=text, received_at=at(3, 9 + i))
        cases.append(actions.accept_complaint(c, actor=w.inspector, is_key=i == 0))
    batch = actions.close_intake_day(w.campaign, at(3).date(), actor=w.inspector)
    SHOTS.mkdir(exist_ok=True)
    login(page, "leader")
    page.goto(f"{page.base_url}/complaints/batches/{batch.pk}/")
    page.click("form[action$='/transfer/'] button")
    page.wait_for_load_state("networkidle")
    page.click("form[action$='/transfer/'] input[name=confirm] ~ button.primary")  # the confirmation step
    page.wait_for_load_state("networkidle")
    assert page.locator("#batch-cases tbody tr").count() == 3
    for case in cases:
        case.refresh_from_db()
        actions.dispatch_case(case, actor=w.liaison_a, unit=w.county_a)
    actions.reply_case(
        cases[0],
        actor=w.handler_a,
        summary="经查属实，已立案处罚",
        verdict="true",
        status="closed",
        measures="责令停产整改，罚款20万元",
        penalties=[{"enterprise_name": "平江县某化工有限公司", "amount": "200000"}],
    )
    actions.review_case(cases[0], actor=w.inspector, accept=True)
    page.reload()
    page.screenshot(path=str(SHOTS / "batch-page.png"), full_page=True)
    page.click("form[action$='/approve/'] button")
    page.wait_for_load_state("networkidle")
    page.click("form[action$='/publish/'] button")
    page.wait_for_load_state("networkidle")
    page.click("a[href*='/public/results/']")
    page.wait_for_selector("#results-table")
    assert cases[0].number in page.inner_text("#results-table")
    page.screenshot(path=str(SHOTS / "published-table.png"), full_page=True)


def test_staff_entry_shows_similar_reports_while_typing(page, live_world):
    w = live_world
    earlier = submit(w, text="平江县某化工厂夜间偷排废水，河水发黑发臭，下游鱼塘死鱼")
    login(page, "inspector")
    page.goto(f"{page.base_url}/complaints/new/")
    page.select_option("#id_campaign", w.campaign.code)
    page.fill("#id_text", "平江县某化工厂夜间偷排废水，河水发黑发臭，下游鱼塘死鱼很多")
    page.wait_for_selector("#similar-hint .similar", timeout=10000)
    hint = page.inner_text("#similar-hint")
    assert earlier.receipt_code in hint
    assert "王小明" not in hint
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "staff-entry-hint.png"), full_page=True)
    # Still registrable: the hint does not block the form.
    assert page.locator("form.form button[type=submit].primary").is_enabled()
