"""Two-factor sign-in (TOTP, django-otp) for the roles that can reveal reporters or sign off.

Who: anyone holding, through an active membership, an action in `OTP_ACTIONS` (revealing a reporter's identity,
verifying or signing a rectification's acceptance), and every superuser. The need is worked out when the user
logs in and kept in the session (`REQUIRED_KEY`), so no request pays a query for it; a role granted during a
session takes effect at the next login.

Flow: password login → `accounts:otp_verify`, which sends a user without a confirmed device to
`accounts:otp_enrol` (QR code and secret, confirmed with a first code). Until the session is verified, every
staff page redirects to the verification page and every session-authenticated API call answers 403 with a
translated message. API tokens can only be created from a verified session (the token page and the token API
sit behind the same gate), so a token of such a user is never issued without the second factor; a request
carrying a token is not asked for a code.

Wrong codes count per user in the shared attempt table (`core.throttle`): after OTP_MAX_ATTEMPTS within
OTP_WINDOW_MINUTES every code, even a right one, is refused until the window has passed. An administrator can
reset a user's device (admin action, audited): the devices are removed and the user's sessions end, so the next
login enrols again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate import audit
from inspectorate.core import throttle

from .roles import PERMISSIONS

OTP_ACTIONS = frozenset({"complaints.reveal_reporter", "tasks.verify", "tasks.sign"})
ROLES_NEEDING_OTP = frozenset(role for role, perms in PERMISSIONS.items() if perms & OTP_ACTIONS)
REQUIRED_KEY = "inspectorate_otp_required"

# Paths a not-yet-verified user may still open: signing in and out, the two-factor pages, language, static files,
# and what anyone may open anonymously.
_OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/i18n/", "/public/", "/open311/")


def _open_paths() -> tuple[str, ...]:
    return (*_OPEN_PREFIXES, settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/", "/admin/logout/")


def attempts_limit() -> throttle.Limit:
    return throttle.Limit("otp-code", settings.OTP_MAX_ATTEMPTS, dt.timedelta(minutes=settings.OTP_WINDOW_MINUTES))


def needs_otp(user: Any) -> bool:
    """Whether this user must pass the second factor (today's memberships, or a superuser)."""
    from .models import Membership

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_membership_cache", None)  # scoping.active_memberships' copy for this request
    if cached is not None:
        return any(m.role in ROLES_NEEDING_OTP for m in cached)
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, valid_from__lte=today, role__in=ROLES_NEEDING_OTP)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """The session has passed the second factor with `device` (new session key: no fixation)."""
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


@receiver(user_logged_in)
def _remember_need(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_KEY] = needs_otp(user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


def check_code(user: Any, device: TOTPDevice, code: str) -> str | None:
    """None when `code` is right; otherwise the (translated) reason. Counts wrong codes; refuses past the limit."""
    limit = attempts_limit()
    key = str(user.pk)
    if throttle.exceeded(limit, key):
        return _("Too many wrong codes. Wait %(minutes)d minutes and try again.") % {"minutes": settings.OTP_WINDOW_MINUTES}
    code = "".join(code.split())
    if code.isdigit() and device.verify_token(code):
        throttle.clear(limit, key)
        return None
    throttle.hit(limit, key)
    return _("That code is not right. Enter the 6 digits your authenticator app shows now.")


def end_sessions(user: Any) -> int:
    """Delete every session of `user` (database sessions); returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def reset_device(user: Any, *, actor: Any, reason: str = "") -> int:
    """Remove the user's TOTP devices and end their sessions (audited); the next login enrols again."""
    with transaction.atomic():
        removed, _detail = TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor, "user.otp_reset", user, after={"devices_removed": removed}, reason=reason)
    end_sessions(user)
    return removed


def api_refusal() -> JsonResponse:
    return JsonResponse(
        {
            "detail": _(
                "Two-factor verification is required for this account: sign in on the web page and enter the code "
                "from your authenticator app, or use an API token created after that."
            ),
            "code": "otp_required",
        },
        status=403,
    )


class TwoFactorMiddleware:
    """Holds a session that still owes its second factor at the verification page (pages) or at 403 (API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._held(request):
            if request.path.startswith("/api/"):
                return api_refusal()
            return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _held(self, request: HttpRequest) -> bool:
        if request.path.startswith(_open_paths()):
            return False
        session = request.session
        if SESSION_KEY not in session or session.get(DEVICE_ID_SESSION_KEY):
            return False
        required = session.get(REQUIRED_KEY)
        if required is None:  # a session from before two-factor sign-in existed
            required = needs_otp(request.user)
            session[REQUIRED_KEY] = required
        return bool(required)
