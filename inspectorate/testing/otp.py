"""Two-factor sign-in in tests: a confirmed TOTP device for a user, and the code it shows now.

Every test client login (`force_login`, `login`) passes the second factor for users who need it (see the root
conftest), so tests about other things are not held at the verification page; tests of two-factor itself log in
through the login form or clear the session's device (`django_otp.DEVICE_ID_SESSION_KEY`).
"""

from __future__ import annotations

import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def ensure_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def code_for(device: TOTPDevice, *, step_offset: int = 0) -> str:
    """The code `device` accepts now; the next step's when the current one was used already (no replay)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    t = totp.t() + step_offset
    if device.last_t >= t:
        t = device.last_t + 1
    totp.time = time.time() + (t - totp.t()) * device.step
    return str(totp.token()).zfill(device.digits)


def pass_second_factor(client: Any, user: Any) -> None:
    """Mark a test client's session as verified when `user` needs two-factor sign-in."""
    from inspectorate.accounts.models import User
    from inspectorate.accounts.otp import needs_otp

    fresh = User.objects.get(pk=user.pk)  # not the caller's object: no membership cache left on it
    if needs_otp(fresh):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = ensure_device(fresh).persistent_id
        session.save()
