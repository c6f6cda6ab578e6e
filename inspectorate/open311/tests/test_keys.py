"""Open311 keys: issued by the command or the admin (printed once), audited, revocable, bound to campaigns."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from inspectorate.audit.models import AuditEvent
from inspectorate.open311 import actions
from inspectorate.open311.models import Open311Key, hash_key

from .test_open311 import V2, assert_error, good_form

KEY = re.compile(r"o311_[\w-]{40,}")


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue()


def test_command_issues_lists_and_revokes_keys(o311) -> None:  # type: ignore[no-untyped-def]
    out = _command(
        "create", "--name", "岳阳12345 app", "--contact", "市12345热线办", "--campaign", o311.campaign.code,
        "--rate-limit", "5", "--user", o311.team_leader.username,
    )  # fmt: skip
    plain = KEY.search(out).group(0)  # type: ignore[union-attr]
    key = Open311Key.objects.get()
    assert key.key_hash == hash_key(plain) and plain not in str(key.__dict__)
    assert (key.rate_limit, key.created_by, list(key.campaigns.all())) == (5, o311.team_leader, [o311.campaign])
    ev = AuditEvent.objects.get(verb="open311key.create")
    assert ev.actor == o311.team_leader and plain not in f"{ev.before} {ev.after}"
    assert key.prefix in _command("list") and plain not in _command("list")
    client = Client()
    assert client.post(V2 + "/requests.json", good_form(o311, plain)).status_code == 200
    _command("revoke", key.prefix, "--reason", "app retired", "--user", o311.team_leader.username)
    assert AuditEvent.objects.filter(verb="open311key.revoke", reason="app retired").exists()
    assert "revoked" in _command("list")
    assert_error(client.post(V2 + "/requests.json", good_form(o311, plain)), 403)
    with pytest.raises(CommandError, match=r"already been revoked|已被撤销"):
        _command("revoke", key.prefix, "--user", o311.team_leader.username)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--campaign", "no-such-campaign"], "no-such-campaign"),
        (["--campaign", "hn-2-yueyang", "--rate-limit", "0"], "rate_limit"),
        (["--campaign", "hn-2-yueyang", "--user", "inspector"], "may not"),  # no campaigns.change
        (["--campaign", "hn-2-changde", "--user", "leader"], "may not"),  # another team's campaign
    ],
)
def test_command_refuses_bad_or_unauthorised_keys(o311, args, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message):
        _command("create", "--name", "app", "--contact", "office", *args)
    assert not Open311Key.objects.exists()


def test_who_may_issue_and_revoke(o311) -> None:  # type: ignore[no-untyped-def]
    for user in (o311.inspector, o311.liaison_a, o311.auditor, o311.outsider):
        with pytest.raises(PermissionDenied):
            actions.create_key(name="app", contact="office", campaigns=[o311.campaign], actor=user)
    with pytest.raises(ValidationError) as exc:
        actions.create_key(name=" ", contact="", campaigns=[], actor=o311.admin)
    assert set(exc.value.message_dict) == {"name", "contact", "campaigns"}
    key, _plain = actions.create_key(name="app", contact="office", campaigns=[o311.campaign], actor=o311.team_leader)
    with pytest.raises(PermissionDenied):
        actions.revoke_key(key, actor=o311.auditor)
    actions.revoke_key(key, actor=o311.admin)
    assert Open311Key.objects.get().revoked_at is not None
    assert not Open311Key.objects.filter(revoked_at__isnull=True).exists()


def test_admin_issues_a_key_once_and_revokes_instead_of_deleting(o311) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(o311.admin)
    r = client.post(
        "/admin/open311/open311key/add/",
        {"name": "hotline system", "contact": "12345 office", "campaigns": [str(o311.campaign.pk)], "rate_limit": "10"},
        follow=True,
    )
    assert r.status_code == 200
    plain = KEY.search(r.content.decode()).group(0)  # type: ignore[union-attr]
    key = Open311Key.objects.get()
    assert key.key_hash == hash_key(plain) and key.created_by == o311.admin
    assert AuditEvent.objects.filter(verb="open311key.create", object_id=str(key.pk)).exists()
    assert AuditEvent.objects.filter(verb="open311key.relations", object_id=str(key.pk)).exists()
    page = client.get(f"/admin/open311/open311key/{key.pk}/change/").content.decode()
    assert plain not in page and key.key_hash not in page
    assert Client().post(V2 + "/requests.json", good_form(o311, plain)).status_code == 200
    assert client.post(f"/admin/open311/open311key/{key.pk}/delete/", {"post": "yes"}).status_code == 403
    r = client.post(
        "/admin/open311/open311key/", {"action": "revoke", "_selected_action": [str(key.pk)]}, follow=True
    )  # fmt: skip
    assert r.status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(verb="open311key.revoke", object_id=str(key.pk)).exists()
    assert_error(Client().post(V2 + "/requests.json", good_form(o311, plain)), 403)
