"""API: hidden dangers (`/api/v1/hidden-dangers/`, with one POST per step), checklists and self-inspections."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.campaigns.models import Campaign
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.parsers import JSONParser
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .api_selfcheck import ChecklistViewSet, SelfInspectionViewSet
from .filters import HiddenDangerFilter
from .models import DangerEvidence, HiddenDanger

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class DangerEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = DangerEvidence
        fields = ["id", "stage", "original_name", "size", "sha256", "note", "uploaded_at"]


class HiddenDangerSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()
    evidence = DangerEvidenceSerializer(many=True, read_only=True)
    origin_answer: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = HiddenDanger
        fields = [
            "id", "number", "unit", "supervising_unit", "escalated_at", "title", "description", "location", "category",
            "level", "found_by", "found_on", "measure", "responsible_person", "deadline", "status", "overdue",
            "rectified_by", "submitted_at", "verified_by", "verified_at", "verification_note", "closed_on", "problem",
            "origin_answer", "evidence", "created_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "number", "supervising_unit", "escalated_at", "found_by", "status", "rectified_by", "submitted_at",
            "verified_by", "verified_at", "verification_note", "closed_on", "problem", "created_at",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in ("GET", "HEAD"):
            self.fields["unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]

    def get_overdue(self, obj: HiddenDanger) -> bool:
        return obj.is_overdue()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConclusionSerializer(serializers.Serializer):
    conclusion = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    file = serializers.FileField()
    stage = serializers.ChoiceField(choices=DangerEvidence.Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PromoteSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]


class HiddenDangerViewSet(viewsets.ModelViewSet):
    """Hidden dangers of the units you see (a level sees its subtree); overdue first. Create with an Idempotency-Key."""

    serializer_class = HiddenDangerSerializer
    filterset_class = HiddenDangerFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = UUID_RE
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # The enterprise side reports and rectifies; a verifier (never the reporter, see actions) verifies or rejects;
    # promoting a danger to a ledger problem is the rectification office's (problems.manage).
    action_roles = {
        "create": "hazards.report",
        "partial_update": "hazards.report",
        "start": "hazards.report",
        "submit": "hazards.report",
        "evidence": "hazards.report",
        "verify": "hazards.verify",
        "reject": "hazards.verify",
        "promote": "problems.manage",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.dangers_for(self.request.user).prefetch_related("evidence").select_related("origin_answer")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        files = [(f.name, f.read()) for f in request.FILES.getlist("files")] if hasattr(request, "FILES") else []
        try:
            danger = actions.create_danger(
                actor=request.user,
                files=files,
                idempotency_key=request.headers.get("Idempotency-Key") or None,
                **ser.validated_data,
            )
        except actions.IdempotencyConflict as exc:
            return _conflict(exc)
        danger = self.get_queryset().get(pk=danger.pk)
        return Response(self.get_serializer(danger).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("unit", None)
        instance: Any = serializer.instance
        serializer.instance = actions.update_danger(instance, actor=self.request.user, **data)

    def _run(self, request: Request, body_class: type[serializers.Serializer] | None, fn: Any) -> Response:
        danger = self.get_object()
        data: dict[str, Any] = {}
        if body_class is not None:
            body = body_class(data=request.data, context={"request": request})
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        result = fn(danger, request.user, data)
        payload: dict[str, Any] = dict(self.get_serializer(self.get_queryset().get(pk=danger.pk)).data)
        if result is not None and not isinstance(result, HiddenDanger):
            payload["result_id"] = str(result.pk)
        return Response(payload)

    @extend_schema(request=NoteSerializer, responses=HiddenDangerSerializer)
    @action(detail=True, methods=["post"], url_path="start")
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, NoteSerializer, lambda d, u, b: actions.start_rectification(d, actor=u, **b))

    @extend_schema(request=NoteSerializer, responses=HiddenDangerSerializer)
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, NoteSerializer, lambda d, u, b: actions.submit_for_verification(d, actor=u, **b))

    @extend_schema(request=ConclusionSerializer, responses=HiddenDangerSerializer)
    @action(detail=True, methods=["post"], url_path="verify")
    def verify(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, ConclusionSerializer, lambda d, u, b: actions.verify_danger(d, actor=u, **b))

    @extend_schema(request=ReasonSerializer, responses=HiddenDangerSerializer)
    @action(detail=True, methods=["post"], url_path="reject")
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, ReasonSerializer, lambda d, u, b: actions.reject_danger(d, actor=u, **b))

    @extend_schema(request=EvidenceSerializer, responses=HiddenDangerSerializer)
    @action(detail=True, methods=["post"], url_path="evidence", parser_classes=[MultiPartParser])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        def run(d: HiddenDanger, u: Any, b: dict[str, Any]) -> Any:
            upload = b.pop("file")
            return actions.add_danger_evidence(d, actor=u, content=upload.read(), filename=upload.name, **b)

        return self._run(request, EvidenceSerializer, run)

    @extend_schema(request=PromoteSerializer, responses=HiddenDangerSerializer)
    @action(detail=True, methods=["post"], url_path="promote")
    def promote(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, PromoteSerializer, lambda d, u, b: actions.promote_danger(d, actor=u, **b))


def _conflict(exc: actions.IdempotencyConflict) -> Response:
    return Response(
        {
            "detail": _(
                "This Idempotency-Key was already used with a different request body. Use a new key, or resend the original body."
            ),
            "idempotency_key": exc.key,
            "original": str(exc.object_id),
        },
        status=status.HTTP_422_UNPROCESSABLE_ENTITY,
    )


def register(router: BaseRouter) -> None:
    router.register("hidden-dangers", HiddenDangerViewSet, basename="hidden-dangers")
    router.register("checklists", ChecklistViewSet, basename="checklists")
    router.register("self-inspections", SelfInspectionViewSet, basename="self-inspections")
