from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.models import Membership
from inspectorate.accounts.roles import TEAM_ROLES
from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.core.formpages import apply_errors
from inspectorate.core.pages import paginate

from . import actions, selectors
from .api import CampaignFilter
from .forms import TEAM_ALIASES, CampaignForm, EndMemberForm, TeamMemberForm
from .models import Campaign, Team


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    filt = CampaignFilter(request.GET, queryset=selectors.campaigns_for(request.user))
    return render(
        request,
        "campaigns/list.html",
        {
            "filter": filt,
            "page": paginate(request, filt.qs),
            "today": timezone.localdate(),
            "may_create": has_role_anywhere(request.user, "campaigns.create"),
        },
    )


@login_required
def campaign_detail(request: HttpRequest, pk: str) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    today = timezone.localdate()
    team = getattr(campaign, "team", None)
    members = (
        Membership.objects.filter(campaign=campaign, role__in=list(TEAM_ROLES))
        .filter(valid_from__lte=today)
        .exclude(valid_until__lt=today)
        .select_related("user")
        .order_by("role", "user__username")
    )
    phases = [
        {"label": label, "date": d, "estimated": est, "past": bool(d and d <= today)} for label, d, est in campaign.phases()
    ]
    return render(
        request,
        "campaigns/detail.html",
        {
            "c": campaign,
            "team": team,
            "members": members,
            "phases": phases,
            "stage": campaign.stage(today),
            "may_change": can(request.user, "campaigns.change", campaign),
        },
    )


def _form_page(request: HttpRequest, form: Any, title: str, *, back: str, audit_obj: Any = None) -> HttpResponse:
    return render(
        request,
        "campaigns/form.html",
        {"form": form, "title": title, "back": back, "audit_obj": audit_obj},
        status=400 if form.errors else 200,
    )


def _save(form: CampaignForm, fn: Any) -> Campaign | None:
    """Run `fn(stage)` in one transaction; on a validation error show it on the form and save nothing."""
    stage = ["campaign"]
    with transaction.atomic():
        try:
            return fn(stage)  # type: ignore[no-any-return]
        except ValidationError as exc:
            apply_errors(form, exc, aliases=TEAM_ALIASES if stage[0] == "team" else None)
            transaction.set_rollback(True)
    return None


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """The inspecting body's office opens a campaign with its team."""
    if not has_role_anywhere(request.user, "campaigns.create"):
        raise PermissionDenied("campaigns.create")
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, targets = form.campaign_data()

        def run(stage: list[str]) -> Campaign:
            campaign = actions.create_campaign(actor=request.user, targets=targets, **data)
            stage[0] = "team"
            actions.create_team(campaign, actor=request.user, **form.team_data())
            return campaign

        campaign = _save(form, run)
        if campaign is not None:
            messages.success(request, _("Campaign created."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return _form_page(request, form, _("New campaign"), back=reverse("campaigns:list"))


@login_required
def campaign_edit(request: HttpRequest, pk: str) -> HttpResponse:
    """The office edits everything; the team leader the team's own fields, the team and its hotline."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    if not can(request.user, "campaigns.change", campaign):
        raise PermissionDenied("campaigns.change")
    office = can(request.user, "campaigns.create", campaign)
    form = CampaignForm(request.POST or None, user=request.user, instance=campaign, office=office)
    if request.method == "POST" and form.is_valid():
        data, targets = form.campaign_data()

        def run(stage: list[str]) -> Campaign:
            updated = actions.update_campaign(campaign, actor=request.user, targets=targets, **data)
            stage[0] = "team"
            team = Team.objects.filter(campaign=updated).first()
            if team is None:
                actions.create_team(updated, actor=request.user, **form.team_data())
            else:
                actions.update_team(team, actor=request.user, **form.team_data())
            return updated

        if _save(form, run) is not None:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
        campaign.refresh_from_db()
    title = _("Edit %(campaign)s") % {"campaign": campaign}
    return _form_page(request, form, title, back=reverse("campaigns:detail", args=[campaign.pk]), audit_obj=campaign)


@login_required
def roster(request: HttpRequest, pk: str) -> HttpResponse:
    """The team's members with roles and dates, current and ended; the team leader adds and ends them."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    may_change = can(request.user, "campaigns.change", campaign)
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("campaigns.change")
        if form.is_valid():
            try:
                actions.add_team_member(
                    campaign,
                    actor=request.user,
                    user=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                    title=form.cleaned_data["title"],
                    valid_from=form.cleaned_data["valid_from"],
                    valid_until=form.cleaned_data["valid_until"],
                )
            except ValidationError as exc:
                apply_errors(form, exc, aliases={"user": "username"})
            else:
                messages.success(request, _("Team member added."))
                return redirect("campaigns:roster", pk=campaign.pk)
    today = timezone.localdate()
    return render(
        request,
        "campaigns/roster.html",
        {"c": campaign, "members": actions.roster(campaign), "form": form, "may_change": may_change, "today": today},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def roster_end(request: HttpRequest, pk: str, member_id: str) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    member = get_object_or_404(actions.roster(campaign), pk=member_id)
    if not can(request.user, "campaigns.change", campaign):
        raise PermissionDenied("campaigns.change")
    form = EndMemberForm(request.POST)
    if form.is_valid():
        try:
            actions.end_team_member(campaign, member, actor=request.user, on=form.cleaned_data["valid_until"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(user)s leaves the team.") % {"user": member.user})
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
    return redirect("campaigns:roster", pk=campaign.pk)
