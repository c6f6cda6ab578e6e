"""Issue 12 point 2: where a report goes before submitting, the tracking steps, the receipt as a file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.complaints import actions, routing
from inspectorate.complaints.models import Complaint, ComplaintStatus
from inspectorate.orgs.models import OrgUnit
from inspectorate.testing.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

URL = "/public/report/hn-2-yueyang/jurisdiction/"
MILUO_PIN = {"lat": "28.80", "lon": "113.10"}  # inside the 汨罗市 box below
PINGJIANG_PIN = {"lat": "28.70", "lon": "113.60"}  # inside 平江县


def _box(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def open_world(world):
    today = timezone.localdate()
    world.campaign.stationing_start = today - dt.timedelta(days=3)
    world.campaign.stationing_end = today + dt.timedelta(days=20)
    world.campaign.save()
    city = OrgUnit.objects.get(code="430600")
    pingjiang = OrgUnit.objects.get(code="430626")
    pingjiang.boundary = _box(113.3, 28.4, 114.0, 29.1)
    pingjiang.save()
    miluo = _box(112.9, 28.6, 113.3, 29.0)
    OrgUnitFactory(parent=city, unit_type="county", code="430681", name_zh="汨罗市", name_en="Miluo", boundary=miluo)
    OrgUnitFactory(parent=pingjiang, unit_type="township", code="430626101", name_zh="三市镇", name_en="Sanshi")
    routing.forget_units()
    return world


def _hint(**data):
    r = Client().post(URL, data)
    assert r.status_code == 200
    return r.content.decode()


def test_pin_and_address_agree(open_world):
    body = _hint(address="平江县三市镇", **PINGJIANG_PIN)
    assert "平江县" in body and 'name="location_choice"' not in body
    assert str(open_world.campaign.team) in body  # the inspection team is named


def test_address_only_names_county_and_township(open_world):
    body = _hint(address="岳阳市平江县三市镇某村")
    assert "岳阳市 › 平江县 › 三市镇" in body


def test_pin_and_address_disagree_asks_which(open_world):
    body = _hint(address="平江县三市镇", **MILUO_PIN)
    assert 'name="location_choice"' in body and 'value="pin"' in body and 'value="address"' in body
    assert "汨罗市" in body and "三市镇" in body
    # The choice made survives a refresh of the hint.
    body = _hint(address="平江县三市镇", location_choice="address", **MILUO_PIN)
    assert 'value="address" checked' in body


def test_pin_outside_any_jurisdiction(open_world):
    body = _hint(lat="39.9", lon="116.4")
    assert "outside" in body or "范围" in body
    assert 'name="location_choice"' not in body


@pytest.mark.parametrize(
    "data",
    [
        {"lat": "abc", "lon": "113"},
        {"lat": "95", "lon": "113"},
        {"lat": "nan", "lon": "inf"},
        {"lat": "28.7"},
        {"address": "平江\x00县" * 200},
        {"location_choice": "<script>"},
    ],
)
def test_bad_input_gets_a_clear_answer(open_world, data):
    r = Client().post(URL, data)
    assert r.status_code == 200
    assert "<script>" not in r.content.decode()


def test_endpoint_is_public_and_only_for_open_campaigns(open_world):
    assert Client().get(URL, {"address": "平江县"}).status_code == 200  # anonymous, GET works too
    from inspectorate.campaigns.models import Campaign

    Campaign.objects.filter(code="hn-2-changde").update(
        stationing_start=timezone.localdate() - dt.timedelta(days=60), stationing_end=timezone.localdate() - dt.timedelta(days=30)
    )
    assert Client().post("/public/report/hn-2-changde/jurisdiction/", {"address": "平江县"}).status_code == 404
    assert Client().post("/public/report/nope/jurisdiction/", {}).status_code == 404


def _submit(client, **extra):
    data = {"text": "平江县三市镇某化工厂夜间偷排废水，河水发黑发臭", "address": "平江县三市镇"}
    data.update(extra)
    return client.post("/public/report/hn-2-yueyang/", data)


def test_choice_is_submitted_with_the_form(open_world):
    client = Client()
    assert _submit(client, location_choice="address", **MILUO_PIN).status_code == 302
    c = Complaint.objects.get()
    assert c.jurisdiction.name_zh == "三市镇" and c.route_method == "address"
    assert c.extra["location_choice"] == "address" and c.extra["pin_not_used"]
    assert c.lat is None
    Complaint.objects.all().delete()
    assert _submit(client, location_choice="pin", **MILUO_PIN).status_code == 302
    c = Complaint.objects.get()
    assert c.jurisdiction.name_zh == "汨罗市" and c.extra["location_choice"] == "pin"


# --- tracking steps ---------------------------------------------------------------------------------------------


def _track(c):
    r = Client().post("/public/track/", {"receipt_code": c.receipt_code, "secret": c.tracking_secret})
    assert r.status_code == 200
    return r.content.decode()


def _steps(body):
    import re

    ol = body.split('<ol class="steps"')[1].split("</ol>")[0]
    items = re.findall(r'<li class="([^"]*)"([^>]*)data-step="(\w+)"', ol)
    reached = [k for cls, _a, k in items if "reached" in cls]
    current = [k for _c, attrs, k in items if 'aria-current="step"' in attrs]
    return [k for _c, _a, k in items], reached, current


def _received(world):
    return actions.submit_complaint(
        campaign=world.campaign, channel="web", text="平江县三市镇某化工厂夜间偷排废水，河水发黑发臭", address="平江县三市镇"
    )


def test_steps_received_then_screened_then_transferred_handled_published(open_world):
    w = open_world
    c = _received(w)
    keys, reached, current = _steps(_track(c))
    assert keys == ["received", "screened", "transferred", "handled", "published"]
    assert reached == ["received"] and current == ["received"]

    case = actions.accept_complaint(c, actor=w.inspector)
    c.refresh_from_db()
    _k, reached, current = _steps(_track(c))
    assert reached == ["received", "screened"] and current == ["screened"]

    batch = actions.close_intake_day(w.campaign, c.intake_day, actor=w.inspector)
    actions.transfer_batch(batch, actor=w.team_leader)
    body = _track(c)
    _k, reached, current = _steps(body)
    assert current == ["transferred"]
    case.refresh_from_db()
    assert case.transferred_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in body

    case.refresh_from_db()
    actions.reply_case(case, actor=w.admin, summary="经查属实，已责令整改", verdict="true", status="closed", measures="停产整改")
    _k, reached, current = _steps(_track(c))
    assert current == ["handled"]

    actions.review_case(case, actor=w.inspector, accept=True)
    actions.publish_batch(batch, actor=w.team_leader)
    _k, reached, current = _steps(_track(c))
    assert reached == ["received", "screened", "transferred", "handled", "published"] and current == ["published"]


@pytest.mark.parametrize("status", [ComplaintStatus.INVALID, ComplaintStatus.DUPLICATE])
def test_steps_stop_at_screening_when_not_accepted(open_world, status):
    c = _received(open_world)
    Complaint.objects.filter(pk=c.pk).update(status=status, screened_at=timezone.now())
    body = _track(c)
    _k, reached, current = _steps(body)
    assert reached == ["received", "screened"] and current == ["screened"]
    assert ("未受理" if status == ComplaintStatus.INVALID else "合并") in body


# --- receipt ----------------------------------------------------------------------------------------------------


def test_receipt_page_offers_copy_print_and_download(open_world):
    client = Client()
    r = _submit(client)
    body = client.get(r["Location"]).content.decode()
    assert 'id="receipt-copy"' in body and 'id="receipt-print"' in body and "receipt-print.css" in body
    assert 'value="svg"' in body and 'value="txt"' in body
    assert " on" + "click=" not in body and "<script>" not in body


@pytest.mark.parametrize(("fmt", "kind"), [("txt", "text/plain"), ("svg", "image/svg+xml")])
def test_receipt_download(open_world, fmt, kind):
    c = _received(open_world)
    r = Client().post("/public/receipt/download/", {"receipt_code": c.receipt_code, "secret": c.tracking_secret, "format": fmt})
    assert r.status_code == 200 and r["Content-Type"].startswith(kind)
    assert r["Content-Disposition"] == f'attachment; filename="receipt-{c.receipt_code}.{fmt}"'
    body = r.content.decode()
    assert c.receipt_code in body and c.tracking_secret in body and "/public/track/" in body
    assert "偷排废水" not in body  # never the complaint's text
    if fmt == "svg":
        assert body.startswith("<?xml") and body.rstrip().endswith("</svg>") and "<script" not in body


def test_receipt_download_needs_the_secret(open_world):
    c = _received(open_world)
    client = Client()
    assert client.post("/public/receipt/download/", {"receipt_code": c.receipt_code, "secret": "WRONG1"}).status_code == 404
    assert client.get("/public/receipt/download/").status_code == 405


def test_receipt_download_counts_wrong_secrets_like_tracking(open_world, settings):
    settings.TRACKING_MAX_FAILURES_PER_CODE = 2
    c = _received(open_world)
    client = Client()
    for _i in range(2):
        assert client.post("/public/receipt/download/", {"receipt_code": c.receipt_code, "secret": "WRONG1"}).status_code == 404
    right = {"receipt_code": c.receipt_code, "secret": c.tracking_secret}
    assert client.post("/public/receipt/download/", right).status_code == 429
