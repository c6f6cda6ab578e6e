from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.complaints import actions
from inspectorate.complaints.models import Complaint, Rating

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def open_world(world):
    today = timezone.localdate()
    world.campaign.stationing_start = today - dt.timedelta(days=3)
    world.campaign.stationing_end = today + dt.timedelta(days=20)
    world.campaign.save()
    return world


def _post(client, code, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "text": "岳阳楼区某饭店油烟直排，熏得居民无法开窗",
        "address": "岳阳市平江县城关镇",
        "reporter_name": "赵六",
        "reporter_phone": "13700001111",
    }
    data.update(extra)
    if "attachments" not in data:
        data["attachments"] = [SimpleUploadedFile("p.png", PNG, content_type="image/png")]
    return client.post(f"/public/report/{code}/", data)


def test_public_report_receipt_and_tracking(open_world):
    client = Client()
    assert client.get("/public/").status_code == 200
    assert client.get("/public/report/hn-2-yueyang/").status_code == 200
    r = _post(client, "hn-2-yueyang")
    assert r.status_code == 302, r.content[:2000]
    c = Complaint.objects.get()
    assert c.channel == "web" and c.reporter_phone == "13700001111" and c.attachments.count() == 1
    r = client.get(r["Location"])
    body = r.content.decode()
    assert c.receipt_code in body and c.tracking_secret in body
    # Shown once only.
    assert client.get("/public/receipt/").status_code == 302
    r = client.post("/public/track/", {"receipt_code": c.receipt_code, "secret": c.tracking_secret})
    body = r.content.decode()
    assert "being screened" in body or "正在" in body or "受理" in body
    assert "赵六" not in body and "13700001111" not in body and "油烟直排" not in body
    r = client.post("/public/track/", {"receipt_code": c.receipt_code, "secret": "WRONG1"})
    assert c.receipt_code not in r.content.decode().split("</h1>")[1].split("<form")[0]


def test_public_form_errors(open_world):
    client = Client()
    r = _post(client, "hn-2-yueyang", address="", text="污水")
    assert r.status_code == 200
    assert Complaint.objects.count() == 0
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = _post(client, "hn-2-yueyang", attachments=[SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="image/png")])
    assert r.status_code == 200 and Complaint.objects.count() == 0
    assert "x.exe" in r.content.decode()
    assert client.get("/public/report/hn-2-changde-closed/").status_code == 404


def test_anonymous_report(open_world):
    client = Client()
    r = _post(client, "hn-2-yueyang", anonymous="on")
    assert r.status_code == 302
    assert Complaint.objects.get().anonymous


def test_similar_hint(open_world):
    client = Client()
    _post(client, "hn-2-yueyang")
    r = client.post("/public/report/hn-2-yueyang/similar/", {"text": "岳阳楼区某饭店油烟直排，熏得居民无法开窗户"})
    body = r.content.decode()
    assert r.status_code == 200 and "similar" in body
    assert "赵六" not in body and "熏得居民" not in body


def test_published_table_and_rating(open_world):
    w = open_world
    client = Client()
    _post(client, "hn-2-yueyang")
    c = Complaint.objects.get()
    case = actions.accept_complaint(c, actor=w.inspector)
    batch = actions.close_intake_day(w.campaign, c.intake_day, actor=w.inspector)
    actions.transfer_batch(batch, actor=w.team_leader)
    case.refresh_from_db()
    actions.reply_case(
        case, actor=w.admin, summary="经查属实，已责令整改", verdict="true", status="closed", measures="安装油烟净化器"
    )
    actions.review_case(case, actor=w.inspector, accept=True)
    table = actions.publish_batch(batch, actor=w.team_leader)
    r = client.get("/public/results/")
    assert str(table.pk) in r.content.decode()
    r = client.get(f"/public/results/{table.pk}/")
    body = r.content.decode()
    assert case.number in body and "安装油烟净化器" in body and "赵六" not in body
    r = client.post("/public/track/", {"receipt_code": c.receipt_code, "secret": c.tracking_secret})
    assert "安装油烟净化器" in r.content.decode()
    r = client.post(
        "/public/track/rate/",
        {"receipt_code": c.receipt_code, "secret": c.tracking_secret, "score": "not_satisfied", "comment": "没改"},
    )
    assert r.status_code == 200
    assert Rating.objects.get().review_open
    case.refresh_from_db()
    assert case.under_review


def test_honeypot_and_rate_limit(open_world, monkeypatch):
    from django.core.cache import cache

    from inspectorate.portal import views

    cache.clear()
    client = Client()
    r = _post(client, "hn-2-yueyang", website="http://spam.example")
    assert r.status_code == 200 and Complaint.objects.count() == 0
    monkeypatch.setattr(views, "SUBMISSIONS_PER_HOUR", 2)
    assert _post(client, "hn-2-yueyang").status_code == 302
    assert _post(client, "hn-2-yueyang").status_code == 302
    r = _post(client, "hn-2-yueyang")
    assert r.status_code == 200 and Complaint.objects.count() == 2
    cache.clear()
