"""API: campaigns with their team, targets, phases and computed stage."""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .models import Campaign, Stage, Team


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
            visible = units_for(request.user)
            self.fields["inspecting_unit"].queryset = visible  # type: ignore[attr-defined]
            self.fields["targets"].child_relation.queryset = visible  # type: ignore[attr-defined]
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

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.campaigns_for(self.request.user)

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
            existing = getattr(campaign, "team", None)
            if existing is not None:
                actions.update_team(existing, actor=self.request.user, **team)
        serializer.instance = campaign


def register(router: BaseRouter) -> None:
    router.register("campaigns", CampaignViewSet, basename="campaigns")
