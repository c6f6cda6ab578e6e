"""Content-Security-Policy: every response says that scripts and styles come from our own static files only.

No inline `<script>`, no `on*=` handler, no `style=` attribute, no `<style>` block in any template: front-end
code lives under `static/` (htmx is told not to add its indicator `<style>`, see base.html). Scripts may still
set an element's style through the DOM (Leaflet, Chart.js do), which a policy does not restrict.

The one exception is the API's Swagger UI page (drf-spectacular's template carries a `<style>` block): its view
is wrapped in `relaxed_styles`, which adds 'unsafe-inline' to style-src on that page alone; its script is
served as a file (`SpectacularSwaggerSplitView`), so script-src stays 'self' there too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def _tile_origin() -> str | None:
    """The map tile server's origin (INSPECTORATE_MAP_TILES), which the maps' <img> tiles come from."""
    url = getattr(settings, "INSPECTORATE_MAP_TILES", "") or ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        # A {s} subdomain placeholder (a.tile…, b.tile…) becomes a wildcard.
        return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return None


def policy(*, inline_styles: bool = False) -> str:
    img = ["'self'", "data:", "blob:"]
    tiles = _tile_origin()
    if tiles:
        img.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"] if inline_styles else ["'self'"],
        "img-src": img,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none yet (a view may have set its own, see `relaxed_styles`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response.headers:
            response.headers[HEADER] = self.header
        return response


def relaxed_styles(view: Callable[..., Any]) -> Callable[..., Any]:
    """The policy with inline styles allowed, for a third-party page we do not template ourselves."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        response.headers[HEADER] = policy(inline_styles=True)
        return response

    return wrapped
