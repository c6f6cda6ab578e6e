"""The bilingual shell in a real browser: login, dashboard, campaign page, language switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import login

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def test_dashboard_and_campaign_page_in_both_languages(page, live_world):
    world = live_world
    SHOTS.mkdir(exist_ok=True)
    login(page, "liaison_a")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_text("权限内的督察").is_visible()
    page.screenshot(path=str(SHOTS / "dashboard-zh.png"), full_page=True)
    page.goto(f"{page.base_url}/campaigns/{world.campaign.pk}/")
    assert page.get_by_role("heading", name="湖南省第二生态环境保护督察组督察岳阳市").is_visible()
    assert page.get_by_text("进驻开始").first.is_visible()
    page.screenshot(path=str(SHOTS / "campaign-zh.png"), full_page=True)
    # Switch to English with the header buttons; the choice sticks across pages.
    page.click("form.lang button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Hunan 2nd team inspects Yueyang").is_visible()
    page.screenshot(path=str(SHOTS / "campaign-en.png"), full_page=True)
    page.goto(page.base_url + "/")
    assert page.get_by_text("Campaigns in scope").is_visible()
    page.screenshot(path=str(SHOTS / "dashboard-en.png"), full_page=True)
    # Out-of-scope campaign: 404, nothing leaks.
    resp = page.goto(f"{page.base_url}/campaigns/{world.other_campaign.pk}/")
    assert resp is not None and resp.status == 404


def test_wrong_password_then_login(page, live_world):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "liaison_a")
    page.fill("#id_password", "nope")
    page.click("button[type=submit].primary")
    assert page.locator(".errorlist, ul.errorlist").first.is_visible()
    login(page, "liaison_a")
    assert page.url.rstrip("/") == page.base_url.rstrip("/")


def test_list_filter_updates_in_place_with_htmx(page, live_world):
    login(page, "admin")
    page.goto(page.base_url + "/orgs/units/")
    assert page.get_by_role("link", name="常德市").is_visible()
    page.fill("input[name=q]", "平江")
    page.wait_for_function("() => !document.querySelector('#results').innerText.includes('常德市')")
    assert page.get_by_role("link", name="平江县").is_visible()
    assert "q=" in page.url  # the filter is in the address bar, so it can be shared or reloaded


def test_list_filters_fold_on_a_phone_and_the_account_menu_holds_the_account_pages(page, live_world):
    login(page, "inspector")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(page.base_url + "/complaints/cases/")
    assert page.locator("input[name=q]").is_visible()  # the search stays on the first screen
    assert not page.locator("select[name=status]").is_visible()
    page.get_by_text("更多筛选").click()
    assert page.locator("select[name=status]").is_visible()
    page.select_option("select[name=status]", index=1)
    page.click("form.listbar button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("select[name=status]").is_visible()  # a filter is set: the folded part stays open
    assert page.get_by_text("更多筛选（已设置）").is_visible()
    # On a laptop the filters are all shown and the menu keeps one line; the account pages sit under the user name.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(page.base_url + "/complaints/cases/")
    assert page.locator("select[name=status]").is_visible() and not page.get_by_text("更多筛选").is_visible()
    page.click("form.lang button[value=en]")  # English labels are the longer ones
    page.wait_for_load_state("load")
    heights = page.evaluate("() => [...document.querySelectorAll('.mainnav > a, .mainnav > details')].map(e => e.offsetTop)")
    assert len(set(heights)) == 1, heights
    assert not page.get_by_role("link", name="API tokens").is_visible()
    page.locator("summary.me").click()
    assert page.locator(".usermenu .navgroup-items a").first.is_visible()
