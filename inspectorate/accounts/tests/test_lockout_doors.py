"""One lock-out for every login path (issue 8, point 8): failures at the login page lock the admin's login and
the other way round; the lock-out lives in the database, so every app process sees it."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from inspectorate.accounts.models import LoginFailure
from inspectorate.testing.cast import PASSWORD

pytestmark = pytest.mark.django_db


def _login(door: str, username: str, password: str, lang: str = "en") -> tuple[Client, int]:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    url = "/accounts/login/" if door == "page" else "/admin/login/"
    r = c.post(url, {"username": username, "password": password, "next": "/admin/"})
    return c, r.status_code


def _logged_in(c: Client) -> bool:
    return "_auth_user_id" in c.session


@pytest.mark.parametrize(("fail_at", "then_at"), [("page", "admin"), ("admin", "page"), ("admin", "admin")])
def test_lockout_holds_at_every_door(world, settings, fail_at, then_at):
    settings.LOGIN_MAX_FAILURES = 5
    for _ in range(5):
        c, code = _login(fail_at, "admin", "wrong-password")
        assert code == 200 and not _logged_in(c)
    # More wrong passwords and then the right one, at the other door: all refused, nothing more is counted.
    for _ in range(12):
        c, code = _login(then_at, "admin", "wrong-password")
        assert code == 200 and not _logged_in(c)
    c, code = _login(then_at, "admin", PASSWORD)
    assert code == 200 and not _logged_in(c)
    assert LoginFailure.objects.filter(username="admin").count() == 5


def test_admin_login_says_locked(world, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        _login("page", "admin", "wrong-password")
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    r = c.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert "Too many failed logins" in r.content.decode()
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    r = c.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()


def test_authenticate_itself_is_locked(world, settings):
    """Any code path calling django.contrib.auth.authenticate (future forms, API logins) gets the lock-out."""
    settings.LOGIN_MAX_FAILURES = 3
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert authenticate(request, username="liaison_a", password="nope") is None
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"203.0.113.9"}
    assert authenticate(request, username="liaison_a", password=PASSWORD) is None
    assert authenticate(request, username="handler_a", password=PASSWORD) == world.handler_a


def test_success_before_the_limit_resets_the_count(world, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        _login("admin", "admin", "wrong-password")
    c, _code = _login("page", "admin", PASSWORD)
    assert _logged_in(c)
    assert not LoginFailure.objects.filter(username="admin").exists()
    for _ in range(2):
        _login("page", "admin", "wrong-password")
    c, _code = _login("admin", "admin", PASSWORD)
    assert _logged_in(c)


def test_lockout_ends_after_the_window(world, settings):
    import datetime as dt

    from django.utils import timezone

    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        _login("page", "liaison_a", "wrong-password")
    assert not _logged_in(_login("admin", "liaison_a", PASSWORD)[0])
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    c, code = _login("page", "liaison_a", PASSWORD)
    assert code == 302 and _logged_in(c)
