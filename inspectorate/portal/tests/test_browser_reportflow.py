"""The report flow on a 390 px phone: use my location, the pin and the address disagree and the reporter picks,
the receipt's copy and download, the tracking steps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def _box(west: float, south: float, east: float, north: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


def test_report_flow_at_390px(page, live_world):
    from inspectorate.complaints import routing
    from inspectorate.complaints.models import Complaint
    from inspectorate.orgs.models import OrgUnit
    from inspectorate.testing.factories import OrgUnitFactory

    w = live_world
    today = timezone.localdate()
    w.campaign.stationing_start = today - dt.timedelta(days=3)
    w.campaign.stationing_end = today + dt.timedelta(days=20)
    w.campaign.save()
    city = OrgUnit.objects.get(code="430600")
    city.boundary = _box(112.8, 28.3, 114.1, 29.6)
    city.save()
    pingjiang = OrgUnit.objects.get(code="430626")
    pingjiang.boundary = _box(113.3, 28.4, 114.0, 29.1)
    pingjiang.save()
    OrgUnitFactory(parent=city, unit_type="county", code="430681", name_zh="汨罗市", boundary=_box(112.9, 28.6, 113.3, 29.0))
    OrgUnitFactory(parent=pingjiang, unit_type="township", code="430626101", name_zh="三市镇")
    routing.forget_units()
    SHOTS.mkdir(exist_ok=True)

    page.context.grant_permissions(["geolocation", "clipboard-read", "clipboard-write"])
    page.context.set_geolocation({"latitude": 28.80, "longitude": 113.10})  # in 汨罗市
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/public/report/hn-2-yueyang/")
    assert "汨罗市" in page.inner_text("#map")  # the sub-units' names are drawn on their boundaries
    page.fill("#id_text", "三市镇某化工厂夜间偷排废水，河水发黑发臭，下游鱼塘死鱼很多")
    page.click("#use-location")
    page.wait_for_function("() => document.getElementById('id_lat').value !== ''")
    page.wait_for_selector("#jurisdiction-line", timeout=10000)
    assert "汨罗市" in page.inner_text("#jurisdiction-hint")
    page.fill("#id_address", "平江县三市镇")
    page.press("#id_address", "Tab")
    page.wait_for_selector("#jurisdiction-hint input[name=location_choice]", timeout=10000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "public-form-jurisdiction-390-zh.png"), full_page=True)
    page.check("#jurisdiction-hint input[value=address]")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").strip()
    secret = page.inner_text("#tracking-secret").strip()
    c = Complaint.objects.get(receipt_code=code)
    assert c.jurisdiction.name_zh == "三市镇" and c.extra["location_choice"] == "address"

    page.click("#receipt-copy")
    page.wait_for_function("() => document.getElementById('receipt-copy-status').textContent !== ''")
    assert code in page.evaluate("navigator.clipboard.readText()")
    assert page.is_visible("#receipt-print")
    with page.expect_download() as dl:
        page.click("#receipt-actions button[value=svg]")
    assert dl.value.suggested_filename == f"receipt-{code}.svg"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "public-receipt-390-zh.png"), full_page=True)

    page.goto(page.base_url + "/public/track/")
    page.fill("#id_receipt_code", code)
    page.fill("#id_secret", secret)
    page.click("form button[type=submit].primary")
    page.wait_for_selector("ol.steps")
    current = page.locator("ol.steps li[aria-current=step]")
    assert current.count() == 1 and "收到" in current.inner_text() and "当前环节" in current.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "public-track-steps-390-zh.png"), full_page=True)
