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


def add_membership(*, actor: Any, **fields: Any) -> Membership:
    """Grant a role. Needs accounts.manage on the unit, or (for team roles) campaigns.change on the campaign."""
    m = Membership(**fields)
    if not getattr(actor, "is_superuser", False):
        if m.org_unit is not None:
            authorize(actor, "accounts.manage", m.org_unit)
        if m.campaign is not None:
            authorize(actor, "campaigns.change", m.campaign)
    with transaction.atomic():
        m.full_clean()
        m.save()
        audit.record(actor, "membership.create", m, after=snapshot(m))
    return m


def end_membership(m: Membership, *, actor: Any, on: dt.date | None = None, reason: str = "") -> Membership:
    authorize(actor, "accounts.manage", m)
    before = snapshot(m)
    m.valid_until = on or timezone.localdate()
    with transaction.atomic():
        m.full_clean()
        m.save(update_fields=["valid_until"])
        audit.record(actor, "membership.end", m, before=before, after=snapshot(m), reason=reason)
    return m


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked_out(username: str) -> bool:
    return LoginFailure.objects.filter(username=username.lower(), at__gte=_window_start()).count() >= settings.LOGIN_MAX_FAILURES


def note_login_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip or None)


def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
