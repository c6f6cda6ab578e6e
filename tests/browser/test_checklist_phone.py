"""An inspector fills the self-inspection checklist on a 390 px phone screen: a failed item without a photo is
refused (nothing saved), with the photo it becomes a hidden danger escalated to the level above."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import login

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def live_tree(transactional_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    from inspectorate.hazards.tests.conftest import build

    settings.MEDIA_ROOT = tmp_path / "media"
    return build()


def test_phone_checklist_at_390px(page, live_tree):
    from inspectorate.hazards.models import ChecklistRun, HiddenDanger
    from inspectorate.hazards.tests.conftest import PNG

    tree = live_tree
    insp = tree.inspection()
    items = list(insp.checklist.items.all())
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "p1_officer")
    page.goto(f"{page.base_url}/hazards/self-inspections/{insp.pk}/fill/")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(f"#photo-{items[0].pk}").get_attribute("capture") == "environment"
    for it in items:
        value = "fail" if it.position == 1 else "pass"
        page.check(f"input[name='result_{it.pk}'][value='{value}']")
    page.fill(f"#note-{items[0].pk}", "除尘器布袋破损，排口冒灰")
    page.screenshot(path=str(SHOTS / "hazards-checklist-390-zh.png"), full_page=True)
    page.click("#fill-form button[type=submit]")
    # The page script sends the checklist to the sync endpoint; the server's errors come back onto the page.
    page.wait_for_selector("#fill-errors:not([hidden]) li")
    errors = page.locator("#fill-errors")
    assert errors.is_visible()
    assert "第 1 项不合格：请拍摄现场照片。" in errors.inner_text() and "第 3 项无论结果如何都须附照片。" in errors.inner_text()
    assert ChecklistRun.objects.count() == 0 and HiddenDanger.objects.count() == 0
    # The answers and the note were kept; attach the photos and send again.
    assert page.is_checked(f"input[name='result_{items[0].pk}'][value='fail']")
    for it in (items[0], items[2]):
        page.set_input_files(f"#photo-{it.pk}", files=[{"name": f"p{it.position}.png", "mimeType": "image/png", "buffer": PNG}])
    page.check(f"input[name='major_{items[0].pk}']")
    page.screenshot(path=str(SHOTS / "hazards-checklist-390-errors-zh.png"), full_page=True)
    page.click("#fill-form button[type=submit]")
    page.wait_for_url(f"**/hazards/self-inspections/{insp.pk}/")
    page.wait_for_load_state("networkidle")
    danger = HiddenDanger.objects.get()
    assert danger.level == "major" and danger.supervising_unit == tree.s1
    assert page.locator(f"a:text('{danger.number}')").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The danger's page on the phone; then the list on a wide screen for the subsidiary that supervises it.
    page.click(f"a:text('{danger.number}')")
    page.wait_for_load_state("networkidle")
    assert "上报督办单位" in page.content()
    page.screenshot(path=str(SHOTS / "hazards-danger-390-zh.png"), full_page=True)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "s1_officer")
    page.goto(f"{page.base_url}/hazards/?escalated_to_me=true")
    assert page.locator("#dangers tbody tr").count() == 1
    page.screenshot(path=str(SHOTS / "hazards-escalated-1280-zh.png"), full_page=True)


def test_staff_menu_with_hidden_dangers_stays_on_one_line_at_1280(page, live_tree):
    from inspectorate.testing.factories import UserFactory

    UserFactory(username="root", is_superuser=True, is_staff=True)
    login(page, "root")
    page.goto(f"{page.base_url}/hazards/")
    entries = ".mainnav > a, .mainnav > details > summary"
    tops = page.evaluate(f"[...document.querySelectorAll('{entries}')].map(a => a.getBoundingClientRect().top)")
    assert len(set(tops)) == 1, tops
    # The enterprise pages sit in their menu group, marked as the current one; opening it shows 隐患.
    group = page.locator(".mainnav details", has_text="企业自管")
    assert "current" in (group.locator("summary").get_attribute("class") or "")
    group.locator("summary").click()
    link = group.locator("a", has_text="隐患")
    assert link.is_visible() and link.get_attribute("aria-current") == "page"
