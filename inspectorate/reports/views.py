from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspectorate.accounts.scoping import active_memberships
from inspectorate.campaigns.selectors import campaigns_for

from .dashboard import cards_for
from .panels import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = active_memberships(request.user)
    current = [
        c
        for c in campaigns_for(request.user)[:200]
        if c.stage() in ("stationed", "field_descent", "pre_notified", "feedback_given", "rectifying")
    ][:8]
    return render(
        request,
        "reports/home.html",
        {"cards": cards_for(request.user), "memberships": memberships, "current": current, **panels_for(request.user)},
    )
