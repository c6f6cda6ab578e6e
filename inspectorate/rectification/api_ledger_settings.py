"""API: a campaign's ledger settings (report frequency, warning and fake-rectification thresholds, the small-unit
sign-off exemption). Everyone in scope reads them; only the inspecting side changes them (`ledger_settings.manage`)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from inspectorate.accounts.scoping import restrict
from inspectorate.campaigns.models import Campaign
from inspectorate.campaigns.selectors import campaigns_for

from . import actions
from .actions.ledger_settings import EDITABLE
from .models import LedgerSettings

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class LedgerSettingsSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())

    class Meta:
        model = LedgerSettings
        fields = ["campaign", *EDITABLE]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]
        if self.instance is not None:
            self.fields["campaign"].read_only = True


class LedgerSettingsViewSet(viewsets.ModelViewSet):
    """Per-campaign ledger settings, keyed by the campaign's id. POST sets them for a campaign that has none yet."""

    serializer_class = LedgerSettingsSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = UUID_RE
    action_roles = {"create": "ledger_settings.manage", "partial_update": "ledger_settings.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return restrict(LedgerSettings.objects.select_related("campaign"), self.request.user, "view").order_by("campaign__code")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        campaign = data.pop("campaign")
        serializer.instance = actions.update_ledger_settings(campaign, actor=self.request.user, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("campaign", None)
        instance: Any = serializer.instance
        serializer.instance = actions.update_ledger_settings(instance.campaign, actor=self.request.user, **data)
