"""Helpers shared by the rectification pages (views, form pages, registers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspectorate.accounts.scoping import has_role_anywhere


def errors_text(exc: ValidationError) -> str:
    """A validation error as one line for a flash message."""
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for errs in exc.error_dict.values() for e in errs for m in e.messages)
    return " ".join(str(m) for m in exc.messages)


def require_role(request: HttpRequest, action: str) -> None:
    """403 unless the user holds `action` somewhere (the object-level check comes with the object)."""
    if not has_role_anywhere(request.user, action):
        raise PermissionDenied(action)


def form_page(request: HttpRequest, form: Any, title: str, *, back: str, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "rectification/form.html", {"form": form, "title": title, "back": back, **extra}, status=status)
