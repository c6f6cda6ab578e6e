"""E-mail alerts: ask, confirm from the e-mail, receive what is new once, leave; bad input and failing mail."""

from __future__ import annotations

import datetime as dt
import re
import socket

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints import actions
from inspectorate.core import scheduler
from inspectorate.portal import alerts
from inspectorate.portal.models import Alert

from .test_landing import _batch
from .test_landing import open_world as open_world  # the fixture

pytestmark = pytest.mark.django_db


def _ask(client: Client, email: str, **extra: str) -> object:
    data = {"email": email, "results": "on", "notices": "on", **extra}
    return client.post("/public/alerts/", data)


def _token(message: mail.EmailMessage, kind: str) -> str:
    m = re.search(rf"/public/alerts/{kind}/([\w-]+)/", message.body)
    assert m, message.body
    return m.group(1)


def test_ask_confirm_receive_once_and_leave(open_world):
    w = open_world
    anon = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert anon.get("/public/alerts/").status_code == 200
    early, _c = _batch(w, "平江县某化工厂夜间偷排废水，河水发黑发臭")
    actions.publish_batch(early, actor=w.team_leader)  # published before the alert starts: never sent

    r = _ask(anon, "Resident@Example.cn", campaign=str(w.campaign.pk))
    assert r.status_code == 200 and "请查收" in r.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["resident@example.cn"]
    assert "确认" in mail.outbox[0].subject
    token = _token(mail.outbox[0], "confirm")
    alert = Alert.objects.get()
    assert not alert.active and alert.email == "resident@example.cn" and "resident" not in alert.email_hash

    assert anon.get(f"/public/alerts/confirm/{token}/").status_code == 200  # opening the link changes nothing
    alert.refresh_from_db()
    assert not alert.active
    assert anon.post(f"/public/alerts/confirm/{token}/").status_code == 200
    alert.refresh_from_db()
    assert alert.active
    assert alerts.send_digests() == {"alerts": 1, "emails": 0, "items": 0}

    batch, _case = _batch(w, "汨罗市某砖厂粉尘污染严重")
    table = actions.publish_batch(batch, actor=w.team_leader)
    later = timezone.now() + dt.timedelta(minutes=1)
    mail.outbox.clear()
    assert alerts.send_digests(now=later) == {"alerts": 1, "emails": 1, "items": 1}
    digest = mail.outbox[0]
    assert f"/public/results/{table.pk}/" in digest.body and f"/public/results/{early.pk}/" not in digest.body
    assert "/public/alerts/leave/" in digest.extra_headers["List-Unsubscribe"]
    assert alerts.send_digests(now=later + dt.timedelta(hours=1))["emails"] == 0  # nothing twice

    leave = _token(digest, "leave")
    assert anon.post(f"/public/alerts/leave/{leave}/").status_code == 200
    alert.refresh_from_db()
    assert not alert.active
    b3, _c3 = _batch(w, "岳阳县某养殖场粪污直排")
    actions.publish_batch(b3, actor=w.team_leader)
    mail.outbox.clear()
    assert alerts.send_digests(now=later + dt.timedelta(hours=2))["emails"] == 0 and not mail.outbox
    verbs = set(AuditEvent.objects.filter(object_type="portal.alert").values_list("verb", flat=True))
    assert verbs == {"alert.subscribe", "alert.confirm", "alert.unsubscribe"}
    assert Client().get("/public/alerts/confirm/not-a-token/").status_code == 404


def test_the_scheduler_sends_once_a_day(open_world):
    w = open_world
    alert, _sent = alerts.subscribe("a@example.cn", campaign=None, region=None, results=True, notices=False, language="en")
    alerts.confirm(alert, now=timezone.now() - dt.timedelta(hours=1))
    batch, _case = _batch(w, "平江县某化工厂夜间偷排废水")
    actions.publish_batch(batch, actor=w.team_leader)
    mail.outbox.clear()
    local = timezone.localtime()
    at = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(9, 0)))
    runs = scheduler.run_due(now=at, only=["portal_alerts"])
    assert [r.summary for r in runs] == [{"alerts": 1, "emails": 1, "items": 1}]
    assert mail.outbox[0].subject.startswith("New on the inspection portal")  # the alert's language
    assert scheduler.run_due(now=at + dt.timedelta(hours=1), only=["portal_alerts"]) == []
    assert len(mail.outbox) == 1


