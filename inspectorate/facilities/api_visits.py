"""API: government-enterprise visits (/api/v1/enterprise-visits/) and the problems the enterprise raised
(/api/v1/visit-requests/ with the actions `assign` and `answer`). Both sides see the same status."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.orgs.models import OrgUnit
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .api_common import IDEMPOTENCY_HEADER, UUID_RE, idempotent_create, in_scope
from .filters import VisitFilter, VisitRequestFilter
from .models import EnterpriseVisit, VisitRequest, VisitTopic


class VisitRequestSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    owner_name = serializers.CharField(source="owner_unit.name", read_only=True, default="")

    class Meta:
        model = VisitRequest
        fields = [
            "id", "visit", "title", "description", "topic", "status", "status_label", "owner_unit", "owner_name",
            "due_on", "answer", "answered_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    government_name = serializers.CharField(source="government_unit.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise_unit.name", read_only=True)
    requests = VisitRequestSerializer(many=True, read_only=True)

    class Meta:
        model = EnterpriseVisit
        fields = [
            "id", "government_unit", "government_name", "enterprise_unit", "enterprise_name", "visited_on",
            "participants", "topics", "summary", "requests", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class VisitInputSerializer(serializers.Serializer):
    government_unit = serializers.UUIDField()
    enterprise_unit = serializers.UUIDField()
    visited_on = serializers.DateField()
    participants = serializers.CharField()
    topics = serializers.ListField(child=serializers.ChoiceField(choices=VisitTopic.choices), allow_empty=False)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class RaiseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    topic = serializers.ChoiceField(choices=VisitTopic.choices, default=VisitTopic.OTHER)


class AssignSerializer(serializers.Serializer):
    owner_unit = serializers.UUIDField()
    due_on = serializers.DateField()


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True)


class EnterpriseVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits the user's units made or received."""

    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    lookup_value_regex = UUID_RE
    # A problem is raised by the visited enterprise, or recorded for it by the visiting unit.
    action_roles = {"create": "visits.manage", "raise_request": ("visits.raise", "visits.manage")}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.visits_for(self.request.user).prefetch_related("requests__owner_unit")

    @extend_schema(request=VisitInputSerializer, responses={201: VisitSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        body = VisitInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        data["government_unit"] = in_scope(units_for(request.user), data["government_unit"])
        data["enterprise_unit"] = in_scope(OrgUnit.objects.filter(kind="enterprise"), data["enterprise_unit"])
        return idempotent_create(
            request,
            model=EnterpriseVisit,
            resource="visit",
            body=request.data,
            create=lambda: actions.create_visit(actor=request.user, **data),
            represent=lambda v: VisitSerializer(v).data,
        )

    @extend_schema(request=RaiseSerializer, responses={201: VisitRequestSerializer})
    @action(detail=True, methods=["post"], url_path="requests")
    def raise_request(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        body = RaiseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        req = actions.raise_request(visit, actor=request.user, **body.validated_data)
        return Response(VisitRequestSerializer(req).data, status=status.HTTP_201_CREATED)


class VisitRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Problems raised at visits: seen by the visiting unit, the enterprise and the owner."""

    serializer_class = VisitRequestSerializer
    filterset_class = VisitRequestFilter
    lookup_value_regex = UUID_RE
    action_roles = {"assign": "visits.manage", "answer": "visits.answer"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.visit_requests_for(self.request.user)

    @extend_schema(request=AssignSerializer, responses=VisitRequestSerializer)
    @action(detail=True, methods=["post"], url_path="assign")
    def assign(self, request: Request, pk: str | None = None) -> Response:
        req = self.get_object()
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The owner is the visiting unit or one of its departments; the action checks the caller first.
        owner = in_scope(
            OrgUnit.objects.filter(path__startswith=req.visit.government_unit.path), body.validated_data["owner_unit"]
        )
        req = actions.assign_request(req, actor=request.user, owner_unit=owner, due_on=body.validated_data["due_on"])
        return Response(VisitRequestSerializer(req).data)

    @extend_schema(request=AnswerSerializer, responses=VisitRequestSerializer)
    @action(detail=True, methods=["post"], url_path="answer")
    def answer(self, request: Request, pk: str | None = None) -> Response:
        req = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        req = actions.answer_request(req, actor=request.user, answer=body.validated_data["answer"])
        return Response(VisitRequestSerializer(req).data)
