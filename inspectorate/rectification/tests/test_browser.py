"""The ledger and the sign-off path in a real browser: apply → verify → sign → notice, then the public objection form."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import login
from inspectorate.testing.clock import future_year, stay_day

FY = future_year()  # a year still to come, whatever the clock says
pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "screenshots"


@pytest.fixture
def live_rect(transactional_db):  # type: ignore[no-untyped-def]
    from inspectorate.testing.cast import World

    from .conftest import build

    return build(World.build())


def _as(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    login(page, username)


def test_sign_off_flow_in_the_browser(page, live_rect):
    from inspectorate.rectification.models import SignOffStep, Task

    from .test_signoff import ready

    rect = live_rect
    task = ready(rect, rect.task())
    other = rect.task()
    SHOTS.mkdir(exist_ok=True)

    _as(page, "handler_a")
    page.goto(f"{page.base_url}/rectification/?campaign={rect.w.campaign.code}")
    assert page.locator("#ledger tbody tr").count() == 2
    page.click(f"#ledger a:text('{task.number}')")
    page.wait_for_load_state("networkidle")
    # Applying for the other task is refused with a reason (measures not done).
    page.goto(f"{page.base_url}/rectification/tasks/{other.pk}/")
    page.click("#form-apply button")
    page.wait_for_load_state("networkidle")
    assert "Measures not yet done" in page.content() or "尚未完成的措施" in page.content()
    page.goto(f"{page.base_url}/rectification/tasks/{task.pk}/")
    page.click("#form-apply button")
    page.wait_for_load_state("networkidle")
    assert Task.objects.get(pk=task.pk).signoff_step == SignOffStep.ACCEPTANCE_REQUESTED

    _as(page, "acceptor")
    page.goto(f"{page.base_url}/rectification/tasks/{task.pk}/")
    page.fill("#form-verify textarea[name=conclusion]", "现场核查：粪污处理设施运行正常，直排口已封堵。")
    page.click("#form-verify button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#form-sign").count() == 1

    _as(page, "acceptor2")
    page.goto(f"{page.base_url}/rectification/tasks/{task.pk}/")
    page.click("#form-sign button")
    page.wait_for_load_state("networkidle")

    _as(page, "liaison_a")
    page.goto(f"{page.base_url}/rectification/tasks/{task.pk}/")
    page.click("#form-notice button")
    page.wait_for_load_state("networkidle")
    task.refresh_from_db()
    assert task.signoff_step == SignOffStep.UNDER_NOTICE and task.notice_days == 5
    assert page.locator(".timeline li").count() >= 5
    page.screenshot(path=str(SHOTS / "rectification-task-signoff.png"), full_page=True)

    page.context.clear_cookies()
    page.goto(f"{page.base_url}/rectification/public/notices/{task.pk}/")
    page.fill("#obj-text", "养殖场夜间仍有异味")
    page.click("#objection-form button")
    page.wait_for_load_state("networkidle")
    assert task.objections.count() == 1


def test_task_form_in_the_browser(page, live_rect):
    """A new ledger task with measures: a validation error in Chinese, more rows, then a save through the action."""
    from inspectorate.rectification.models import Task

    rect = live_rect
    SHOTS.mkdir(exist_ok=True)
    page.set_extra_http_headers({"Accept-Language": "zh-hans"})
    _as(page, "liaison_a")
    page.goto(f"{page.base_url}/rectification/tasks/new/?problem={rect.problem.pk}")
    page.fill("#id_number", "1.9")
    page.fill("#id_goal", "完成平江县规模养殖场粪污治理设施配套")
    page.select_option("#id_lead_leader", str(rect.leader.pk))
    page.select_option("#id_lead_unit", str(rect.w.county_a.pk))
    page.select_option("#id_implementing_units", [str(rect.w.county_a.pk)])
    page.select_option("#id_acceptance_unit", str(rect.w.city_a.pk))
    page.fill("#id_start_date", f"{FY}-01-01")
    page.fill("input[name=m-0-number]", "1")
    page.fill("textarea[name=m-0-text]", "摸清养殖场底数")
    page.fill("input[name=m-0-milestone]", f"{FY}-03-31")
    page.click("button[name=add_row]")  # no deadline yet: more rows, nothing saved, typed values kept
    page.wait_for_load_state("networkidle")
    assert page.locator("textarea[name=m-2-text]").count() == 1
    assert page.input_value("textarea[name=m-0-text]") == "摸清养殖场底数"
    page.fill("input[name=m-1-number]", "2")
    page.fill("textarea[name=m-1-text]", "配套建设粪污处理设施")
    page.fill("input[name=m-1-milestone]", f"{FY}-09-30")
    page.click("#task-form button.primary")
    page.wait_for_load_state("networkidle")
    assert "除长期任务外，任务须有完成时限。" in page.content()
    page.screenshot(path=str(SHOTS / "rectification-task-form-error.png"), full_page=True)
    page.fill("#id_deadline", f"{FY}-12-31")
    page.click("#task-form button.primary")
    page.wait_for_load_state("networkidle")
    t = Task.objects.get(number="1.9")
    assert [m.number for m in t.measures.all()] == [1, 2] and "/rectification/tasks/" in page.url
    page.screenshot(path=str(SHOTS / "rectification-task-after-form.png"), full_page=True)


def test_case_picker_fills_from_the_server(page, live_rect):
    """HTMX fills the datalist with cases the user can see; saving links the problem to its case."""

    from inspectorate.complaints.models import Case, Channel
    from inspectorate.rectification.models import Problem

    rect = live_rect
    w = rect.w
    for number, unit in (("YY-0301", w.county_a), ("YY-0302", w.city_b)):
        Case.objects.create(
            campaign=w.campaign, number=number, channel=Channel.PHONE, summary="养殖场废水", lead_unit=unit,
            intake_day=stay_day(3),
        )  # fmt: skip
    _as(page, "liaison_a")
    page.goto(f"{page.base_url}/rectification/problems/new/")
    page.select_option("#id_campaign", str(w.campaign.pk))
    page.fill("#id_number", "12")
    page.fill("#id_title", "养殖场废水直排")
    page.select_option("#id_unit", str(w.county_a.pk))
    page.select_option("#id_source", "complaint_case")
    page.locator("#id_case").press_sequentially("YY-03", delay=30)
    page.wait_for_function("() => document.querySelectorAll('#case-options option').length > 0")
    values = page.eval_on_selector_all("#case-options option", "os => os.map(o => o.value)")
    assert values == ["YY-0301"]  # the city_b case is not offered
    page.fill("#id_case", "YY-0301")
    page.click("#rect-form button.primary")
    page.wait_for_load_state("networkidle")
    assert Problem.objects.get(number="12").origin_case.number == "YY-0301"
