"""API: the target's responsible leaders (/api/v1/leaders/) and its evidence library (/api/v1/evidence/)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .filters import EvidenceFilter, LeaderFilter
from .models import Evidence, Leader

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class LeaderSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    rank_label = serializers.CharField(source="get_rank_display", read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = Leader
        fields = ["id", "name", "post", "rank", "rank_label", "unit", "unit_name", "valid_from", "valid_until", "active"]
        read_only_fields = ["id", "valid_until"]
        validators: list[Any] = []  # the action validates (constraints with translated messages)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]

    def get_active(self, obj: Leader) -> bool:
        return obj.is_active_on(self.context["today"])


class EndLeaderSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LeaderViewSet(viewsets.ModelViewSet):
    """Responsible leaders of the units the user reaches; the liaison office (tasks.manage) keeps them."""

    serializer_class = LeaderSerializer
    filterset_class = LeaderFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = UUID_RE
    action_roles = {"create": "tasks.manage", "partial_update": "tasks.manage", "end": "tasks.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.leaders_for(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        from django.utils import timezone

        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = actions.create_leader(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        instance: Any = serializer.instance
        serializer.instance = actions.update_leader(instance, actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=EndLeaderSerializer, responses=LeaderSerializer)
    @action(detail=True, methods=["post"], url_path="end")
    def end(self, request: Request, pk: str | None = None) -> Response:
        leader = self.get_object()
        body = EndLeaderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        leader = actions.end_leader(leader, actor=request.user, **body.validated_data)
        return Response(LeaderSerializer(leader, context=self.get_serializer_context()).data)


class EvidenceListSerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number", read_only=True)
    measure_number = serializers.IntegerField(source="measure.number", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id", "task", "task_number", "measure", "measure_number", "kind", "kind_label", "original_name", "size",
            "sha256", "captured_on", "lat", "lon", "note", "uploaded_at",
        ]  # fmt: skip
        read_only_fields = fields


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """The evidence library: files on the tasks the user reaches (uploads go to POST /tasks/{id}/evidence/)."""

    serializer_class = EvidenceListSerializer
    filterset_class = EvidenceFilter
    lookup_value_regex = UUID_RE

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.evidence_for(self.request.user)
