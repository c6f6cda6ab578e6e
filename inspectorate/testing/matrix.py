"""The permission matrix: one call checks an endpoint or page for every kind of caller.

    anonymous        → 401 (API) or a redirect to the login page (pages)
    out of scope     → 404 (existence does not leak)
    in scope, wrong role → 403
    in scope, allowed    → 2xx (or the given status)

Calls that must not succeed come first, so a write endpoint's state is only
changed by the final allowed call(s).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.test import Client


def _call(client: Client, method: str, url: str, data: Any, api: bool) -> Any:
    fn = getattr(client, method.lower())
    if method.lower() == "get":
        return fn(url, data or {})
    if api:
        return fn(url, data or {}, content_type="application/json")
    return fn(url, data or {})


def assert_matrix(
    url: str,
    *,
    method: str = "get",
    data: Any = None,
    api: bool = True,
    allowed: Iterable[Any] = (),
    out_of_scope: Iterable[Any] = (),
    forbidden: Iterable[Any] = (),
    ok: int | tuple[int, ...] = (200, 201, 204),
    login: Callable[[Any], Client] | None = None,
) -> list[Any]:
    """Check `url` for anonymous, out-of-scope, wrong-role and allowed users; returns the allowed responses.

    `login(user)` may hand out an already signed-in client (the route inventory keeps one per user).
    """
    ok_codes = (ok,) if isinstance(ok, int) else ok

    def signed_in(user: Any) -> Client:
        if login is not None:
            return login(user)
        c = Client()
        c.force_login(user)
        return c

    client = Client()
    r = _call(client, method, url, data, api)
    if api:
        assert r.status_code in (401, 403), f"anonymous {method} {url}: expected 401, got {r.status_code}"
        assert r.status_code == 401, f"anonymous {method} {url}: expected 401, got {r.status_code}"
    else:
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], (
            f"anonymous {method} {url}: expected a redirect to login, got {r.status_code}"
        )
    for user in out_of_scope:
        client = signed_in(user)
        r = _call(client, method, url, data, api)
        assert r.status_code == 404, f"out-of-scope {user} {method} {url}: expected 404, got {r.status_code}"
    for user in forbidden:
        client = signed_in(user)
        r = _call(client, method, url, data, api)
        assert r.status_code == 403, f"wrong-role {user} {method} {url}: expected 403, got {r.status_code}"
    responses = []
    for user in allowed:
        client = signed_in(user)
        r = _call(client, method, url, data, api)
        body = getattr(r, "content", b"")[:500]
        assert r.status_code in ok_codes, f"allowed {user} {method} {url}: expected {ok_codes}, got {r.status_code}: {body!r}"
        responses.append(r)
    return responses
