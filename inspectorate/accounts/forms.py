from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .actions import is_locked_out


class LockoutMessageMixin:
    """Says "locked out" instead of "wrong password" while the account is locked. The lock-out itself (counting
    failures, refusing even the right password) lives in the authentication backend, under every login form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed logins for this account. Try again in a few minutes."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()  # type: ignore[attr-defined]
        if username and is_locked_out(username):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        return cleaned


class LockoutAuthenticationForm(LockoutMessageMixin, AuthenticationForm):
    """The login page's form."""


class LockoutAdminAuthenticationForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin's login form (same lock-out, same message)."""


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
