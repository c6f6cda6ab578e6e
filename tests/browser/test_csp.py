"""The strict Content-Security-Policy in a real browser: the main pages run (map, charts, HTMX, Swagger UI) with no
policy violation and no script error. Also the two-factor sign-in through the login form (the login helper types the
code of the user's device)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import login

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _watch(page):  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.add_init_script(WATCH)
    page.on("pageerror", lambda err: problems.append(f"script error: {err}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    return problems


def _check(page, problems: list[str], where: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("() => window.__violations || []")
    assert not violations, f"{where}: CSP violations {violations}"
    assert not problems, f"{where}: {problems}"
    header = page.evaluate("() => document.contentType")
    assert header == "text/html"


def test_public_report_form_runs_under_the_strict_policy(page, live_world):
    w = live_world
    today = timezone.localdate()
    w.campaign.stationing_start = today - dt.timedelta(days=3)
    w.campaign.stationing_end = today + dt.timedelta(days=20)
    w.campaign.save()
    problems = _watch(page)

    # The public report form with its Leaflet map: clicking the map sets the pin.
    response = page.goto(f"{page.base_url}/public/report/{w.campaign.code}/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe" not in policy
    page.wait_for_selector("#map .leaflet-pane", state="attached")
    page.click("#map", position={"x": 300, "y": 160})
    assert page.input_value("#id_lat") != ""
    _check(page, problems, "public report form")


def test_staff_pages_run_under_the_strict_policy(page, live_world):
    from inspectorate.complaints.tests.conftest import flow_to_dispatch
    from inspectorate.rectification.tests.conftest import build

    w = live_world
    today = timezone.localdate()
    problems = _watch(page)

    # A dashboard with Chart.js charts drawn from its tables (a liaison office's).
    flow_to_dispatch(w)
    rect = build(w)
    rect.task(deadline=today - dt.timedelta(days=5))
    rect.task()
    login(page, "liaison_a")
    page.wait_for_selector("canvas[data-chart-for][data-drawn='1']")
    _check(page, problems, "dashboard")
    page.goto(page.base_url + "/rectification/")
    _check(page, problems, "ledger with progress bars")
    page.context.clear_cookies()

    # A list filtered in place with HTMX, as the administrator (who signs in with a second factor).
    login(page, "admin")
    assert "/accounts/2fa/" not in page.url
    page.goto(page.base_url + "/orgs/units/")
    page.fill("input[name=q]", "平江")
    page.wait_for_function("() => !document.querySelector('#results').innerText.includes('常德市')")
    _check(page, problems, "HTMX list")

    # Swagger UI: its own policy on that page (inline styles allowed), scripts still from files only.
    response = page.goto(page.base_url + "/api/v1/docs/")
    assert response is not None and "'unsafe-inline'" in response.headers["content-security-policy"]
    page.wait_for_function(
        "() => (document.querySelector('.swagger-ui .info .title') || {}).textContent?.includes('inspectorate API')",
        timeout=90000,
    )
    _check(page, problems, "Swagger UI")


def test_two_factor_enrolment_in_the_browser(page, live_world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inspectorate.testing.otp import code_for

    problems = _watch(page)
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".otp-qr svg")
    assert "/accounts/2fa/enrol/" in page.url
    secret = page.inner_text("#otp-secret").strip()
    assert len(secret) >= 16
    _check(page, problems, "enrolment page")
    device = TOTPDevice.objects.get(user__username="inspector")
    page.fill("#id_code", code_for(device))
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert "/accounts/2fa/" not in page.url
    device.refresh_from_db()
    assert device.confirmed
    _check(page, problems, "after enrolment")
