from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .actions import clear_login_failures, is_locked_out, note_login_failure


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further tries after repeated failures for one username."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed logins for this account. Try again in a few minutes."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        if username and is_locked_out(username):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                ip = self.request.META.get("REMOTE_ADDR") if self.request else None
                note_login_failure(username, ip)
            raise
        clear_login_failures(username)
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
