"""The public tracking page slows guessing down (issue 8, point 8): wrong secrets are counted per client address and
per receipt code in the database; past the limit every try answers 429 (in the reader's language) until the window
has passed, then a correct secret works again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.complaints.actions import submit_complaint
from inspectorate.core.models import ThrottleHit

pytestmark = pytest.mark.django_db


def _complaint(world, text="平江县某化工厂夜间偷排废水，河水发黑发臭"):
    today = timezone.localdate()
    if not world.campaign.stationing_start <= today <= world.campaign.stationing_end:
        world.campaign.stationing_start = today - dt.timedelta(days=3)
        world.campaign.stationing_end = today + dt.timedelta(days=20)
        world.campaign.save()
    return submit_complaint(
        campaign=world.campaign,
        channel="phone",
        text=text,
        received_at=timezone.now(),
        address="岳阳市平江县某镇",
        actor=world.inspector,
    )


def _track(client, code, secret):
    return client.post("/public/track/", {"receipt_code": code, "secret": secret})


def _age_all_hits(minutes):
    ThrottleHit.objects.update(at=timezone.now() - dt.timedelta(minutes=minutes))


def test_wrong_secrets_from_one_address_are_throttled(world, settings):
    settings.TRACKING_MAX_FAILURES_PER_ADDRESS = 10
    settings.TRACKING_MAX_FAILURES_PER_CODE = 1000
    c = _complaint(world)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="198.51.100.7")
    codes = []
    for i in range(40):
        codes.append(_track(client, c.receipt_code, f"WRONG{i:02d}").status_code)
    assert codes[:10] == [200] * 10 and set(codes[10:]) == {429}
    # Refused even with the right secret while throttled (guessing learns nothing), with a clear message.
    r = _track(client, c.receipt_code, c.tracking_secret)
    assert r.status_code == 429 and "Too many wrong receipt codes or secrets" in r.content.decode()
    assert c.receipt_code not in r.content.decode().split("</h1>")[1].split("<form")[0]
    r = _track(Client(HTTP_ACCEPT_LANGUAGE="zh-hans", REMOTE_ADDR="198.51.100.7"), c.receipt_code, c.tracking_secret)
    assert r.status_code == 429 and "错误次数过多" in r.content.decode()
    # Only the first ten were counted: the throttle does not grow while it refuses.
    assert ThrottleHit.objects.filter(scope="track-address").count() == 10
    # Another address is not affected (the per-code limit is high here).
    other = _track(Client(REMOTE_ADDR="198.51.100.8"), c.receipt_code, c.tracking_secret)
    assert other.status_code == 200 and c.receipt_code in other.content.decode()
    # After the window the right secret works again from the first address.
    _age_all_hits(settings.TRACKING_WINDOW_MINUTES + 1)
    r = _track(client, c.receipt_code, c.tracking_secret)
    assert r.status_code == 200 and "public-status" in r.content.decode()


def test_wrong_secrets_for_one_receipt_code_are_throttled_across_addresses(world, settings):
    settings.TRACKING_MAX_FAILURES_PER_ADDRESS = 1000
    settings.TRACKING_MAX_FAILURES_PER_CODE = 5
    c = _complaint(world)
    other = _complaint(world, text="平江县某养殖场粪污直排入河，臭味很大")
    for i in range(5):
        assert _track(Client(REMOTE_ADDR=f"203.0.113.{i}"), c.receipt_code, f"WRONG{i}").status_code == 200
    assert _track(Client(REMOTE_ADDR="203.0.113.99"), c.receipt_code.lower(), c.tracking_secret).status_code == 429
    # Another receipt code from the same addresses still works.
    r = _track(Client(REMOTE_ADDR="203.0.113.0"), other.receipt_code, other.tracking_secret)
    assert r.status_code == 200 and other.receipt_code in r.content.decode()
    _age_all_hits(settings.TRACKING_WINDOW_MINUTES + 1)
    assert _track(Client(REMOTE_ADDR="203.0.113.99"), c.receipt_code, c.tracking_secret).status_code == 200


def test_rating_door_counts_and_refuses_too(world, settings):
    settings.TRACKING_MAX_FAILURES_PER_ADDRESS = 3
    c = _complaint(world)
    client = Client(REMOTE_ADDR="192.0.2.5")
    for i in range(3):
        r = client.post("/public/track/rate/", {"receipt_code": c.receipt_code, "secret": f"BAD{i}", "score": "satisfied"})
        assert r.status_code == 302
    r = client.post("/public/track/rate/", {"receipt_code": c.receipt_code, "secret": c.tracking_secret, "score": "satisfied"})
    assert r.status_code == 429
    assert _track(client, c.receipt_code, c.tracking_secret).status_code == 429


def test_right_secrets_are_not_counted(world, settings):
    settings.TRACKING_MAX_FAILURES_PER_ADDRESS = 2
    c = _complaint(world)
    client = Client(REMOTE_ADDR="192.0.2.6")
    for _ in range(10):
        assert _track(client, c.receipt_code, c.tracking_secret).status_code == 200
    assert not ThrottleHit.objects.exists()
