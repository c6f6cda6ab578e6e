from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate import audit

from . import actions
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
