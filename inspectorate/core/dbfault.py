"""The database is unreachable (PostgreSQL stopped, restarting, network gone): answer 503 with Retry-After.

Every request that touches a database that is down fails with Django's OperationalError or InterfaceError
(psycopg's "connection refused", "server closed the connection unexpectedly", "the connection is closed").
Instead of a bare 500, the client gets:

- API (`/api/…`): JSON `{"detail": …, "code": "database_unavailable"}` in the user's language;
- Open311 (`/open311/…`): the GeoReport error list in its format (JSON or XML);
- pages: a self-contained bilingual page (no database, no session, no context processors).

All with `Retry-After`. Writes are single transactions, so a request cut off by the outage left nothing
behind (PostgreSQL rolls the transaction back); a request whose COMMIT went through but whose answer was
lost is safe to resend with the same Idempotency-Key. Django drops a broken connection at the end of the
request, so the first request after the database is back gets a fresh connection: nothing to restart.

Three places catch it: the API exception handler (DRF views), `DatabaseUnavailableMiddleware` (other views)
and `server_error`, the 500 handler, for failures outside a view (e.g. saving the session in a middleware).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

DOWN_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def retry_after() -> int:
    """Seconds a client is asked to wait (setting DB_UNAVAILABLE_RETRY_AFTER, default 30)."""
    return int(getattr(settings, "DB_UNAVAILABLE_RETRY_AFTER", 30))


def is_database_down(exc: BaseException | None) -> bool:
    """True when exc (or what it was raised from, or while handling) is a lost or refused database connection."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, DOWN_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def message() -> str:
    return _(
        "The database is temporarily unavailable. Nothing was saved from this request; "
        "please try again in a moment (resend with the same Idempotency-Key if you used one)."
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer for this request's kind (API, Open311 or page)."""
    path = request.path_info or ""
    response: HttpResponse
    if path.startswith("/open311/"):
        from inspectorate.open311.render import errors

        response = errors("xml" if path.endswith(".xml") else "json", 503, message())
    elif path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message(), "code": "database_unavailable"}, status=503)
    else:
        response = HttpResponse(render_to_string("database_unavailable.html", {"retry_after": retry_after()}), status=503)
    response["Retry-After"] = str(retry_after())
    response["Cache-Control"] = "no-store"
    return response


def _log(request: HttpRequest, exc: BaseException | None) -> None:
    log.error("database unavailable during %s %s: %r", request.method, request.path_info, exc)


class DatabaseUnavailableMiddleware:
    """A view that failed because the database is down answers 503 (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_down(exception):
            return None
        _log(request, exception)
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 answer when the uncaught exception is a lost database, else Django's 500 page."""
    exc = sys.exc_info()[1]
    if is_database_down(exc):
        _log(request, exc)
        return unavailable_response(request)
    return defaults.server_error(request)
