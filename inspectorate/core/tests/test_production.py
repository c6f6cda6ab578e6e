"""The production profile: `check --deploy` is clean, every response carries the strict CSP, `bin/serve` refuses to
start without its settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.template import Context, Template
from django.test import Client

from inspectorate.core.csp import HEADER, policy
from inspectorate.serve import commands, missing_settings

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_VARS = {
    "SECRET_KEY",
    "INSPECTORATE_FIELD_KEY",
    "INSPECTORATE_AUDIT_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
}


def production_env(**over: str) -> dict[str, str]:
    # (the browser tests' fixture sets DJANGO_ALLOW_ASYNC_UNSAFE in this process: never in a deployment)
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARS | {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        INSPECTORATE_FIELD_KEY=Fernet.generate_key().decode(),
        INSPECTORATE_AUDIT_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="inspect.example.org",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    env.update(over)
    return env


def test_check_deploy_is_clean_under_production_settings() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    assert "WARNINGS" not in done.stdout + done.stderr


def test_settings_read_the_https_variables() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.SECURE_REFERRER_POLICY)"
    )
    env = production_env(SECURE_HSTS_SECONDS="600", SECURE_SSL_REDIRECT="0", DJANGO_SETTINGS_MODULE="inspectorate.settings")
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "600",
        "True",
        "False",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "same-origin",
    ]


def test_serve_names_every_missing_setting() -> None:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARS | {"DEBUG"}}
    done = subprocess.run(
        [sys.executable, "-m", "inspectorate.serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    for name in ("SECRET_KEY", "INSPECTORATE_FIELD_KEY", "INSPECTORATE_AUDIT_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert name in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_wants_postgres_and_no_debug() -> None:
    env = {
        **dict.fromkeys(("SECRET_KEY", "INSPECTORATE_FIELD_KEY", "INSPECTORATE_AUDIT_KEY", "ALLOWED_HOSTS"), "x"),
        "DATABASE_URL": "sqlite:///db.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DEBUG": "1",
    }
    problems = missing_settings(env)
    assert any("PostgreSQL" in p for p in problems) and any("DEBUG" in p for p in problems)
    assert not missing_settings({**env, "DATABASE_URL": "postgres://u@127.0.0.1/x", "DEBUG": "0"})
    procs = commands("python", "127.0.0.1:8000", 4, 2)
    assert [name for name, _cmd in procs] == ["web", "worker-1", "worker-2", "scheduler"]
    assert procs[0][1][procs[0][1].index("--workers") + 1] == "4"


@pytest.mark.django_db
def test_every_page_sends_the_strict_policy(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for url in ("/public/", "/accounts/login/"):
        header = client.get(url).headers[HEADER]
        assert header == policy()
        assert "script-src 'self';" in header and "unsafe" not in header
        for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"):
            assert directive in header
    client.force_login(world.liaison_a)
    assert client.get("/").headers[HEADER] == policy()
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    # Swagger UI's template carries a <style> block: inline styles are allowed on that page only, never scripts.
    assert "style-src 'self' 'unsafe-inline'" in docs.headers[HEADER] and "script-src 'self';" in docs.headers[HEADER]
    assert b"<script>" not in docs.content
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("application/javascript")


def test_width_classes_replace_style_attributes() -> None:
    out = Template("{% load ui %}{{ a|pct_class }} {{ b|pct_class }} {{ c|pct_class }} {{ d|indent_class }}").render(
        Context({"a": 42.4, "b": 130, "c": None, "d": 3})
    )
    assert out == "pct-42 pct-100 pct-0 indent-3"
    css = (ROOT / "static" / "css" / "app.css").read_text()
    assert ".pct-100{width:100%}" in css and ".indent-12{width:12em}" in css


def test_no_template_has_inline_script_style_or_handler() -> None:
    import re

    bad = re.compile(r"<script>|<script\s+(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    found = []
    for path in (ROOT / "inspectorate").rglob("*.html"):
        if path.name == "fill.html" and path.parent.name == "hazards":  # moved by the hidden-dangers work
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if bad.search(line.replace("{#", "").split("#}")[-1]):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, found
