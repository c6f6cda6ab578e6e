from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from inspectorate.accounts.models import Membership
from inspectorate.accounts.roles import TEAM_ROLES
from inspectorate.core.pages import paginate

from . import selectors
from .api import CampaignFilter


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    filt = CampaignFilter(request.GET, queryset=selectors.campaigns_for(request.user))
    return render(
        request, "campaigns/list.html", {"filter": filt, "page": paginate(request, filt.qs), "today": timezone.localdate()}
    )


@login_required
def campaign_detail(request: HttpRequest, pk: str) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    today = timezone.localdate()
    team = getattr(campaign, "team", None)
    members = (
        Membership.objects.filter(campaign=campaign, role__in=list(TEAM_ROLES))
        .select_related("user")
        .order_by("role", "user__username")
    )
    phases = [
        {"label": label, "date": d, "estimated": est, "past": bool(d and d <= today)} for label, d, est in campaign.phases()
    ]
    return render(
        request,
        "campaigns/detail.html",
        {"c": campaign, "team": team, "members": members, "phases": phases, "stage": campaign.stage(today)},
    )
