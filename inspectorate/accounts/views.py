from __future__ import annotations

from base64 import b32encode
from typing import cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate import audit

from . import actions, otp
from .forms import LockoutAuthenticationForm, TokenForm
from .models import ApiToken, User


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(self.request.user, "user.password_change", self.request.user, after={"password": "changed"})
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = actions.create_token(request.user, form.cleaned_data["name"], actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        form = TokenForm()
    rows = ApiToken.objects.filter(user=cast(User, request.user))  # a user's own tokens are their scope
    return render(request, "accounts/tokens.html", {"form": form, "tokens": rows, "new_key": new_key})


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.revoke_token(token, actor=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second factor: a code from the user's authenticator app (a user without a device enrols first)."""
    user = cast(User, request.user)
    device = otp.confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_enrol')}?{urlencode({'next': _next_url(request)})}")
    error, limited = None, False
    if request.method == "POST":
        limited = otp.throttle.exceeded(otp.attempts_limit(), str(user.pk))
        error = otp.check_code(user, device, request.POST.get("code", ""))
        if error is None:
            otp.mark_verified(request, device)
            return redirect(_next_url(request))
    status = 429 if limited else (400 if error else 200)
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next_url(request)}, status=status)


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: a QR code (and the secret, for typing in), confirmed with a first code."""
    user = cast(User, request.user)
    if otp.confirmed_device(user) is not None:
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    error, limited = None, False
    if request.method == "POST":
        limited = otp.throttle.exceeded(otp.attempts_limit(), str(user.pk))
        error = otp.check_code(user, device, request.POST.get("code", ""))
        if error is None:
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.record(user, "user.otp_enrol", user, after={"device": "totp"})
            otp.mark_verified(request, device)
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    context = {
        "qr": mark_safe(qr),  # segno's own SVG markup: no user input in it but the URL it encodes
        "secret": b32encode(device.bin_key).decode(),
        "error": error,
        "next": _next_url(request),
    }
    status = 429 if limited else (400 if error else 200)
    return render(request, "accounts/otp_enrol.html", context, status=status)
