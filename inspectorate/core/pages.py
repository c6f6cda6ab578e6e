"""Helpers for server-rendered pages: pagination, the 403 page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import ExplainedDenial


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page; an ExplainedDenial's reason (written for the user, translated) is shown with it."""
    reason = str(exception) if isinstance(exception, ExplainedDenial) else ""
    return render(request, "403.html", {"reason": reason}, status=403)
