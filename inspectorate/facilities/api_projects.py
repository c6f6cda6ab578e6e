"""API: construction projects under the three-simultaneities rule (/api/v1/projects/), with the actions
`steps` (record a step, multipart for the document) and `start-operation` (refused while a step is missing,
unless an authorised role gives a written reason)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.core.parsers import JSONParser
from inspectorate.orgs.selectors import enterprises_for, units_for

from . import actions, selectors
from .api_common import IDEMPOTENCY_HEADER, UUID_RE, idempotent_create, in_scope
from .filters import ProjectFilter
from .models import Project, ProjectStep, StepKind


class StepSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = ProjectStep
        fields = ["id", "kind", "kind_label", "done_on", "reference", "has_document", "note", "recorded_at"]
        read_only_fields = fields

    def get_has_document(self, obj: ProjectStep) -> bool:
        return bool(obj.document)


class ProjectSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    missing_steps = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id", "name", "unit", "unit_name", "enterprise", "description", "status", "status_label",
            "operation_since", "override_reason", "steps", "missing_steps", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_missing_steps(self, obj: Project) -> list[str]:
        return actions.missing_steps(obj)


class ProjectInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    unit = serializers.UUIDField()
    enterprise = serializers.UUIDField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class StepInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    done_on = serializers.DateField()
    reference = serializers.CharField(max_length=200)
    document = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OperateSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Construction projects of the units the user reaches, with their three-simultaneities steps."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_value_regex = UUID_RE
    action_roles = {"create": "projects.manage", "steps": "projects.manage", "start_operation": "projects.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.projects_for(self.request.user).prefetch_related("steps")

    @extend_schema(request=ProjectInputSerializer, responses={201: ProjectSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        body = ProjectInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        data["unit"] = in_scope(units_for(request.user), data["unit"])
        if data.get("enterprise"):
            data["enterprise"] = in_scope(enterprises_for(request.user), data["enterprise"])
        return idempotent_create(
            request,
            model=Project,
            resource="project",
            body=request.data,
            create=lambda: actions.create_project(actor=request.user, **data),
            represent=lambda p: ProjectSerializer(p).data,
        )

    @extend_schema(
        request={"multipart/form-data": StepInputSerializer, "application/json": StepInputSerializer},
        responses={201: StepSerializer},
    )
    @action(detail=True, methods=["post"], url_path="steps", parser_classes=[MultiPartParser, FormParser, JSONParser])
    def steps(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        body = StepInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = actions.add_step(project, actor=request.user, **body.validated_data)
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OperateSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="start-operation")
    def start_operation(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        body = OperateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            project = actions.start_operation(project, actor=request.user, **body.validated_data)
        except actions.MissingSteps as exc:
            return Response({"steps": exc.messages, "missing_steps": exc.missing}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ProjectSerializer(project).data)
