"""API: interviews (/api/v1/interviews/), accountability issues (/api/v1/accountability-issues/) and records
(/api/v1/accountability-records/, with the summary by rank and measure as JSON or xlsx)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.orgs.selectors import units_for
from inspectorate.rectification.selectors import leaders_for, problems_for

from . import actions, selectors
from .actions.common import fingerprint, idempotent_hit, remember
from .actions.interviews import report_warning
from .exports import XLSX, write_summary
from .filters import SOON_DAYS, InterviewFilter, IssueFilter, RecordFilter
from .handover import generate_handover_pack
from .models import (
    AccountabilityIssue,
    AccountabilityRecord,
    CareerEvent,
    CareerEventKind,
    HandoverPack,
    Interview,
    InterviewReason,
    Measure,
    Rank,
    ResponsibleUnitType,
)
from .summary import summary_for

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _scoped(field: serializers.Field, queryset: Any) -> None:
    field.queryset = queryset  # type: ignore[attr-defined]


def _conflict(exc: actions.IdempotencyConflict) -> Response:
    return Response(
        {
            "detail": _(
                "This Idempotency-Key was already used with a different request body. "
                "Use a new key for a new record, or resend the original body."
            ),
            "idempotency_key": exc.key,
            "original": str(exc.object_id),
        },
        status=status.HTTP_422_UNPROCESSABLE_ENTITY,
    )


# -- interviews ------------------------------------------------------------------------------------


class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A primary key looked up among what the requesting user reaches (resolved when used, so nesting works)."""

    def __init__(self, selector: Any, **kwargs: Any) -> None:
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.selector(self.context["request"].user)


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    post = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    unit = ScopedPK(units_for, required=False, allow_null=True, default=None)
    leader = ScopedPK(leaders_for, required=False, allow_null=True, default=None)


class InterviewCreateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=campaigns_for(None))
    title = serializers.CharField(max_length=200)
    reason = serializers.ChoiceField(choices=InterviewReason.choices)
    reason_note = serializers.CharField(required=False, allow_blank=True, default="")
    interviewer = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    interview_date = serializers.DateField()
    units = serializers.PrimaryKeyRelatedField(queryset=units_for(None), many=True)
    persons = PersonSerializer(many=True, required=False, default=list)
    requirements = serializers.CharField(required=False, allow_blank=True, default="")
    report_due = serializers.DateField(required=False, allow_null=True, default=None, help_text="default: 30 days after")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            _scoped(self.fields["campaign"], campaigns_for(request.user))
            _scoped(self.fields["units"].child_relation, units_for(request.user))  # type: ignore[attr-defined]


class InterviewPersonOut(serializers.Serializer):
    name = serializers.CharField()
    post = serializers.CharField()
    unit = serializers.UUIDField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    leader = serializers.UUIDField(source="leader_id", allow_null=True)


