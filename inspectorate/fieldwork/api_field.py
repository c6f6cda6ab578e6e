"""API: individual talks (notes only for the team and the discipline body), site visits and their findings."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.complaints.models import PollutionType
from inspectorate.core.parsers import JSONParser
from inspectorate.orgs.models import Enterprise, OrgUnit
from inspectorate.orgs.selectors import enterprises_for, units_for

from . import actions, selectors
from .api_common import UUID_RE, idempotent_create
from .filters import SiteVisitFilter, TalkFilter
from .models import Rank, SiteVisit, Talk, VisitFinding, VisitKind, VisitPhoto


class TalkSerializer(serializers.ModelSerializer):
    """`notes` is present only for readers allowed to see it (the team, the discipline body)."""

    class Meta:
        model = Talk
        fields = ["id", "campaign", "unit", "person_name", "post", "rank", "date", "topics", "notes", "created_at"]

    def to_representation(self, instance: Talk) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.pk not in self.context.get("notes_ok", set()):
            data.pop("notes", None)
        return data


class TalkWriteSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Talk.objects.none())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    person_name = serializers.CharField(max_length=100)
    post = serializers.CharField(max_length=200)
    rank = serializers.ChoiceField(choices=Rank.choices, default=Rank.OTHER)
    date = serializers.DateField()
    topics = serializers.CharField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]
            self.fields["unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]


class TalkUpdateSerializer(TalkWriteSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("campaign")
        for f in self.fields.values():
            f.required = False


class TalkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    serializer_class = TalkSerializer
    filterset_class = TalkFilter
    lookup_value_regex = UUID_RE
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {"create": "fieldwork.record", "partial_update": "fieldwork.record", "update": "fieldwork.record"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.talks_for(self.request.user).order_by("-date", "person_name")

    def get_serializer_context(self) -> dict[str, Any]:
        ctx = super().get_serializer_context()
        ctx["notes_ok"] = selectors.notes_readable(self.request.user, self.get_queryset())
        return ctx

    def _represent(self, talk: Talk) -> Any:
        return TalkSerializer(talk, context=self.get_serializer_context()).data

    @extend_schema(request=TalkWriteSerializer, responses={201: TalkSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_role_anywhere(request.user, "fieldwork.record"):
            raise PermissionDenied()
        body = TalkWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return idempotent_create(
            request, Talk, lambda: actions.create_talk(actor=request.user, **body.validated_data), self._represent
        )

    @extend_schema(request=TalkUpdateSerializer, responses=TalkSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        talk = self.get_object()
        body = TalkUpdateSerializer(data=request.data, context={"request": request}, partial=True)
        body.is_valid(raise_exception=True)
        talk = actions.update_talk(talk, actor=request.user, **body.validated_data)
        return Response(self._represent(talk))

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitFinding
        fields = ["id", "visit", "seq", "text", "enterprise", "case", "problem", "created_at"]


class PhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitPhoto
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at"]


class SiteVisitSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = SiteVisit
        fields = [
            "id", "campaign", "number", "unit", "kind", "status", "planned_on", "visited_on", "location", "lat", "lon",
            "purpose", "summary", "enterprises", "findings", "photos", "created_at",
        ]  # fmt: skip


class SiteVisitCreateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=SiteVisit.objects.none())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    planned_on = serializers.DateField()
    location = serializers.CharField(max_length=300)
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    lon = serializers.FloatField(required=False, allow_null=True, default=None)
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    enterprises = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none(), many=True, required=False, default=list)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]
            self.fields["unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]
            self.fields["enterprises"].child_relation.queryset = enterprises_for(request.user)  # type: ignore[attr-defined]


class CompleteSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    findings = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class FindingCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none(), required=False, allow_null=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = enterprises_for(request.user)  # type: ignore[attr-defined]


class PhotosSerializer(serializers.Serializer):
    attachments = serializers.ListField(child=serializers.FileField(), help_text="photos or videos (multipart)")


class ToCaseSerializer(serializers.Serializer):
    is_key = serializers.BooleanField(required=False, default=False)
    pollution_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PollutionType.choices), required=False, default=list
    )


class ToProblemSerializer(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CaseLinkSerializer(serializers.Serializer):
    finding = FindingSerializer()
    case = serializers.UUIDField(allow_null=True)
    case_number = serializers.CharField(allow_blank=True)
    problem = serializers.UUIDField(allow_null=True)


class SiteVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Site visits; an unannounced visit is not visible to the target before it is recorded as done."""

    serializer_class = SiteVisitSerializer
    filterset_class = SiteVisitFilter
    lookup_value_regex = UUID_RE
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_roles = {
        "create": "fieldwork.record",
        "complete": "fieldwork.record",
        "findings": "fieldwork.record",
        "photos": "fieldwork.record",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.visits_for(self.request.user).prefetch_related("findings", "photos", "enterprises")

    def _represent(self, visit: SiteVisit) -> Any:
        return SiteVisitSerializer(self.get_queryset().get(pk=visit.pk), context={"request": self.request}).data

    @extend_schema(request=SiteVisitCreateSerializer, responses={201: SiteVisitSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_role_anywhere(request.user, "fieldwork.record"):
            raise PermissionDenied()
        body = SiteVisitCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return idempotent_create(
            request, SiteVisit, lambda: actions.create_visit(actor=request.user, **body.validated_data), self._represent
        )

    @extend_schema(request=CompleteSerializer, responses=SiteVisitSerializer)
    @action(detail=True, methods=["post"], url_path="complete")
    def complete(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.complete_visit(visit, actor=request.user, **body.validated_data)
        return Response(self._represent(visit))

    @extend_schema(request=FindingCreateSerializer, responses=SiteVisitSerializer)
    @action(detail=True, methods=["post"], url_path="findings")
    def findings(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        body = FindingCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        actions.add_finding(visit, actor=request.user, **body.validated_data)
        return Response(self._represent(visit))

    @extend_schema(request={"multipart/form-data": PhotosSerializer}, responses=SiteVisitSerializer)
    @action(detail=True, methods=["post"], url_path="photos")
    def photos(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        actions.add_photos(visit, actor=request.user, files=request.FILES.getlist("attachments"))
        return Response(self._represent(visit))


class VisitFindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A visit's findings; each becomes a complaint case or a rectification problem in one step."""

    serializer_class = FindingSerializer
    lookup_value_regex = UUID_RE
    action_roles = {"to_case": "fieldwork.record", "to_problem": "fieldwork.record"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.findings_for(self.request.user).order_by("visit", "seq")

    def _link(self, finding: VisitFinding) -> dict[str, Any]:
        finding.refresh_from_db()
        return {
            "finding": FindingSerializer(finding).data,
            "case": finding.case_id,
            "case_number": finding.case.number if finding.case else "",
            "problem": finding.problem_id,
        }

    @extend_schema(request=ToCaseSerializer, responses=CaseLinkSerializer)
    @action(detail=True, methods=["post"], url_path="to-case")
    def to_case(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        body = ToCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.finding_to_case(finding, actor=request.user, **body.validated_data)
        return Response(self._link(finding), status=201)

    @extend_schema(request=ToProblemSerializer, responses=CaseLinkSerializer)
    @action(detail=True, methods=["post"], url_path="to-problem")
    def to_problem(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        body = ToProblemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.finding_to_problem(finding, actor=request.user, **body.validated_data)
        return Response(self._link(finding), status=201)
