"""The checklist offline at 390 px: opened online, the network cut in the middle, the rest answered (a failed item
with a camera photo), the page reloaded without network (served by the service worker, answers and photo restored
from IndexedDB), then synced when the network returns. The first sync's answer is lost on the way back, so the phone
retries with the same Idempotency-Key: every answer and hidden danger exists exactly once. Then a conflict: a
colleague answered the same unit meanwhile; the inspector sees the server's answers and keeps or discards each."""

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


def _counts() -> tuple[int, int, int]:
    from inspectorate.hazards.models import Answer, ChecklistRun, HiddenDanger

    return ChecklistRun.objects.count(), Answer.objects.count(), HiddenDanger.objects.count()


def _open_online(page, insp) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/hazards/self-inspections/{insp.pk}/fill/")
    # The service worker is installed and has cached this page and its assets.
    page.wait_for_selector("#sync-status[data-ready='1']", state="attached", timeout=15000)
    assert page.locator("#sync-net").get_attribute("data-state") == "online"


def test_checklist_keeps_working_offline_and_syncs_once(page, live_tree):
    from inspectorate.hazards.models import Answer, ChecklistRun, HiddenDanger
    from inspectorate.hazards.tests.conftest import PNG

    tree = live_tree
    insp = tree.inspection()
    one, two, three = list(insp.checklist.items.all())
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "p1_officer")
    _open_online(page, insp)
    page.check(f"input[name='result_{one.pk}'][value='pass']")

    # The network goes in the middle of the checklist.
    page.context.set_offline(True)
    page.wait_for_selector("#sync-net[data-state='offline']")
    page.check(f"input[name='result_{two.pk}'][value='fail']")
    page.fill(f"#note-{two.pk}", "废水排口有渗漏")
    page.set_input_files(f"#photo-{two.pk}", files=[{"name": "leak.png", "mimeType": "image/png", "buffer": PNG}])
    page.check(f"input[name='result_{three.pk}'][value='pass']")
    page.set_input_files(f"#photo-{three.pk}", files=[{"name": "screen.png", "mimeType": "image/png", "buffer": PNG}])
    page.wait_for_selector(f"#photo-kept-{three.pk}:not([hidden])")

    # Reloaded without network: the service worker serves the page, IndexedDB gives back the answers and photos.
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector(f"#photo-kept-{two.pk}:not([hidden])")
    assert page.is_checked(f"input[name='result_{one.pk}'][value='pass']")
    assert page.is_checked(f"input[name='result_{two.pk}'][value='fail']")
    assert page.input_value(f"#note-{two.pk}") == "废水排口有渗漏"
    assert "leak.png" in page.inner_text(f"#photo-kept-{two.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("#fill-form button[type=submit]")
    page.wait_for_selector("#sync-waiting[data-count='3']")
    assert "3" in page.inner_text("#sync-waiting") and page.locator("#sync-message").is_visible()
    page.screenshot(path=str(SHOTS / "hazards-checklist-offline-390-zh.png"), full_page=True)
    assert _counts() == (0, 0, 0)

    # The network returns; the first sync reaches the server but its answer is lost on the way back.
    sent: list[int] = []

    def lose_first_answer(route, request):  # type: ignore[no-untyped-def]
        if request.method != "POST":
            route.fallback()
            return
        if not sent:
            sent.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            response = route.fetch()
            sent.append(response.status)
            route.fulfill(response=response)

    page.context.route("**/sync/", lose_first_answer)
    page.context.set_offline(False)
    page.wait_for_selector("#sync-net[data-state='online']")
    # The sync ran and failed on the way back: the message says the answers stay on the phone.
    page.wait_for_selector("#sync-message:has-text('网络中断')")
    assert sent == [201]
    assert page.locator("#sync-waiting").get_attribute("data-count") == "3"  # still waiting on the phone
    run = ChecklistRun.objects.get()
    assert run.unit == tree.p1 and run.inspector == tree.u("p1_officer")
    assert sorted(a.item.position for a in run.answers.all()) == [1, 2, 3]
    assert _counts() == (1, 3, 1)
    danger = HiddenDanger.objects.get()
    assert danger.origin_answer.item == two and danger.evidence.count() == 1

    # The retry: the same key, the server answers the first run; nothing twice.
    page.click("#sync-now")
    page.wait_for_selector("#sync-waiting[data-count='0']", state="attached")
    assert sent == [201, 200]
    assert _counts() == (1, 3, 1)
    assert Answer.objects.filter(item=two, hidden_danger=danger).count() == 1
    assert "上次同步" in page.inner_text("#sync-last")
    assert page.locator("#sync-now").is_hidden()  # nothing left to send


def test_offline_answers_in_conflict_are_shown_and_chosen(page, live_tree):
    from inspectorate.hazards import actions
    from inspectorate.hazards.actions.selfcheck import Reply
    from inspectorate.hazards.models import ChecklistRun, HiddenDanger
    from inspectorate.hazards.tests.conftest import PNG

    tree = live_tree
    insp = tree.inspection()
    one, two, three = list(insp.checklist.items.all())
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "p1_officer")
    _open_online(page, insp)
    page.context.set_offline(True)
    page.wait_for_selector("#sync-net[data-state='offline']")
    page.check(f"input[name='result_{one.pk}'][value='fail']")
    page.fill(f"#note-{one.pk}", "布袋破损")
    page.set_input_files(f"#photo-{one.pk}", files=[{"name": "bag.png", "mimeType": "image/png", "buffer": PNG}])
    page.check(f"input[name='result_{two.pk}'][value='pass']")
    page.check(f"input[name='result_{three.pk}'][value='pass']")
    page.set_input_files(f"#photo-{three.pk}", files=[{"name": "screen.png", "mimeType": "image/png", "buffer": PNG}])
    page.wait_for_selector(f"#photo-kept-{three.pk}:not([hidden])")
    page.click("#fill-form button[type=submit]")
    page.wait_for_selector("#sync-waiting[data-count='3']")

    # Meanwhile a colleague with signal answers item 1 and 2 for the same mine (item 1 failed: a hidden danger).
    theirs = actions.submit_checklist(
        insp,
        actor=tree.u("p1_colleague"),
        unit=tree.p1,
        replies=[
            Reply(item=one, result="fail", note="除尘器压差异常", photo=("c.png", PNG)),
            Reply(item=two, result="pass"),
            Reply(item=three, result="pass", photo=("d.png", PNG)),
        ],
    )
    their_danger = HiddenDanger.objects.get()

    page.context.set_offline(False)
    page.wait_for_selector("#sync-conflicts:not([hidden])")
    assert page.locator("#sync-conflict-count").get_attribute("data-count") == "3"
    box = page.locator(f".conflict[data-item='{one.pk}']")
    text = box.inner_text()
    assert "p1_colleague" in text and their_danger.number in text and "除尘器压差异常" in text and "布袋破损" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "hazards-checklist-conflict-390-zh.png"), full_page=True)
    assert ChecklistRun.objects.count() == 1  # nothing of the phone's saved yet

    # Item 1: the colleague's danger stands (discard mine); items 2 and 3: keep mine. Then it is sent again.
    box.locator("button[data-choice='discard']").click()
    page.locator(f".conflict[data-item='{two.pk}'] button[data-choice='mine']").click()
    page.locator(f".conflict[data-item='{three.pk}'] button[data-choice='mine']").click()
    page.wait_for_selector("#sync-waiting[data-count='0']", state="attached")
    assert page.locator("#sync-conflicts").is_hidden()
    mine = ChecklistRun.objects.exclude(pk=theirs.pk).get()
    assert sorted(a.item.position for a in mine.answers.all()) == [2, 3]
    assert HiddenDanger.objects.count() == 1 and ChecklistRun.objects.count() == 2