class InterviewSerializer(serializers.ModelSerializer):
    campaign_code = serializers.CharField(source="campaign.code", read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_names = serializers.SerializerMethodField()
    persons = InterviewPersonOut(many=True, read_only=True)
    has_report_file = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = [
            "id", "campaign", "campaign_code", "title", "reason", "reason_label", "reason_note", "interviewer", "units",
            "unit_names", "persons", "interview_date", "minutes", "requirements", "report_due", "report_received_on",
            "has_report_file", "report_sha256", "verification", "verification_note", "verified_on", "status",
            "status_label", "published", "published_on", "warning",
        ]  # fmt: skip
        read_only_fields = fields

    def get_unit_names(self, obj: Interview) -> list[str]:
        return [u.name for u in obj.units.all()]

    def get_has_report_file(self, obj: Interview) -> bool:
        return bool(obj.report_file)

    def get_warning(self, obj: Interview) -> str:
        return report_warning(obj, timezone.localdate(), SOON_DAYS)


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField()
    requirements = serializers.CharField(required=False, allow_blank=True, default="")
    report_due = serializers.DateField(required=False, allow_null=True, default=None)


class ReportSerializer(serializers.Serializer):
    file = serializers.FileField()
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class VerifySerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["satisfactory", "unsatisfactory"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DaySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)


class InterviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Interviews (约谈) of the campaigns the user reaches; the team (interviews.manage) runs them."""

    serializer_class = InterviewSerializer
    filterset_class = InterviewFilter
    lookup_value_regex = UUID_RE
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_roles = {
        "create": "interviews.manage",
        "minutes": "interviews.manage",
        "report": ("interviews.report", "interviews.manage"),  # the unit's liaison office, or the team on receipt
        "verify": "interviews.manage",
        "publish": "interviews.manage",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.interviews_for(self.request.user)

    @extend_schema(request=InterviewCreateSerializer, responses={201: InterviewSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = InterviewCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["persons"] = [dict(p) for p in data.get("persons", [])]
        try:
            interview = actions.create_interview(
                actor=request.user,
                idempotency_key=request.headers.get("Idempotency-Key") or None,
                idempotency_scope=f"user:{request.user.pk}",
                **data,
            )
        except actions.IdempotencyConflict as exc:
            return _conflict(exc)
        interview = self.get_queryset().get(pk=interview.pk)
        return Response(InterviewSerializer(interview).data, status=status.HTTP_201_CREATED)

    def _run(self, request: Request, body_class: type[serializers.Serializer], fn: Any) -> Response:
        interview = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        fn(interview, request.user, dict(body.validated_data))
        return Response(InterviewSerializer(self.get_queryset().get(pk=interview.pk)).data)

    @extend_schema(request=MinutesSerializer, responses=InterviewSerializer)
    @action(detail=True, methods=["post"], url_path="minutes")
    def minutes(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, MinutesSerializer, lambda i, u, d: actions.record_minutes(i, actor=u, **d))

    @extend_schema(request={"multipart/form-data": ReportSerializer}, responses=InterviewSerializer)
    @action(detail=True, methods=["post"], url_path="report")
    def report(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, ReportSerializer, lambda i, u, d: actions.submit_report(i, actor=u, **d))

    @extend_schema(request=VerifySerializer, responses=InterviewSerializer)
    @action(detail=True, methods=["post"], url_path="verify")
    def verify(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, VerifySerializer, lambda i, u, d: actions.verify_report(i, actor=u, **d))

    @extend_schema(request=DaySerializer, responses=InterviewSerializer)
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, DaySerializer, lambda i, u, d: actions.publish_interview(i, actor=u, **d))


# -- accountability issues -------------------------------------------------------------------------


class IssueCreateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=campaigns_for(None))
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField()
    responsible_units = serializers.PrimaryKeyRelatedField(queryset=units_for(None), many=True)
    suggested_people = serializers.CharField(required=False, allow_blank=True, default="")
    problem = serializers.PrimaryKeyRelatedField(queryset=problems_for(None), required=False, allow_null=True, default=None)
    handed_over_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            _scoped(self.fields["campaign"], campaigns_for(request.user))
            _scoped(self.fields["responsible_units"].child_relation, units_for(request.user))  # type: ignore[attr-defined]
            _scoped(self.fields["problem"], problems_for(request.user))


class IssueUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    facts = serializers.CharField(required=False)
    responsible_units = serializers.PrimaryKeyRelatedField(queryset=units_for(None), many=True, required=False)
    suggested_people = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            _scoped(self.fields["responsible_units"].child_relation, units_for(request.user))  # type: ignore[attr-defined]


class IssueSerializer(serializers.ModelSerializer):
    """An issue; `suggested_people` is null for readers who see only what was handed over to the target."""

    campaign_code = serializers.CharField(source="campaign.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_names = serializers.SerializerMethodField()
    suggested_people = serializers.SerializerMethodField()

    class Meta:
        model = AccountabilityIssue
        fields = [
            "id", "campaign", "campaign_code", "number", "title", "facts", "responsible_units", "unit_names",
            "suggested_people", "problem", "status", "status_label", "handed_over_on", "discipline_body",
            "transferred_on", "investigation_started_on", "decision", "decided_on", "published_on", "publication_ref",
        ]  # fmt: skip
        read_only_fields = fields

    def get_unit_names(self, obj: AccountabilityIssue) -> list[str]:
        return [u.name for u in obj.responsible_units.all()]

    def get_suggested_people(self, obj: AccountabilityIssue) -> str | None:
        full: set[Any] = self.context.get("full_ids", set())
        return obj.suggested_people if obj.pk in full else None


class TransferSerializer(serializers.Serializer):
    discipline_body = serializers.CharField(max_length=200)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class DecideSerializer(serializers.Serializer):
    decision = serializers.CharField()
    on = serializers.DateField(required=False, allow_null=True, default=None)


class PublishIssueSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    publication_ref = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class HandoverPackRequest(serializers.Serializer):
    campaign = ScopedPK(campaigns_for)


class HandoverPackSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = HandoverPack
        fields = ["id", "campaign", "sha256", "size", "issues", "cases", "created_at", "download"]
        read_only_fields = fields

    def get_download(self, obj: HandoverPack) -> str:
        return reverse("accountability:handover-pack", args=[obj.pk])


class IssueViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Accountability issues: the team hands over and transfers, the discipline body investigates and publishes."""

    serializer_class = IssueSerializer
    filterset_class = IssueFilter
    lookup_value_regex = UUID_RE
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {
        "create": "accountability.handover",
        "partial_update": "accountability.handover",
        "update": "accountability.handover",
        "transfer": "accountability.handover",
        "handover_pack": "accountability.handover",
        "investigate": "accountability.manage",
        "decide": "accountability.manage",
        "publish": "accountability.manage",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.issues_for(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        full = set(selectors.full_issue_ids(self.request.user).values_list("pk", flat=True))
        return {**super().get_serializer_context(), "full_ids": full}

    def _out(self, issue: AccountabilityIssue, code: int = 200) -> Response:
        issue = self.get_queryset().get(pk=issue.pk)
        return Response(IssueSerializer(issue, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=IssueCreateSerializer, responses={201: IssueSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = IssueCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            issue = actions.create_issue(
                actor=request.user,
                idempotency_key=request.headers.get("Idempotency-Key") or None,
                idempotency_scope=f"user:{request.user.pk}",
                **body.validated_data,
            )
        except actions.IdempotencyConflict as exc:
            return _conflict(exc)
        return self._out(issue, status.HTTP_201_CREATED)

    @extend_schema(request=IssueUpdateSerializer, responses=IssueSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        issue = self.get_object()
        body = IssueUpdateSerializer(data=request.data, context={"request": request}, partial=True)
        body.is_valid(raise_exception=True)
        issue = actions.update_issue(issue, actor=request.user, **body.validated_data)
        return self._out(issue)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def _run(self, request: Request, body_class: type[serializers.Serializer], fn: Any) -> Response:
        issue = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        fn(issue, request.user, dict(body.validated_data))
        return self._out(issue)

    @extend_schema(request=TransferSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"], url_path="transfer")
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, TransferSerializer, lambda i, u, d: actions.transfer(i, actor=u, **d))

    @extend_schema(request=DaySerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"], url_path="investigate")
    def investigate(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, DaySerializer, lambda i, u, d: actions.start_investigation(i, actor=u, **d))

    @extend_schema(request=DecideSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, DecideSerializer, lambda i, u, d: actions.decide(i, actor=u, **d))

    @extend_schema(request=PublishIssueSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, PublishIssueSerializer, lambda i, u, d: actions.publish_issue(i, actor=u, **d))

    @extend_schema(request=HandoverPackRequest, responses={201: HandoverPackSerializer})
    @action(detail=False, methods=["post"], url_path="handover-pack")
    def handover_pack(self, request: Request) -> Response:
        """Generate the feedback handover pack (docx) of a campaign now and archive it with its sha256."""
        body = HandoverPackRequest(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        pack = generate_handover_pack(body.validated_data["campaign"], actor=request.user)
        return Response(HandoverPackSerializer(pack).data, status=status.HTTP_201_CREATED)


# -- accountability records ------------------------------------------------------------------------


class RecordCreateSerializer(serializers.Serializer):
    issue = serializers.PrimaryKeyRelatedField(queryset=AccountabilityIssue.objects.none())
    person_name = serializers.CharField(max_length=100)
    post = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    unit = serializers.PrimaryKeyRelatedField(queryset=units_for(None))
    rank = serializers.ChoiceField(choices=Rank.choices)
    unit_type = serializers.ChoiceField(choices=ResponsibleUnitType.choices)
    measure = serializers.ChoiceField(choices=Measure.choices)
    approving_body = serializers.CharField(max_length=200)
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            _scoped(self.fields["issue"], selectors.issues_for(request.user))
            _scoped(self.fields["unit"], units_for(request.user))


class RecordSerializer(serializers.ModelSerializer):
    issue_number = serializers.IntegerField(source="issue.number", read_only=True)
    campaign = serializers.UUIDField(source="issue.campaign_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    rank_label = serializers.CharField(source="get_rank_display", read_only=True)
    unit_type_label = serializers.CharField(source="get_unit_type_display", read_only=True)
    measure_label = serializers.CharField(source="get_measure_display", read_only=True)

    class Meta:
        model = AccountabilityRecord
        fields = [
            "id", "issue", "issue_number", "campaign", "person_name", "post", "unit", "unit_name", "rank", "rank_label",
            "unit_type", "unit_type_label", "measure", "measure_label", "approving_body", "decided_on", "note",
        ]  # fmt: skip
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CareerEventSerializer(serializers.ModelSerializer):
    """A later promotion, reward or transfer of a person held accountable (the discipline body records it)."""

    kind = serializers.ChoiceField(choices=CareerEventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CareerEvent
        fields = ["id", "record", "kind", "kind_label", "on", "new_post", "source", "created_at"]
        read_only_fields = ["id", "record", "kind_label", "created_at"]


class SummaryRowSerializer(serializers.Serializer):
    rank = serializers.CharField()
    rank_label = serializers.CharField(source="label")
    persons = serializers.IntegerField()
    person_times = serializers.IntegerField()
    by_measure = serializers.DictField(child=serializers.IntegerField())


class SummarySerializer(serializers.Serializer):
    rows = SummaryRowSerializer(many=True)
    total = SummaryRowSerializer()
    measures = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class XlsxRenderer(renderers.BaseRenderer):
    media_type = XLSX
    format = "xlsx"
    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else b""


class RecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Accountability records (one measure per person); the discipline body (accountability.manage) writes them."""

    serializer_class = RecordSerializer
    filterset_class = RecordFilter
    lookup_value_regex = UUID_RE
    action_roles = {
        "create": "accountability.manage",
        "withdraw": "accountability.manage",
        "career_events": "accountability.manage",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.records_for(self.request.user)

    @extend_schema(request=RecordCreateSerializer, responses={201: RecordSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = RecordCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        issue = data.pop("issue")
        key = request.headers.get("Idempotency-Key") or None
        scope = f"user:{request.user.pk}"
        body_hash = fingerprint({"issue": str(issue.pk), **{k: str(getattr(v, "pk", v)) for k, v in data.items()}})
        try:
            hit = idempotent_hit(scope, "record", key, body_hash) if key else None
        except actions.IdempotencyConflict as exc:
            return _conflict(exc)
        if hit is not None:
            return Response(RecordSerializer(self.get_queryset().get(pk=hit)).data, status=status.HTTP_201_CREATED)
        with transaction.atomic():
            record = actions.add_record(issue, actor=request.user, **data)
            if key:
                remember(scope, "record", key, body_hash, record.pk)
        return Response(RecordSerializer(self.get_queryset().get(pk=record.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.remove_record(record, actor=request.user, **body.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CareerEventSerializer, responses={201: CareerEventSerializer})
    @action(detail=True, methods=["post"], url_path="career-events")
    def career_events(self, request: Request, pk: str | None = None) -> Response:
        """Record a later career step of the person (signal “held accountable, then promoted”)."""
        record = self.get_object()
        body = CareerEventSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = actions.record_career_event(record, actor=request.user, **body.validated_data)
        return Response(CareerEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: SummarySerializer, (200, XLSX): OpenApiTypes.BINARY})
    @action(
        detail=False,
        methods=["get"],
        url_path="summary",
        renderer_classes=[renderers.JSONRenderer, renderers.BrowsableAPIRenderer, XlsxRenderer],
    )
    def summary(self, request: Request, format: str | None = None) -> Any:
        """Persons held accountable by rank and measure (same filters as the list); `summary.xlsx` for a file."""
        records = self.filter_queryset(self.get_queryset())
        result = summary_for(records)
        if request.accepted_renderer.format == "xlsx":
            spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 (closed by FileResponse)
            write_summary(result, records, spool)
            spool.seek(0)
            name = f"accountability-{request.query_params.get('campaign', 'all')}-{timezone.localdate():%Y%m%d}.xlsx"
            return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)
        return Response(SummarySerializer(result).data)


def register(router: BaseRouter) -> None:
    router.register("interviews", InterviewViewSet, basename="interviews")
    router.register("accountability-issues", IssueViewSet, basename="accountability-issues")
    router.register("accountability-records", RecordViewSet, basename="accountability-records")
