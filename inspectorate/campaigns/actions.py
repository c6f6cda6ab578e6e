"""State changes for campaigns and teams."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from .models import Campaign, Team


def create_campaign(
    *, actor: Any, targets: list[Any] | None = None, team: dict[str, Any] | None = None, **fields: Any
) -> Campaign:
    campaign = Campaign(**fields)
    # Whoever may manage campaigns on the inspecting body may open one.
    if not getattr(actor, "is_superuser", False):
        authorize(actor, "orgs.manage", campaign.inspecting_unit)
    with transaction.atomic():
        campaign.full_clean()
        campaign.save()
        if targets:
            campaign.targets.set(targets)
        if team:
            t = Team(campaign=campaign, **team)
            t.full_clean()
            t.save()
        audit.record(actor, "campaign.create", campaign, after=snapshot(campaign))
    return campaign


def update_campaign(
    campaign: Campaign, *, actor: Any, targets: list[Any] | None = None, reason: str = "", **changes: Any
) -> Campaign:
    if not _may_change(actor, campaign):
        raise PermissionDenied("campaigns.change")
    before = snapshot(campaign)
    for key, value in changes.items():
        setattr(campaign, key, value)
    if "feedback_date" in changes and "plan_due" not in changes:
        campaign.plan_due = None  # recomputed from the new feedback date
    with transaction.atomic():
        campaign.full_clean()
        campaign.save()
        if targets is not None:
            campaign.targets.set(targets)
        audit.record(actor, "campaign.update", campaign, before=before, after=snapshot(campaign), reason=reason)
    return campaign


def update_team(team: Team, *, actor: Any, reason: str = "", **changes: Any) -> Team:
    if not _may_change(actor, team.campaign):
        raise PermissionDenied("campaigns.change")
    before = snapshot(team)
    for key, value in changes.items():
        setattr(team, key, value)
    with transaction.atomic():
        team.full_clean()
        team.save()
        audit.record(actor, "team.update", team, before=before, after=snapshot(team), reason=reason)
    return team


def _may_change(actor: Any, campaign: Campaign) -> bool:
    from inspectorate.accounts.scoping import can

    return can(actor, "campaigns.change", campaign) or can(actor, "orgs.manage", campaign.inspecting_unit)
