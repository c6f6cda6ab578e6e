"""Root pytest configuration: shared fixtures, and the rules for tests that need a browser or ../shared.

Locally such tests skip with a message; in CI (`INSPECTORATE_STRICT=1`, set by .ci/run) a
missing browser or ../shared fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent / "shared"
CHROMIUM = Path(os.environ.get("INSPECTORATE_CHROMIUM", "/usr/bin/chromium"))
STRICT = os.environ.get("INSPECTORATE_STRICT") == "1"


def need(condition: bool, message: str) -> None:
    if condition:
        return
    if STRICT:
        pytest.fail(f"{message} (INSPECTORATE_STRICT=1: CI treats this as a failure)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> None:
    """Each test starts with an empty local-memory cache (rate limits, cached public pages); a Redis cache, which
    other processes share, is never flushed here (its tests use key prefixes of their own)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        backend.clear()


@pytest.fixture
def shared_dir() -> Path:
    need(SHARED.is_dir(), f"../shared is absent ({SHARED}); this test reads it")
    return SHARED


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from inspectorate.testing.cast import World

    return World.build()


@pytest.fixture
def live_world(transactional_db):  # type: ignore[no-untyped-def]
    """The same cast, committed, for tests that talk to `live_server` from another thread or a browser."""
    from inspectorate.testing.cast import World

    return World.build()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.test.client import ClientMixin

    # Password hashing is not what the tests measure: a fast hasher keeps factories quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    # A test client's login (force_login, login) also passes the second factor for users who need one
    # (inspectorate.testing.otp); two-factor's own tests go through the login form.
    original = ClientMixin._login

    def _login(self, user, backend=None):  # type: ignore[no-untyped-def]
        original(self, user, backend)
        from inspectorate.testing.otp import pass_second_factor

        pass_second_factor(self, user)

    ClientMixin._login = _login  # type: ignore[method-assign]


_traveller = None


def _move_clock() -> None:
    """With INSPECTORATE_CLOCK_SHIFT_DAYS=N the whole session runs N days ahead of the wall clock.

    time-machine moves `time.time()`, `datetime.now()` and `date.today()` for every thread of the
    process (the live server's too) and keeps ticking, so the cast's stay, deadlines and audit
    timestamps all move together.  Each xdist worker runs this for itself.
    """
    global _traveller
    from inspectorate.testing.clock import shift_days

    days = shift_days()
    if not days or _traveller is not None:
        return
    import datetime as dt

    import time_machine

    _traveller = time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=days), tick=True)
    _traveller.start()


# Before any other conftest or test module computes a date from "today".
_move_clock()


def pytest_report_header(config: pytest.Config) -> str:
    from inspectorate.testing.clock import shift_days, stay_end, stay_start, today

    return f"test clock: today {today()} (moved {shift_days()} days); cast stay {stay_start()} .. {stay_end()}"


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    need(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the
    # test itself are still synchronous, so tell Django that is intended.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser page; `page.base_url` is the live server's address."""
    from urllib.parse import urlsplit

    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_local(route, request):  # type: ignore[no-untyped-def]
        # The product must not reach outside at run time (no CDN, no tile server by default).
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host in ("localhost", "127.0.0.1", "::1"):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", only_local)
    pg = context.new_page()
    pg.base_url = live_server.url  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not outside, f"the page tried to reach outside this machine: {outside[:5]}"


def login(page, username: str, password: str = "correct-horse-battery") -> None:  # type: ignore[no-untyped-def]
    """Log in through the form; a user who needs two-factor sign-in gets a device first and types its code."""
    from inspectorate.accounts.models import User
    from inspectorate.accounts.otp import needs_otp
    from inspectorate.testing.otp import ensure_device

    user = User.objects.filter(username=username).first()
    if user is not None and needs_otp(user):
        ensure_device(user)
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    if "/accounts/2fa/" in page.url:  # a role that needs the second factor: the code its device shows now
        from inspectorate.accounts.models import User
        from inspectorate.testing.otp import code_for, ensure_device

        user = User.objects.get(username=username)
        page.fill("#id_code", code_for(ensure_device(user)))
        page.click("button[type=submit].primary")
        page.wait_for_load_state("networkidle")


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One SQLite file migrated by `manage.py migrate` in a subprocess, made once per test run and shared by the
    xdist workers (a lock file in their common temporary folder): migrating costs about 13 s of CPU, and the tests
    that run the product as separate processes on a database file of their own each need one."""
    import fcntl
    import subprocess
    import sys

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder every worker's basetemp lives in
    template = root / "migrated-template.sqlite3"
    with open(root / "migrated-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = root / "migrated-template.building.sqlite3"
            building.unlink(missing_ok=True)
            env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{building}"}
            env.pop("INSPECTORATE_CLOCK_SHIFT_DAYS", None)
            done = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=Path(__file__).resolve().parent, env=env, capture_output=True, text=True, timeout=900, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:]
            building.rename(template)
    return template


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template, tmp_path):  # type: ignore[no-untyped-def]
    """A fresh copy of a freshly migrated SQLite database file (for tests that start `manage.py` subprocesses)."""
    import shutil

    db = tmp_path / "migrated.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, db)
    return db


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files holding a test marked `slow` run first (longest work first): with `--dist loadfile` each xdist worker
    takes whole files in collection order, and a run that reaches a long test last ends with one worker busy and
    the other idle. The order within each group is kept."""
    from inspectorate.testing.clock import shift_days

    if shift_days():
        # INSPECTORATE_CLOCK_SHIFT_DAYS moves this process's clock (time-machine), not a subprocess's: a test whose
        # subject runs as `manage.py` subprocesses on the wall clock checks nothing more with a moved clock.
        # The passes with the real clock run it.
        moved = pytest.mark.skip(reason="its subprocesses run on the wall clock; the clock-moved pass cannot move them")
        for item in items:
            if item.get_closest_marker("wall_clock"):
                item.add_marker(moved)
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
