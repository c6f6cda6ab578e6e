"""State changes for campaigns, teams and rosters.

Who does what (accounts/roles.py): the inspecting body's office ("campaigns.create") opens campaigns and sets
what the office decides; the team leader ("campaigns.change", own campaign) keeps the team's own fields, the
team (hotline, hours, PO box) and the roster. The roster goes through accounts.actions, so grants are audited
like every other membership.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts import actions as account_actions
from inspectorate.accounts.models import Membership
from inspectorate.accounts.roles import TEAM_ROLES
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot
from inspectorate.core.errors import ExplainedDenial

from .models import Campaign, Team

# Fields the team keeps for its own campaign; every other field is the office's ("campaigns.create").
TEAM_FIELDS = frozenset({"feedback_date", "descent_start", "summary"})


def create_campaign(
    *, actor: Any, targets: list[Any] | None = None, team: dict[str, Any] | None = None, **fields: Any
) -> Campaign:
    campaign = Campaign(**fields)
    # The office of the inspecting body (or an administrator above it) opens its campaigns.
    authorize(actor, "campaigns.create", campaign.inspecting_unit)
    with transaction.atomic():
        campaign.full_clean()
        campaign.save()
        if targets:
            campaign.targets.set(targets)
        if team:
            t = Team(campaign=campaign, **team)
            t.full_clean()
            t.save()
            audit.record(actor, "team.create", t, after=snapshot(t))
        audit.record(actor, "campaign.create", campaign, after=snapshot(campaign))
    return campaign


def office_fields_changed(campaign: Campaign, changes: dict[str, Any], targets: list[Any] | None) -> list[str]:
    """The office-set fields that `changes` (and `targets`) would really change."""
    changed = sorted(k for k, v in changes.items() if k not in TEAM_FIELDS and getattr(campaign, k) != v)
    if targets is not None and {t.pk for t in targets} != {t.pk for t in campaign.targets.all()}:
        changed.append("targets")
    return changed


def update_campaign(
    campaign: Campaign, *, actor: Any, targets: list[Any] | None = None, reason: str = "", **changes: Any
) -> Campaign:
    authorize(actor, "campaigns.change", campaign)
    office = office_fields_changed(campaign, changes, targets)
    if office and not can(actor, "campaigns.create", campaign):
        raise ExplainedDenial(
            _("Only the inspecting body's office may change these fields: %(fields)s.") % {"fields": ", ".join(office)}
        )
    if "inspecting_unit" in office:
        authorize(actor, "campaigns.create", changes["inspecting_unit"])
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


def create_team(campaign: Campaign, *, actor: Any, **fields: Any) -> Team:
    authorize(actor, "campaigns.change", campaign)
    team = Team(campaign=campaign, **fields)
    with transaction.atomic():
        team.full_clean()
        team.save()
        audit.record(actor, "team.create", team, after=snapshot(team))
    return team


def update_team(team: Team, *, actor: Any, reason: str = "", **changes: Any) -> Team:
    authorize(actor, "campaigns.change", team.campaign)
    before = snapshot(team)
    for key, value in changes.items():
        setattr(team, key, value)
    with transaction.atomic():
        team.full_clean()
        team.save()
        audit.record(actor, "team.update", team, before=before, after=snapshot(team), reason=reason)
    return team


# -- the roster -------------------------------------------------------------------


def roster(campaign: Campaign) -> Any:
    """Every team membership of the campaign, current and ended (call after the campaign was read in scope)."""
    return (
        Membership.objects.filter(campaign=campaign, role__in=list(TEAM_ROLES))
        .select_related("user")
        .order_by("valid_until", "role", "user__username")
    )


def add_team_member(
    campaign: Campaign,
    *,
    actor: Any,
    user: Any,
    role: str,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    reason: str = "",
) -> Membership:
    """Put `user` on the campaign's team as inspector or team leader, from/until the given dates."""
    authorize(actor, "campaigns.change", campaign)
    if role not in TEAM_ROLES:
        raise ValidationError({"role": _("A team member is an inspector or a team leader.")})
    fields: dict[str, Any] = {
        "user": user,
        "role": role,
        "campaign": campaign,
        "org_unit": campaign.inspecting_unit,
        "title": title,
        "valid_until": valid_until,
    }
    if valid_from is not None:
        fields["valid_from"] = valid_from
    return account_actions.add_membership(actor=actor, reason=reason, **fields)


def end_team_member(
    campaign: Campaign, member: Membership, *, actor: Any, on: dt.date | None = None, reason: str = ""
) -> Membership:
    """End a team membership on `on` (today by default); it stays in the roster's history."""
    authorize(actor, "campaigns.change", campaign)
    if member.campaign_id != campaign.pk or member.role not in TEAM_ROLES:
        raise PermissionDenied("campaigns.change")
    if member.valid_until is not None and member.valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("This membership has already ended.")})
    return account_actions.end_membership(member, actor=actor, on=on, reason=reason)
