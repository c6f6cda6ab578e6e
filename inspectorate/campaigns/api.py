"""API: campaigns with their team, targets, phases and computed stage."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.accounts.models import Membership, User
from inspectorate.accounts.roles import TEAM_ROLES, Role
from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.orgs.models import OrgUnit, UnitKind
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .models import Campaign, Stage, Team


def target_choices(user: Any) -> Any:
    """Units a campaign may target: for the office, any government or enterprise unit; else what the user sees."""
    if has_role_anywhere(user, "campaigns.create"):
        return OrgUnit.objects.exclude(kind=UnitKind.INSPECTORATE)
    return units_for(user)


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = [
            "name_zh",
            "name_en",
            "code",
            "leader",
            "leader_title",
            "hotline",
            "po_box",
            "email",
            "hotline_opens",
            "hotline_closes",
        ]
        read_only_fields = ["leader"]


class TeamMemberSerializer(serializers.ModelSerializer):
    """A roster entry: the user by username, a team role, the title in the team, the dates."""

    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in Role if r in TEAM_ROLES])
    display_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "display_name", "role", "title", "valid_from", "valid_until"]
        read_only_fields = ["id", "display_name"]
        validators: list[Any] = []  # overlap and date rules live in Membership.clean(), run by the action
        extra_kwargs = {"valid_from": {"required": False}}


class EndTeamMemberSerializer(serializers.Serializer):
    valid_until = serializers.DateField(required=False, help_text="The last day on the team; today by default.")
    reason = serializers.CharField(required=False, allow_blank=True)


class CampaignSerializer(serializers.ModelSerializer):
    team = TeamSerializer(required=False, allow_null=True)
    stage = serializers.SerializerMethodField()
    plan_due_estimated = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "level",
            "campaign_type",
            "round_no",
            "batch_no",
            "inspecting_unit",
            "targets",
            "parent",
            "pre_notice_date",
            "mobilisation_date",
            "stationing_start",
            "stationing_end",
            "descent_start",
            "feedback_date",
            "plan_due",
            "report_due",
            "archived_on",
            "reply_days",
            "reply_day_unit",
            "daily_cutoff",
            "notice_working_days",
            "summary",
            "team",
            "stage",
            "plan_due_estimated",
        ]
        read_only_fields = ["id", "stage", "plan_due_estimated"]
        extra_kwargs = {"stationing_end": {"required": False}, "reply_days": {"required": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["inspecting_unit"].queryset = units_for(request.user, "campaigns.create")  # type: ignore[attr-defined]
            self.fields["targets"].child_relation.queryset = target_choices(request.user)  # type: ignore[attr-defined]
            self.fields["parent"].queryset = selectors.campaigns_for(request.user)  # type: ignore[attr-defined]

    def get_stage(self, obj: Campaign) -> str:
        return str(obj.stage().value)

    def get_plan_due_estimated(self, obj: Campaign) -> bool:
        from inspectorate.core.calendar import is_estimated_range

        return bool(obj.feedback_date and is_estimated_range(obj.feedback_date, obj.plan_due))


class CampaignFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, method="filter_stage")
    target = django_filters.UUIDFilter(field_name="targets__id")

    class Meta:
        model = Campaign
        fields = ["level", "campaign_type", "round_no", "code"]

    def filter_stage(self, qs: Any, name: str, value: str) -> Any:
        ids = [c.pk for c in qs if c.stage() == value]
        return qs.filter(pk__in=ids)


class CampaignViewSet(viewsets.ModelViewSet):
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    # Writes to the roster (POST members, end a member): the team leader and the office (reads stay open).
    action_roles = {"members": "campaigns.change", "end_member": "campaigns.change"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.campaigns_for(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Only the inspecting body's office opens campaigns: others are refused before the body is read.
        if not has_role_anywhere(request.user, "campaigns.create"):
            raise PermissionDenied("campaigns.create")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        targets = data.pop("targets", [])
        team = data.pop("team", None)
        serializer.instance = actions.create_campaign(actor=self.request.user, targets=targets, team=team, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        targets = data.pop("targets", None)
        team = data.pop("team", None)
        instance: Any = serializer.instance
        campaign = actions.update_campaign(instance, actor=self.request.user, targets=targets, **data)
        if team:
            existing = Team.objects.filter(campaign=campaign).first()
            if existing is not None:
                actions.update_team(existing, actor=self.request.user, **team)
            else:
                actions.create_team(campaign, actor=self.request.user, **team)
        serializer.instance = selectors.campaigns_for(self.request.user).get(pk=campaign.pk)

    # -- the roster -------------------------------------------------------------------------
    @extend_schema(methods=["GET"], responses=TeamMemberSerializer(many=True))
    @extend_schema(methods=["POST"], request=TeamMemberSerializer, responses={201: TeamMemberSerializer})
    @action(detail=True, methods=["get", "post"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        """GET: the team's roster, current and ended. POST: add a member (inspector or team leader), dated."""
        campaign = self.get_object()
        if request.method == "POST":
            body = TeamMemberSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            m = actions.add_team_member(campaign, actor=request.user, **body.validated_data)
            return Response(TeamMemberSerializer(m).data, status=status.HTTP_201_CREATED)
        return Response(TeamMemberSerializer(actions.roster(campaign), many=True).data)

    @extend_schema(request=EndTeamMemberSerializer, responses=TeamMemberSerializer)
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_id>[0-9a-f-]{36})/end")
    def end_member(self, request: Request, pk: str | None = None, member_id: str | None = None) -> Response:
        """End a team membership on `valid_until` (today by default); it stays in the roster."""
        campaign = self.get_object()
        member = get_object_or_404(actions.roster(campaign), pk=member_id)
        body = EndTeamMemberSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.end_team_member(
            campaign,
            member,
            actor=request.user,
            on=body.validated_data.get("valid_until"),
            reason=body.validated_data.get("reason", ""),
        )
        return Response(TeamMemberSerializer(member).data)


def register(router: BaseRouter) -> None:
    router.register("campaigns", CampaignViewSet, basename="campaigns")
