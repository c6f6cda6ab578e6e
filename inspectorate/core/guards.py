"""Request guards that run before any view.

`RejectNulQueryMiddleware`: a NUL character (%00) in a query string is refused with a clear 400. PostgreSQL text
columns cannot hold NUL, so a filter or lookup carrying one would otherwise end in a database error (500) in
whichever view reads the parameter; form and JSON bodies are already refused by Django's and DRF's own validators.
Open311 is left to answer in its own error format (it treats a NUL in an id as "not found").
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RejectNulQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/open311/"):
            return self.get_response(request)
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            message = _("The address contains a NUL character (%00), which no parameter may hold.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
