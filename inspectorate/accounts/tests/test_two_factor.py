"""Two-factor sign-in (accounts.otp): who needs it, enrolment, verification, the hold before it, wrong codes and
their limit, the administrator's reset, and API tokens."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate.accounts.otp import OTP_ACTIONS, ROLES_NEEDING_OTP, needs_otp
from inspectorate.audit.models import AuditEvent
from inspectorate.testing.cast import PASSWORD
from inspectorate.testing.matrix import assert_matrix
from inspectorate.testing.otp import code_for, ensure_device

pytestmark = pytest.mark.django_db


def password_login(username: str, language: str = "en") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    r = c.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:300]
    return c


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_who_needs_the_second_factor(world):
    assert {"complaints.reveal_reporter", "tasks.verify", "tasks.sign"} == OTP_ACTIONS
    assert {"inspector", "team_leader", "acceptance_officer", "admin"} <= set(ROLES_NEEDING_OTP)
    assert not {"liaison", "handler", "auditor", "enterprise_officer"} & set(ROLES_NEEDING_OTP)
    assert needs_otp(world.inspector) and needs_otp(world.team_leader) and needs_otp(world.admin)
    assert not needs_otp(world.liaison_a) and not needs_otp(world.auditor) and not needs_otp(world.handler_a)


def test_enrolment_then_verification(world):
    c = password_login("inspector")
    r = c.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/?next=")
    r = c.get(r["Location"])
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/enrol/")
    page = c.get(r["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Set up two-factor sign-in" in html
    device = TOTPDevice.objects.get(user=world.inspector)
    assert not device.confirmed and device.config_url.startswith("otpauth://totp/Inspectorate")
    r = c.post("/accounts/2fa/enrol/", {"code": wrong(code_for(device)), "next": "/"})
    assert r.status_code == 400 and "That code is not right" in r.content.decode()
    assert c.get("/").status_code == 302  # still held
    r = c.post("/accounts/2fa/enrol/", {"code": code_for(device), "next": "/campaigns/"})
    assert r.status_code == 302 and r["Location"] == "/campaigns/"
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(verb="user.otp_enrol", object_id=str(world.inspector.pk)).count() == 1
    assert c.get("/").status_code == 200
    # Next login: the code only, no new enrolment.
    c = password_login("inspector", "zh-hans")
    r = c.get("/accounts/2fa/")
    assert r.status_code == 200 and "两步验证" in r.content.decode()
    r = c.post("/accounts/2fa/", {"code": code_for(device), "next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/"  # never redirected off-site
    assert c.get("/").status_code == 200
    assert TOTPDevice.objects.filter(user=world.inspector).count() == 1


def test_roles_without_reveal_or_signoff_are_not_asked(world):
    c = password_login("liaison_a")
    assert c.get("/").status_code == 200
    assert c.get("/api/v1/campaigns/").status_code == 200


def test_held_before_verification_pages_and_api(world):
    ensure_device(world.inspector)
    c = password_login("inspector")
    for url in ("/", "/complaints/", "/accounts/tokens/", "/admin/"):
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/"), url
    r = c.get("/api/v1/complaints/")
    assert r.status_code == 403 and r.json()["code"] == "otp_required"
    assert "Two-factor verification is required" in r.json()["detail"]
    zh = password_login("inspector", "zh-hans")
    assert "两步验证" in zh.get("/api/v1/complaints/").json()["detail"]
    # No token can be made before the second factor (page or API), so no token skips it.
    assert c.post("/api/v1/tokens/", {"name": "cli"}, content_type="application/json").status_code == 403
    # The public pages stay open; so do logging out and switching the language.
    assert c.get("/public/").status_code == 200
    assert c.post("/i18n/setlang/", {"language": "en", "next": "/public/"}).status_code == 302
    assert c.post("/accounts/logout/").status_code == 302


def test_wrong_codes_are_limited_per_user(world):
    device = ensure_device(world.team_leader)
    with override_settings(OTP_MAX_ATTEMPTS=3, OTP_WINDOW_MINUTES=15):
        c = password_login("leader")
        for _i in range(3):
            assert c.post("/accounts/2fa/", {"code": wrong(code_for(device))}).status_code == 400
        # Past the limit even the right code is refused, from another session too (the count is per user, shared).
        r = c.post("/accounts/2fa/", {"code": code_for(device)})
        assert r.status_code == 429 and "Too many wrong codes" in r.content.decode()
        other = password_login("leader")
        assert other.post("/accounts/2fa/", {"code": code_for(device)}).status_code == 429
        assert c.get("/").status_code == 302
    # The same code never works twice (replay).
    c = password_login("leader")
    code = code_for(device)
    assert c.post("/accounts/2fa/", {"code": code}).status_code == 302
    again = password_login("leader")
    assert again.post("/accounts/2fa/", {"code": code}).status_code == 400


def test_admin_resets_a_device(world):
    device = ensure_device(world.inspector)
    held = password_login("inspector")
    assert held.post("/accounts/2fa/", {"code": code_for(device)}).status_code == 302
    assert held.get("/").status_code == 200
    admin = Client()
    admin.force_login(world.admin)
    r = admin.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [world.inspector.pk], "index": 0},
    )
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.inspector).exists()
    event = AuditEvent.objects.get(verb="user.otp_reset", object_id=str(world.inspector.pk))
    assert event.actor_id == world.admin.pk
    # The inspector's sessions ended: the next login enrols again.
    r = held.get("/campaigns/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    c = password_login("inspector")
    assert c.get("/accounts/2fa/")["Location"].startswith("/accounts/2fa/enrol/")


def test_test_clients_pass_the_second_factor(world):
    c = Client()
    c.force_login(world.acceptance if hasattr(world, "acceptance") else world.inspector)
    assert c.session.get(DEVICE_ID_SESSION_KEY)
    assert c.get("/").status_code == 200


def test_matrix_two_factor_pages(world):
    # Anonymous: to the login page; anyone logged in may open them (a verified session is sent on).
    assert_matrix("/accounts/2fa/", api=False, allowed=[world.inspector, world.liaison_a], ok=(200, 302))
    assert_matrix("/accounts/2fa/enrol/", api=False, allowed=[world.inspector, world.liaison_a], ok=(200, 302))
