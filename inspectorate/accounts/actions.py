"""State changes for accounts: tokens, memberships, login lock-out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.audit import snapshot

from .models import ApiToken, LoginFailure, Membership, User, hash_token
from .roles import TEAM_ROLES
from .scoping import authorize


def create_token(user: User, name: str, *, actor: Any) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it and the plain key (shown once, never stored)."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name.strip(), prefix=key[:12], key_hash=hash_token(key))
        audit.record(actor, "token.create", token, after={"name": token.name, "prefix": token.prefix, "user": user.pk})
    return token, key


def revoke_token(token: ApiToken, *, actor: Any) -> ApiToken:
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "token.revoke", token, before={"revoked_at": None}, after={"revoked_at": token.revoked_at})
    return token


def _authorize_grant(actor: Any, m: Membership) -> None:
    """Granting (or moving) a role needs accounts.manage on the unit, or campaigns.change on the team's campaign.

    A team role on its campaign, held on no unit or on the campaign's own inspecting body (the team's home),
    is the roster of that campaign: campaigns.change on the campaign suffices (its team leader, the office).
    """
    if getattr(actor, "is_superuser", False):
        return
    if m.role in TEAM_ROLES and m.campaign is not None and m.org_unit_id in (None, m.campaign.inspecting_unit_id):
        authorize(actor, "campaigns.change", m.campaign)
        return
    if m.org_unit is not None:
        authorize(actor, "accounts.manage", m.org_unit)
    if m.campaign is not None:
        authorize(actor, "campaigns.change", m.campaign)


def add_membership(*, actor: Any, reason: str = "", **fields: Any) -> Membership:
    """Grant a role (the API and the admin both come here)."""
    m = Membership(**fields)
    _authorize_grant(actor, m)
    with transaction.atomic():
        m.full_clean()
        m.save()
        audit.record(actor, "membership.create", m, after=snapshot(m), reason=reason)
    return m


def update_membership(m: Membership, *, actor: Any, reason: str = "", **changes: Any) -> Membership:
    """Change a membership's role, unit, campaign or dates: allowed where the old and the new grant would be."""
    _authorize_grant(actor, m)
    before = snapshot(m)
    for name, value in changes.items():
        setattr(m, name, value)
    _authorize_grant(actor, m)
    with transaction.atomic():
        m.full_clean()
        m.save()
        after = snapshot(m)
        if after != before:
            audit.record(actor, "membership.update", m, before=before, after=after, reason=reason)
    return m


def remove_membership(m: Membership, *, actor: Any, reason: str = "") -> None:
    """Delete a membership outright (the admin's delete; the API ends memberships instead, keeping the history)."""
    _authorize_grant(actor, m)
    with transaction.atomic():
        audit.record(actor, "membership.delete", m, before=snapshot(m), reason=reason)
        m.delete()


def end_membership(m: Membership, *, actor: Any, on: dt.date | None = None, reason: str = "") -> Membership:
    """End a membership on a date (today by default), keeping it in the history; allowed where granting it is."""
    if not getattr(actor, "is_superuser", False) and not _may_see(actor, m):
        authorize(actor, "accounts.manage", m)
    _authorize_grant(actor, m)
    before = snapshot(m)
    m.valid_until = on or timezone.localdate()
    with transaction.atomic():
        m.full_clean()
        m.save(update_fields=["valid_until"])
        audit.record(actor, "membership.end", m, before=before, after=snapshot(m), reason=reason)
    return m


def _may_see(actor: Any, m: Membership) -> bool:
    """A roster entry of a campaign the actor keeps (campaigns.change), or a membership it manages accounts for."""
    from .scoping import can

    if m.role in TEAM_ROLES and m.campaign is not None and can(actor, "campaigns.change", m.campaign):
        return True
    return can(actor, "accounts.manage", m)


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked_out(username: str) -> bool:
    return LoginFailure.objects.filter(username=username.lower(), at__gte=_window_start()).count() >= settings.LOGIN_MAX_FAILURES


def note_login_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip or None)


def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
