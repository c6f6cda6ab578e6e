"""Login, lock-out, password change, API tokens, memberships, and the scoping rules themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from inspectorate.accounts.models import ApiToken, Membership, hash_token
from inspectorate.accounts.scoping import restrict
from inspectorate.audit.models import AuditEvent
from inspectorate.campaigns.models import Campaign
from inspectorate.orgs.models import OrgUnit
from inspectorate.testing.cast import PASSWORD
from inspectorate.testing.matrix import assert_matrix

pytestmark = pytest.mark.django_db


def test_login_and_logout(world):
    c = Client()
    r = c.post("/accounts/login/", {"username": "liaison_a", "password": PASSWORD})
    assert r.status_code == 302
    assert c.get("/").status_code == 200
    c.post("/accounts/logout/")
    # Logged out, `/` is the public portal (no dashboard figures), with a way back to the login page.
    r = c.get("/")
    assert r.status_code == 200 and "/accounts/login/" in r.content.decode()


def test_lockout_after_repeated_failures(world, settings):
    settings.LOGIN_MAX_FAILURES = 3
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(3):
        r = c.post("/accounts/login/", {"username": "liaison_a", "password": "wrong"})
        assert r.status_code == 200
    # Even the right password is refused while locked out, with a clear message.
    r = c.post("/accounts/login/", {"username": "liaison_a", "password": PASSWORD})
    assert r.status_code == 200
    assert "Too many failed logins" in r.content.decode()
    # Another account is unaffected.
    assert c.post("/accounts/login/", {"username": "handler_a", "password": PASSWORD}).status_code == 302


def test_lockout_message_in_chinese(world, settings):
    settings.LOGIN_MAX_FAILURES = 1
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.post("/accounts/login/", {"username": "liaison_a", "password": "wrong"})
    r = c.post("/accounts/login/", {"username": "liaison_a", "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()


def test_password_change(world):
    c = Client()
    c.force_login(world.liaison_a)
    r = c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a-much-longer-secret-42", "new_password2": "a-much-longer-secret-42"},
    )
    assert r.status_code == 302
    world.liaison_a.refresh_from_db()
    assert world.liaison_a.check_password("a-much-longer-secret-42")


def test_token_lifecycle_api(world):
    c = Client()
    c.force_login(world.liaison_a)
    r = c.post("/api/v1/tokens/", {"name": "ledger sync"}, content_type="application/json")
    assert r.status_code == 201
    key = r.json()["key"]
    token = ApiToken.objects.get(pk=r.json()["id"])
    assert token.key_hash == hash_token(key) and key not in token.key_hash  # hashed at rest
    assert AuditEvent.objects.filter(verb="token.create", object_id=str(token.pk)).exists()
    # The token authenticates API calls.
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "liaison_a"
    # Listing shows no key.
    listing = c.get("/api/v1/tokens/").json()
    assert "key" not in listing["results"][0]
    # Revoked tokens stop working.
    assert c.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 200
    assert api.get("/api/v1/me/").status_code == 401


def test_tokens_are_private_to_their_owner(world):
    c = Client()
    c.force_login(world.liaison_a)
    token_id = c.post("/api/v1/tokens/", {"name": "x"}, content_type="application/json").json()["id"]
    assert_matrix(f"/api/v1/tokens/{token_id}/", allowed=[world.liaison_a], out_of_scope=[world.liaison_b, world.admin])
    assert_matrix(f"/api/v1/tokens/{token_id}/revoke/", method="post", allowed=[world.liaison_a], out_of_scope=[world.liaison_b])


def test_token_page(world):
    assert_matrix("/accounts/tokens/", api=False, allowed=[world.liaison_a, world.outsider])
    c = Client()
    c.force_login(world.liaison_a)
    r = c.post("/accounts/tokens/", {"name": "desk"})
    assert r.status_code == 200 and b"insp_" in r.content
    token = ApiToken.objects.get(user=world.liaison_a, name="desk")
    assert c.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_bad_token_is_401(world):
    assert Client(HTTP_AUTHORIZATION="Token insp_nope").get("/api/v1/me/").status_code == 401


def test_me_matrix(world):
    assert_matrix("/api/v1/me/", allowed=[world.liaison_a, world.outsider])


def test_overlapping_membership_refused(world):
    m = Membership(user=world.liaison_a, role="liaison", org_unit=world.city_a, valid_from=dt.date(2025, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError, match="overlapping"):
        m.full_clean()
    with pytest.raises(ValidationError, match="期间重叠"):
        m.full_clean()
    # A later, non-overlapping period is fine once the first one ends.
    first = Membership.objects.get(user=world.liaison_a, role="liaison")
    first.valid_until = dt.date(2024, 12, 31)
    first.save()
    m.full_clean()


def test_membership_cannot_end_before_it_starts(world):
    m = Membership(
        user=world.outsider,
        role="handler",
        org_unit=world.city_a,
        valid_from=dt.date(2025, 1, 2),
        valid_until=dt.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        m.full_clean()


def test_team_role_needs_campaign(world):
    with pytest.raises(ValidationError):
        Membership(user=world.outsider, role="inspector", org_unit=world.city_a).full_clean()


def test_expired_membership_grants_nothing(world):
    Membership.objects.filter(user=world.liaison_a).update(valid_until=dt.date(2020, 1, 2))
    world.liaison_a._membership_cache = None
    assert not restrict(OrgUnit.objects.all(), world.liaison_a).exists()


def test_scope_rules(world):
    # A unit role reaches its subtree only.
    assert set(restrict(OrgUnit.objects.all(), world.handler_a).values_list("code", flat=True)) == {"430626"}
    # A team member reaches the campaign's targets' subtrees and their own campaign only.
    assert set(restrict(OrgUnit.objects.all(), world.inspector).values_list("code", flat=True)) == {"430600", "430626"}
    assert list(restrict(Campaign.objects.all(), world.inspector)) == [world.campaign]
    # A target's liaison sees the campaign that targets it, not the neighbour's.
    assert list(restrict(Campaign.objects.all(), world.liaison_a)) == [world.campaign]
    # Someone with no membership sees nothing; a superuser sees all.
    assert not restrict(OrgUnit.objects.all(), world.outsider).exists()
    assert restrict(OrgUnit.objects.all(), world.admin).count() == OrgUnit.objects.count()
    # Roles limit actions: a handler cannot manage units.
    assert not restrict(OrgUnit.objects.all(), world.handler_a, "orgs.manage").exists()


def test_password_pages_matrix_and_audit(world):
    assert_matrix("/accounts/password/", api=False, allowed=[world.liaison_a, world.outsider])
    c = Client()
    c.force_login(world.handler_a)
    c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "another-long-secret-77", "new_password2": "another-long-secret-77"},
    )
    ev = AuditEvent.objects.filter(verb="user.password_change", object_id=str(world.handler_a.pk)).get()
    assert "pbkdf2" not in str(ev.after) and "md5" not in str(ev.after).lower()


def test_login_page_is_public(client):
    assert client.get("/accounts/login/").status_code == 200


def test_memberships_api(world, django_assert_max_num_queries):
    from inspectorate.accounts.models import Membership as M

    unit_admin = world.outsider
    M.objects.create(user=unit_admin, role="admin", org_unit=world.city_a, valid_from=dt.date(2020, 1, 1))
    # Anonymous 401; a liaison (no accounts.manage) sees none; the unit admin sees the subtree's memberships.
    assert_matrix("/api/v1/memberships/", allowed=[unit_admin, world.liaison_a])
    c = Client()
    c.force_login(unit_admin)
    with django_assert_max_num_queries(8):
        rows = c.get("/api/v1/memberships/").json()["results"]
    users = {r["user"] for r in rows}
    assert world.handler_a.pk in users and world.liaison_b.pk not in users
    handler_m = M.objects.get(user=world.handler_a)
    assert_matrix(
        f"/api/v1/memberships/{handler_m.pk}/", allowed=[unit_admin, world.admin], out_of_scope=[world.liaison_a, world.liaison_b]
    )
    # Grant a role within the subtree, audited; outside it refused.
    body = {"user": world.auditor.pk, "org_unit": str(world.county_a.pk), "role": "handler", "valid_from": "2026-01-01"}
    r = c.post("/api/v1/memberships/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert AuditEvent.objects.filter(verb="membership.create", object_id=r.json()["id"]).exists()
    again = c.post("/api/v1/memberships/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "overlapping" in str(again.json())
    body_b = {**body, "org_unit": str(world.city_b.pk)}
    assert c.post("/api/v1/memberships/", body_b, content_type="application/json").status_code == 400  # unit not visible
    # End a membership.
    r = c.post(
        f"/api/v1/memberships/{handler_m.pk}/end/",
        {"valid_until": "2026-06-30", "reason": "调岗"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["valid_until"] == "2026-06-30"
    assert AuditEvent.objects.filter(verb="membership.end", object_id=str(handler_m.pk), reason="调岗").exists()
