"""Public pages rendered once per change, from the shared cache (`cached_public_page`).

The portal's read-only pages are what the public opens in numbers when results are published. A page an
anonymous visitor GETs is kept in the default cache (Redis in production, shared by every app server) under a key
made of the page's address, the language, today's date and the head of the audit chain (the `seq` and `hash` of
the latest `AuditEvent`; the hash covers the whole chain, so a restored or different database never matches).
Every change of the data is audited in the transaction that makes it, so a new publication, a correction or a
withdrawal moves the head and the next request renders the page afresh: no invalidation hook to forget, no stale
page, and a process that caches in its own memory (the embedded set-up's local-memory cache) still never serves
an outdated page. Reading the head is one indexed query.

Not cached: signed-in users (their menus differ), any method but GET/HEAD, responses other than 200, a request
carrying messages to show, and a response that sets cookies of its own. The page's CSRF token (the language
switch is a POST form; HTMX sends it as a header) is cut out before storing and a fresh one for this visitor is
put back on every hit, so forms on a cached page work and the visitor gets their CSRF cookie as usual.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

TTL = 600  # seconds; the key changes with every change of the data, this only bounds the cache's size
# Where a page carries its CSRF token (forms; HTMX's request headers): one masked token per render, used everywhere.
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
_MARK = "\x00csrf\x00"


def data_version() -> str:
    """The head of the audit chain: it moves with every change of the data."""
    from inspectorate.audit.models import AuditEvent

    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return f"{head[0]}-{head[1][:20]}" if head else "empty"


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return "messages" not in request.COOKIES


def _key(request: HttpRequest) -> str:
    where = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"public-page:{data_version()}:{get_language()}:{timezone.localdate().isoformat()}:{where}"


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            body, content_type = hit
            if _MARK in body:
                body = body.replace(_MARK, get_token(request))
            response = HttpResponse(body, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            body = response.content.decode(response.charset)
            found = _TOKEN.search(body)
            if found:
                body = body.replace(found.group(1) or found.group(2), _MARK)
            cache.set(key, (body, response["Content-Type"]), TTL)
        return response

    return wrapper
