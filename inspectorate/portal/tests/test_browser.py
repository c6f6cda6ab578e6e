"""The public report form in a real browser: similar-report hint, map pin, receipt, tracking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def test_public_form_hint_pin_and_receipt(page, live_world):
    from inspectorate.complaints import actions
    from inspectorate.complaints.models import Complaint

    w = live_world
    today = timezone.localdate()
    w.campaign.stationing_start = today - dt.timedelta(days=3)
    w.campaign.stationing_end = today + dt.timedelta(days=20)
    w.campaign.save()
    earlier = actions.submit_complaint(
        campaign=w.campaign,
        channel="phone",
        text="平江县某化工厂夜间偷排废水，河水发黑发臭，下游鱼塘死鱼",
        address="岳阳市平江县城关镇",
        actor=w.inspector,
        received_at=timezone.now() - dt.timedelta(hours=5),
    )
    actions.accept_complaint(earlier, actor=w.inspector, is_key=True)
    SHOTS.mkdir(exist_ok=True)
    page.goto(page.base_url + "/public/report/hn-2-yueyang/")
    page.fill("#id_text", "平江县某化工厂夜间偷排废水，河水发黑发臭，下游鱼塘死鱼很多")
    page.wait_for_selector("#similar-hint .similar", timeout=10000)
    assert "D2HN" in page.inner_text("#similar-hint")
    page.click("#map", position={"x": 300, "y": 160})
    assert page.input_value("#id_lat") != ""
    page.fill("#id_address", "岳阳市平江县城关镇")
    page.fill("#id_reporter_name", "浏览器测试人")
    page.screenshot(path=str(SHOTS / "public-form.png"), full_page=True)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").strip()
    secret = page.inner_text("#tracking-secret").strip()
    page.screenshot(path=str(SHOTS / "public-receipt.png"), full_page=True)
    c = Complaint.objects.get(receipt_code=code)
    assert c.channel == "web" and c.lat is not None and c.reporter_name == "浏览器测试人"
    page.goto(page.base_url + "/public/track/")
    page.fill("#id_receipt_code", code)
    page.fill("#id_secret", secret)
    page.click("form button[type=submit].primary")
    page.wait_for_selector("#public-status")
    assert "浏览器测试人" not in page.content()