def test_an_area_alert_hears_only_of_its_area(open_world):
    w = open_world
    kinds = {"results": True, "notices": True, "language": "zh-hans", "campaign": None}
    inside, _s = alerts.subscribe("in@example.cn", region=w.city_a, **kinds)  # type: ignore[arg-type]
    outside, _s = alerts.subscribe("out@example.cn", region=w.city_b, **kinds)  # type: ignore[arg-type]
    for a in (inside, outside):
        alerts.confirm(a, now=timezone.now() - dt.timedelta(minutes=5))
    batch, case = _batch(w, "平江县某化工厂夜间偷排废水")  # a case in city_a's county
    assert case.region is not None and case.region.path.startswith(w.city_a.path)
    actions.publish_batch(batch, actor=w.team_leader)
    mail.outbox.clear()
    assert alerts.send_digests(now=timezone.now() + dt.timedelta(minutes=1))["emails"] == 1
    assert mail.outbox[0].to == ["in@example.cn"]


def test_closures_under_notice_arrive_the_day_after_the_notice_starts(world):
    from inspectorate.rectification.models import SignOffStep
    from inspectorate.rectification.tests.conftest import build
    from inspectorate.rectification.tests.test_api import at

    alert, _s = alerts.subscribe("n@example.cn", campaign=None, region=None, results=False, notices=True, language="zh-hans")
    alerts.confirm(alert, now=timezone.now() - dt.timedelta(minutes=5))
    task = at(build(world), SignOffStep.UNDER_NOTICE)
    assert task.notice_start is not None
    mail.outbox.clear()
    same_day = timezone.make_aware(dt.datetime.combine(task.notice_start, dt.time(23, 0)))
    assert alerts.send_digests(now=same_day)["emails"] == 0
    next_day = same_day + dt.timedelta(hours=10)
    assert alerts.send_digests(now=next_day)["emails"] == 1
    assert f"/rectification/public/notices/{task.pk}/" in mail.outbox[0].body
    assert alerts.send_digests(now=next_day + dt.timedelta(days=1))["emails"] == 0


def test_asking_again_updates_the_same_alert(open_world):
    anon = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _ask(anon, "x@example.cn").status_code == 200
    assert _ask(anon, "X@Example.cn ", notices="").status_code == 200  # a retry, a different case: the same alert
    assert Alert.objects.count() == 1 and len(mail.outbox) == 2
    alert = Alert.objects.get()
    assert not alert.notices
    alerts.confirm(alert)
    r = _ask(anon, "x@example.cn")
    assert "already active" in r.content.decode() and len(mail.outbox) == 2
    assert _ask(anon, "x@example.cn", campaign=str(open_world.campaign.pk)).status_code == 200
    assert Alert.objects.count() == 2  # another area is another alert


@pytest.mark.parametrize(
    ("lang", "email", "extra", "words"),
    [
        ("zh-hans", "not-an-address", {}, "合法的邮件地址"),
        ("en", "not-an-address", {}, "valid email"),
        ("zh-hans", "a@example.cn", {"results": "", "notices": ""}, "至少选择一种"),
        ("en", "a@example.cn", {"results": "", "notices": ""}, "at least one kind"),
        ("en", "a@example.cn", {"campaign": "00000000-0000-0000-0000-000000000000"}, "Select a valid choice"),
    ],
)
def test_bad_requests_are_explained_and_save_nothing(open_world, lang, email, extra, words):
    r = _ask(Client(HTTP_ACCEPT_LANGUAGE=lang), email, **extra)
    assert r.status_code == 400 and words in r.content.decode()
    assert not Alert.objects.exists() and not mail.outbox


def test_too_many_requests_from_one_address(open_world):
    anon = Client()
    for i in range(10):
        assert _ask(anon, f"p{i}@example.cn").status_code == 200
    r = _ask(anon, "p10@example.cn")
    assert r.status_code == 429 and Alert.objects.count() == 10


def test_mail_server_down_keeps_nothing(open_world, settings):
    with socket.socket() as s:  # a port nobody listens on: a real refused connection
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    r = _ask(Client(HTTP_ACCEPT_LANGUAGE="en"), "a@example.cn")
    assert r.status_code == 503 and "could not be sent" in r.content.decode()
    assert not Alert.objects.exists() and not AuditEvent.objects.filter(object_type="portal.alert").exists()
