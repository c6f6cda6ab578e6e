"""The open-data page and its downloads (see `opendata`): public, no login, nothing that is not already published."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import selectors
from .opendata import open_data_zip


def open_data(request: HttpRequest) -> HttpResponse:
    current, past = selectors.split_current_past(selectors.public_campaigns())
    return render(request, "portal/open_data.html", {"campaigns": current + past})


def _zip(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.zip"'
    return response


def open_data_all(request: HttpRequest) -> HttpResponse:
    return _zip(open_data_zip(list(selectors.public_campaigns())), "open-data-all")


def open_data_campaign(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_object_or_404(selectors.public_campaigns(), code=code)
    return _zip(open_data_zip([campaign]), f"open-data-{campaign.code}")
