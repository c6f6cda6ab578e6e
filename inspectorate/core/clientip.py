"""The client's address for rate limits and lock-outs.

Behind the reverse proxy of production, REMOTE_ADDR is the proxy's address, and every visitor would share
one bucket. With `TRUSTED_PROXY_HEADER` set (the META name, e.g. `HTTP_X_FORWARDED_FOR`), the address is
taken from that header: each proxy appends the address it received the request from, so with
`TRUSTED_PROXY_COUNT` proxies of our own the client is the N-th entry from the right; entries further left
were written by the client and are never trusted. Without the setting the header is ignored entirely.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or "?"
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if not header:
        return remote
    hops = [h.strip() for h in str(request.META.get(header, "")).split(",") if h.strip()]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 1)
    if len(hops) < count:
        log.warning("%s has %d entries, expected at least %d (TRUSTED_PROXY_COUNT): using REMOTE_ADDR", header, len(hops), count)
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        log.warning("%s entry %r is not an IP address: using REMOTE_ADDR", header, candidate)
        return remote
