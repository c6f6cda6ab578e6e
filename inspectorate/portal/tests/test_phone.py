"""The public pages on a 390×844 phone and a 1280-wide screen, in Chinese and English (Playwright, Debian Chromium).

On the phone: the header stays under 120 px (the menu collapses behind a button), no page scrolls sideways, touch
targets are at least 44 px high, and no Chinese label or badge wraps one character per line. Screenshots go to
`screenshots/` (git-ignored).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "screenshots"
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}

HEADER_HEIGHT = "document.querySelector('header.topbar').getBoundingClientRect().height"
SCROLL_WIDTH = "document.documentElement.scrollWidth"
# Interactive elements a thumb must hit (inline links inside running text are exempt, as in WCAG 2.5.8).
TARGETS = (
    "button, .button, .menu-button, .mainnav a, .navgroup > summary, .tools a, ul.plain a, select, textarea,"
    " input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
)
SMALL_TARGETS = (
    "() => [...document.querySelectorAll('" + TARGETS + "')]"
    "  .filter(e => { const r = e.getBoundingClientRect();"
    "                 return r.width > 0 && r.height > 0 && r.right > 0 && !e.closest('[aria-hidden=true]'); })"
    "  .filter(e => e.getBoundingClientRect().height < 44)"
    "  .map(e => (e.innerText || e.name || e.id || e.tagName).trim().slice(0, 30))"
)
# A label of two or more characters squeezed to one character's width: the one-character-per-line wrap.
SQUEEZED = """() => [...document.querySelectorAll('label, .badge, button, .button, th, dt, .menu-button, .mainnav a, h1, h2, h3')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .filter(e => { const t = e.innerText.trim(); const fs = parseFloat(getComputedStyle(e).fontSize);
                 const r = e.getBoundingClientRect(); return t.length >= 2 && r.width < fs * 1.6 && r.height > fs * 2.5; })
  .map(e => e.innerText.trim().slice(0, 30))"""


def _world(w):  # type: ignore[no-untyped-def]
    from inspectorate.complaints import actions

    today = timezone.localdate()
    w.campaign.stationing_start = today - dt.timedelta(days=5)
    w.campaign.stationing_end = today + dt.timedelta(days=20)
    w.campaign.save()
    team = w.campaign.team
    team.hotline, team.po_box = "0730-12369", "岳阳市A001信箱"
    team.save()
    c = actions.submit_complaint(
        campaign=w.campaign,
        channel="phone",
        text="平江县某化工厂夜间偷排废水，河水发黑发臭",
        address="岳阳市平江县城关镇",
        actor=w.inspector,
    )
    case = actions.accept_complaint(c, actor=w.inspector, is_key=True)
    batch = actions.close_intake_day(w.campaign, case.intake_day, actor=w.inspector)
    actions.transfer_batch(batch, actor=w.team_leader)
    case.refresh_from_db()
    actions.reply_case(
        case,
        actor=w.admin,
        summary="经查属实",
        verdict="true",
        status="staged_closed",
        measures="已责令停产整改",
        next_step="完成管网改造",
        next_step_date=timezone.localdate() + dt.timedelta(days=60),
    )
    actions.review_case(case, actor=w.inspector, accept=True)
    actions.publish_batch(batch, actor=w.team_leader)
    _published_plan(w)
    return c


def _published_plan(w):  # type: ignore[no-untyped-def]
    """A published plan with two problems, so the campaign page shows progress bars."""
    from inspectorate.rectification import actions as ractions
    from inspectorate.rectification.models import Leader, Plan, Problem, Task

    leader = Leader.objects.create(name="平江县副县长", unit=w.county_a)
    for number, title, progress in (("1", "平江县养殖污染问题", 60), ("2", "汨罗江沿岸非法采砂问题", 25)):
        problem = Problem.objects.create(
            campaign=w.campaign, unit=w.county_a, number=number, title=title, source="provincial_feedback"
        )
        Task.objects.create(
            campaign=w.campaign,
            problem=problem,
            number=f"{number}.1",
            goal=f"{title}整改到位",
            lead_leader=leader,
            lead_unit=w.county_a,
            acceptance_unit=w.city_a,
            deadline=timezone.localdate() + dt.timedelta(days=200),
            progress=progress,
        )
    plan = ractions.create_plan(
        actor=w.liaison_a, campaign=w.campaign, target=w.city_a, title="岳阳市整改方案", public_summary="公开摘要"
    )
    for to, who in (
        ("internal_review", w.liaison_a),
        ("submitted", w.liaison_a),
        ("approved", w.team_leader),
        ("published", w.liaison_a),
    ):
        ractions.transition_plan(Plan.objects.get(pk=plan.pk), to, actor=who)


def _check_phone(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    header = page.evaluate(HEADER_HEIGHT)
    assert header < 120, f"{name}: the header is {header} px high"
    width = page.evaluate(SCROLL_WIDTH)
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide"
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{name}: touch targets under 44 px: {small}"
    squeezed = page.evaluate(SQUEEZED)
    assert not squeezed, f"{name}: labels wrapped one character per line: {squeezed}"


def test_public_pages_on_a_phone_and_a_wide_screen(page, live_world):
    w = live_world
    complaint = _world(w)
    SHOTS.mkdir(exist_ok=True)
    base = page.base_url
    page.set_viewport_size(PHONE)

    page.goto(base + "/")
    assert page.locator("a.report-button", has_text="我要举报").first.is_visible()
    assert not page.locator(".mainnav").is_visible()  # collapsed
    _check_phone(page, "phone-landing-zh")
    page.click("label.menu-button")
    assert page.locator(".mainnav a", has_text="查询举报办理情况").is_visible()
    page.screenshot(path=str(SHOTS / "phone-menu-open-zh.png"), full_page=True)
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"]
    assert not page.evaluate(SMALL_TARGETS)

    page.goto(f"{base}/public/report/{w.campaign.code}/")
    _check_phone(page, "phone-report-form-zh")

    page.goto(base + "/public/track/")
    _check_phone(page, "phone-track-zh")
    page.fill("#id_receipt_code", complaint.receipt_code)
    page.fill("#id_secret", complaint.tracking_secret)
    page.click("form button[type=submit].primary")
    page.wait_for_selector("#public-status")
    _check_phone(page, "phone-track-result-zh")

    page.goto(f"{base}/public/campaigns/{w.campaign.code}/")
    assert page.locator("[role=progressbar]").count() == 2
    _check_phone(page, "phone-campaign-zh")

    # English, switched with the header buttons behind the menu button.
    page.click("label.menu-button")
    page.click("form.lang button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    _check_phone(page, "phone-campaign-en")
    page.goto(base + "/")
    assert page.locator("a.report-button", has_text="Report pollution").first.is_visible()
    _check_phone(page, "phone-landing-en")
    page.goto(f"{base}/public/report/{w.campaign.code}/")
    _check_phone(page, "phone-report-form-en")

    # The wide screen: the menu is laid out in the header, no button.
    page.set_viewport_size(WIDE)
    page.goto(base + "/")
    assert page.locator(".mainnav").is_visible() and not page.locator("label.menu-button").is_visible()
    assert page.evaluate(SCROLL_WIDTH) <= WIDE["width"]
    page.screenshot(path=str(SHOTS / "wide-landing-en.png"), full_page=True)
    page.goto(f"{base}/public/campaigns/{w.campaign.code}/")
    page.screenshot(path=str(SHOTS / "wide-campaign-en.png"), full_page=True)
    page.click("form.lang button[value=zh-hans]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=str(SHOTS / "wide-campaign-zh.png"), full_page=True)
    page.goto(base + "/")
    assert page.locator("a.report-button").first.is_visible()
    page.screenshot(path=str(SHOTS / "wide-landing-zh.png"), full_page=True)
