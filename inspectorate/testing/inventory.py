"""The route inventory: every URL pattern of the project has an entry in the permission matrix.

`inspectorate/core/tests/test_route_inventory.py` walks `get_resolver()` and fails, naming each
route, when a URL pattern has neither an entry here nor an exemption, and when an entry names a
route that no longer exists.  Each entry is then probed against the shared world of
`inspectorate.testing.routeworld` (the cast plus one object of every kind) with
`assert_matrix`: anonymous → 401 / login redirect, out of scope → 404, wrong role → 403,
allowed → 2xx (or the entry's `ok`).

Entries live per app in `inspectorate/<app>/tests/routes.py` as `ROUTES = [...]`, listed in
`ROUTE_MODULES` below.  A route is named as `reverse()` names it ("complaints:detail" for a page,
"complaints-accept" for a DRF action, "open311:requests"); DRF's format-suffix variant of a route
(`….json`, `<format>` kwarg) is covered by the entry of the route itself.

Adding an entry is one call::

    R("complaints:detail", obj="complaint", allowed="inspector", wrong="officer", oos="liaison_b")
    R("complaints-accept", method="post", obj="complaint", allowed="inspector", wrong="liaison_a", oos="leader_b")
    P("portal:tables")                        # public: anonymous gets 200
    R("complaints:attachment", obj="complaint", kw={"att": "@attachment"}, allowed="inspector", ...)

- `R(name, ...)` is a staff page or API route; whether it is an API (anonymous → 401) or a page
  (anonymous → login redirect) is read from its URL (`/api/` and `/open311/` are APIs).
- `obj` names the object (a key of `RouteWorld.objs`) whose pk fills the `pk` kwarg; `kw` gives
  other kwargs, "@key" meaning that object's pk, anything else taken literally.
- `allowed`, `wrong`, `oos` are usernames of `RouteWorld.users` (one string or a tuple):
  `wrong` users are in scope without the role (403); `oos` users are out of scope (404).
  Leave `wrong` empty only where every in-scope user may call the route (plain reads), and say
  so with `anyone=True`; a write (post, patch, put, delete) with `anyone=True` also needs a
  `note` saying why every in-scope role may make it (the inventory test fails otherwise).
- `method` is the probe: "get" for reads; writes are probed with `data` (default: an empty
  body), so denials are checked without valid input; allowed users may then answer 400, which
  `ok` accepts by default for writes (the success path is tested with the app).
- `P(name, ...)` is a public route: anonymous gets `ok` (200 by default).
- The first entries were written from a probe of every route by eleven users of the route world
  (the statuses observed), reviewed for 5xx, out-of-scope 2xx and anonymous access.  On a staff
  route `anyone=True` therefore means that no probed in-scope user was refused: right for plain
  reads, a candidate for a `wrong=` case where a role ought to be refused.  The writes were then
  reviewed against the views and DOMAIN.md (issue 13): each names a wrong-role user, or a note.
- An API write refuses a caller without the role before reading the body (`core.apiroles`), so an
  empty probe body gives the wrong-role user 403, never a 400.
- `x(name, reason)` in `EXEMPT` (below, or an app's `EXEMPT`) leaves a route out, with a reason.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ROUTE_MODULES = [
    "inspectorate.core.tests.routes",
    "inspectorate.accounts.tests.routes",
    "inspectorate.orgs.tests.routes",
    "inspectorate.campaigns.tests.routes",
    "inspectorate.complaints.tests.routes",
    "inspectorate.rectification.tests.routes",
    "inspectorate.accountability.tests.routes",
    "inspectorate.facilities.tests.routes",
    "inspectorate.hazards.tests.routes",
    "inspectorate.fieldwork.tests.routes",
    "inspectorate.open311.tests.routes",
    "inspectorate.portal.tests.routes",
    "inspectorate.reports.tests.routes",
    "inspectorate.kpi.tests.routes",
]

WRITE_OK = (200, 201, 202, 204, 302, 400)

Users = str | tuple[str, ...]


def _users(v: Users) -> tuple[str, ...]:
    return (v,) if isinstance(v, str) else tuple(v)


@dataclass
class Route:
    name: str
    public: bool = False
    method: str = "get"
    obj: str | None = None
    kw: dict[str, str] = field(default_factory=dict)
    data: Any = None
    query: str = ""
    allowed: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    oos: tuple[str, ...] = ()
    anyone: bool = False
    ok: tuple[int, ...] = ()
    note: str = ""

    @property
    def has_wrong_role_case(self) -> bool:
        return bool(self.wrong)


def R(
    name: str,
    *,
    method: str = "get",
    obj: str | None = None,
    kw: dict[str, str] | None = None,
    data: Any = None,
    query: str = "",
    allowed: Users = (),
    wrong: Users = (),
    oos: Users = (),
    anyone: bool = False,
    ok: int | tuple[int, ...] = (),
    note: str = "",
) -> Route:
    if not anyone and not wrong:
        raise ValueError(f"{name}: give a wrong-role user, or anyone=True when every in-scope user may call it")
    codes = (ok,) if isinstance(ok, int) else tuple(ok)
    return Route(
        name, False, method, obj, dict(kw or {}), data, query, _users(allowed), _users(wrong), _users(oos), anyone, codes, note
    )


def P(
    name: str, *, method: str = "get", obj: str | None = None, kw: dict[str, str] | None = None, data: Any = None,
    query: str = "", ok: int | tuple[int, ...] = 200, note: str = "",
) -> Route:  # fmt: skip
    codes = (ok,) if isinstance(ok, int) else tuple(ok)
    return Route(name, True, method, obj, dict(kw or {}), data, query, anyone=True, ok=codes, note=note)


@dataclass
class Exempt:
    name: str
    reason: str


def x(name: str, reason: str) -> Exempt:
    return Exempt(name, reason)


# Routes outside any app's inventory, each with its reason.
EXEMPT = [
    x("set_language", "Django's language switch: a POST that only sets a cookie and redirects, for anyone"),
    x("accounts:logout", "signs the caller out (POST): anonymous and every user get the same redirect"),
    x("schema", "the OpenAPI document, open to anyone; generating it takes seconds: tests/test_api_schema.py checks it"),
]


def walk(patterns: Iterable[Any] | None = None, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    """(route name, pattern text, pattern) for every named URL pattern outside the admin."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            sub = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from walk(p.url_patterns, prefix + str(p.pattern), sub)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
            yield name, prefix + str(p.pattern), p


def is_format_variant(pattern: URLPattern) -> bool:
    """DRF's `format_suffix_patterns` copy of a route (`….json`); covered by the route's own entry."""
    return "format" in pattern.pattern.regex.groupindex


def route_names() -> dict[str, str]:
    """Route name → pattern text, one per route (format-suffix variants folded in); unnamed patterns as `?<pattern>`."""
    out: dict[str, str] = {}
    for name, text, pattern in walk():
        if is_format_variant(pattern):
            continue
        out.setdefault(name or f"?{text}", text)
    return out


def load() -> tuple[list[Route], list[Exempt]]:
    routes: list[Route] = []
    exempt: list[Exempt] = list(EXEMPT)
    for dotted in ROUTE_MODULES:
        module = importlib.import_module(dotted)
        routes.extend(getattr(module, "ROUTES", []))
        exempt.extend(getattr(module, "EXEMPT", []))
    return routes, exempt
