"""Every URL pattern (page, API, Open311, export, download) is in the permission matrix.

The inventory and its format: `inspectorate/testing/inventory.py`; the entries: each app's
`tests/routes.py`.  The first two tests need no database: they compare the inventory with
`get_resolver()`.  The rest probe every entry, per app, against one shared world built once
(`setUpTestData`); each probe runs in a savepoint rolled back afterwards, so an allowed write
changes nothing for the next one.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from inspectorate.testing.inventory import ROUTE_MODULES, WRITE_OK, Route, load, route_names
from inspectorate.testing.matrix import assert_matrix
from inspectorate.testing.routeworld import RouteWorld, build


def test_every_route_is_in_the_inventory() -> None:
    routes, exempt = load()
    known = {r.name for r in routes} | {e.name for e in exempt}
    missing = sorted(f"{name}  ({text})" for name, text in route_names().items() if name not in known)
    assert not missing, (
        f"{len(missing)} URL pattern(s) have no entry in the route inventory (an app's tests/routes.py, "
        "format in inspectorate/testing/inventory.py):\n  " + "\n  ".join(missing)
    )


def test_no_entry_names_a_route_that_is_gone() -> None:
    routes, exempt = load()
    names = set(route_names())
    stale = sorted({r.name for r in routes if r.name not in names} | {e.name for e in exempt if e.name not in names})
    assert not stale, "inventory entries for routes that no longer exist:\n  " + "\n  ".join(stale)
    both = sorted({r.name for r in routes} & {e.name for e in exempt})
    assert not both, f"routes both in the inventory and exempt: {both}"
    assert all(e.reason.strip() for e in exempt)


def test_no_write_is_open_to_every_role_without_a_reason(capsys: Any) -> None:
    """A staff write (post, patch, put, delete) names a wrong-role user who gets 403, or says with a `note` why every
    in-scope user may make it: an `anyone=True` write without a reason is a permission nobody decided."""
    routes, _ = load()
    writes = [r for r in routes if not r.public and r.method != "get"]
    open_writes = [r for r in writes if r.anyone]
    unexplained = sorted(f"{r.name} ({r.method})" for r in open_writes if not r.note.strip())
    with capsys.disabled():
        print(
            f"\nwrite routes: {len(writes)} staff/API writes, {sum(1 for r in writes if r.has_wrong_role_case)} with a "
            f"wrong-role case, {len(open_writes)} open to every in-scope role with a note, {len(unexplained)} without"
        )
    assert not unexplained, (
        f"{len(unexplained)} write route(s) are marked anyone=True without a note: give a wrong-role user "
        "(wrong=..., 403 expected) or a note saying why every in-scope role may write:\n  " + "\n  ".join(unexplained)
    )


def test_inventory_figures(capsys: Any) -> None:
    """Not a check: prints the coverage figures (`pytest -s`)."""
    routes, exempt = load()
    names = route_names()
    covered = {r.name for r in routes}
    staff = [r for r in routes if not r.public]
    with capsys.disabled():
        print(
            f"\nroute inventory: {len(names)} routes, {len(covered)} covered by {len(routes)} checks "
            f"({sum(1 for r in routes if r.public)} public, {len(staff)} staff/API, "
            f"{sum(1 for r in staff if r.has_wrong_role_case)} with a wrong-role case), {len(exempt)} exempt"
        )


_KW = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def _url(route: Route, w: RouteWorld) -> str:
    kwargs: dict[str, str] = {}
    if route.obj:
        kwargs["pk"] = str(w.objs[route.obj].pk)
    for k, v in route.kw.items():
        kwargs[k] = str(w.objs[v[1:]].pk) if v.startswith("@") else v
    url = reverse(route.name, kwargs=kwargs or None)
    return url + (f"?{route.query}" if route.query else "")


# The world's files (evidence, attachments, notices) are kept in memory, never on the checkout's media folder.
_STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@override_settings(STORAGES=_STORAGES)
class RouteMatrix(TestCase):
    w: ClassVar[RouteWorld]
    clients: ClassVar[dict[str, Client]]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.w = build()
        # Signed in once, outside the savepoints that each probe rolls back (a session made inside one would vanish).
        cls.clients = {}
        for name, user in cls.w.users.items():
            cls.clients[name] = Client()
            cls.clients[name].force_login(user)

    def setUp(self) -> None:
        for name in ("django.request", "django.security.csrf"):
            logger = logging.getLogger(name)
            level = logger.level
            logger.setLevel(logging.CRITICAL)
            self.addCleanup(logger.setLevel, level)

    def login(self, user: Any) -> Client:
        return self.clients[next(k for k, u in self.w.users.items() if u.pk == user.pk)]

    def check(self, route: Route) -> None:
        w = self.w
        url = _url(route, w)
        api = url.startswith(("/api/", "/open311/"))
        write = route.method != "get"
        if route.public:
            c = Client()
            fn = getattr(c, route.method)
            r = fn(url, route.data or {}) if not write or not api else fn(url, route.data or {}, content_type="application/json")
            assert r.status_code in route.ok, f"public {route.method} {url}: expected {route.ok}, got {r.status_code}"
            return
        assert_matrix(
            url,
            method=route.method,
            data=route.data,
            api=api,
            allowed=[w.users[u] for u in route.allowed],
            out_of_scope=[w.users[u] for u in route.oos],
            forbidden=[w.users[u] for u in route.wrong],
            ok=route.ok or (WRITE_OK if write else (200,)),
            login=self.login,
        )

    def run_module(self, dotted: str) -> None:
        import importlib

        module = importlib.import_module(dotted)
        failures = []
        for route in getattr(module, "ROUTES", []):
            try:
                with transaction.atomic():
                    try:
                        self.check(route)
                    finally:
                        transaction.set_rollback(True)
            except AssertionError as e:
                failures.append(f"{route.name}: {e}")
            except Exception as e:  # an error in one route must not hide the others: reported below
                failures.append(f"{route.name}: {type(e).__name__}: {e}")
        assert not failures, f"{len(failures)} route(s) failed the matrix:\n  " + "\n  ".join(failures)


def _make(dotted: str) -> Any:
    def test(self: RouteMatrix) -> None:
        self.run_module(dotted)

    return test


for _dotted in ROUTE_MODULES:
    setattr(RouteMatrix, f"test_{_dotted.split('.')[1]}", _make(_dotted))

assert not [n for n, c in Counter(m.split(".")[1] for m in ROUTE_MODULES).items() if c > 1]
