"""E-mail alert pages: ask for an alert, confirm it from the e-mail, leave it. No login; the links carry the
alert's random token. Confirming and leaving are POSTs behind a button, so a mail scanner that opens links
changes nothing."""

from __future__ import annotations

import datetime as dt
import smtplib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspectorate.core import throttle
from inspectorate.core.clientip import client_ip

from . import alerts
from .forms import AlertForm
from .models import Alert

# Requests for alerts per client address and hour (counted in the database: every process agrees).
REQUESTS_PER_HOUR = 10


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def subscribe(request: HttpRequest) -> HttpResponse:
    form = AlertForm(request.POST or None, initial={"campaign": request.GET.get("campaign") or None})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return render(request, "portal/alert_done.html", {"state": "sent"})  # a robot: say nothing more
        limit = throttle.Limit("portal-alert", REQUESTS_PER_HOUR, dt.timedelta(hours=1))
        address = client_ip(request)
        if throttle.exceeded(limit, address):
            form.add_error(None, _("Too many requests from your address. Please try again in an hour."))
            return render(request, "portal/alerts.html", {"form": form}, status=429)
        throttle.hit(limit, address)
        d = form.cleaned_data
        try:
            alert, mailed = alerts.subscribe(
                d["email"],
                campaign=d["campaign"],
                region=d["region"],
                results=d["results"],
                notices=d["notices"],
                language=_language(),
            )
        except (smtplib.SMTPException, OSError):
            form.add_error(None, _("The confirmation e-mail could not be sent. Nothing was saved; please try again later."))
            return render(request, "portal/alerts.html", {"form": form}, status=503)
        return render(request, "portal/alert_done.html", {"state": "sent" if mailed else "active", "alert": alert})
    return render(request, "portal/alerts.html", {"form": form}, status=400 if request.method == "POST" else 200)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    alert = get_object_or_404(Alert, token=token)
    if request.method == "POST":
        alerts.confirm(alert)
        return render(request, "portal/alert_done.html", {"state": "confirmed", "alert": alert})
    return render(request, "portal/alert_action.html", {"alert": alert, "action": "confirm"})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    alert = get_object_or_404(Alert, token=token)
    if request.method == "POST":
        alerts.unsubscribe(alert)
        return render(request, "portal/alert_done.html", {"state": "left", "alert": alert})
    return render(request, "portal/alert_action.html", {"alert": alert, "action": "unsubscribe"})
