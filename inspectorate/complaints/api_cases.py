"""API: cases (dispatch, reply, review, split, joint, key), transfer batches (close, transfer, acknowledge, publish)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.core.parsers import JSONParser

from . import actions, selectors
from . import api_inputs as inputs
from .filters import BatchFilter, CaseFilter
from .models import Case, DisclosureTable, HandlingResult, PenaltyDecision, TransferBatch, TransferNotice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PenaltySerializer(serializers.ModelSerializer):
    class Meta:
        model = PenaltyDecision
        fields = ["enterprise_name", "amount", "decision_no"]


class ResultSerializer(serializers.ModelSerializer):
    penalties = PenaltySerializer(many=True, read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = HandlingResult
        fields = [
            "id",
            "version",
            "summary",
            "verdict",
            "measures",
            "ordered_to_rectify",
            "cases_filed",
            "criminal_cases",
            "detained_administrative",
            "detained_criminal",
            "interviewed",
            "held_accountable",
            "status",
            "explanation",
            "verdict_conflict",
            "next_step",
            "next_step_date",
            "submitted_at",
            "review",
            "review_reason",
            "penalties",
            "evidence",
        ]
        read_only_fields = fields

    def get_evidence(self, obj: HandlingResult) -> list[dict[str, Any]]:
        return [{"name": e.name, "sha256": e.sha256, "size": e.size} for e in obj.evidence.all()]


class CaseSerializer(serializers.ModelSerializer):
    batch_number = serializers.IntegerField(source="batch.number", read_only=True, default=None)
    urgency = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "campaign",
            "channel",
            "summary",
            "pollution_types",
            "sector",
            "region",
            "is_key",
            "is_joint",
            "lead_unit",
            "co_units",
            "handler_unit",
            "split_from",
            "merged_into",
            "status",
            "intake_day",
            "batch",
            "batch_number",
            "transferred_at",
            "due_date",
            "due_rule",
            "due_estimated",
            "result_status",
            "verdict",
            "under_review",
            "urgency",
        ]
        read_only_fields = fields

    def get_urgency(self, obj: Case) -> str:
        return obj.urgency()


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_roles = {
        "dispatch_to": "cases.dispatch",
        "reply": "cases.reply",
        "review": "cases.review",
        "split": "cases.register",
        "joint": "cases.register",
        "key": "cases.register",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.cases_for(self.request.user).order_by("-registered_at", "number")

    @extend_schema(responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Every version of the handling unit's reply, with penalties and evidence files."""
        case = self.get_object()
        return Response(ResultSerializer(case.results.prefetch_related("penalties", "evidence"), many=True).data)

    @extend_schema(request=inputs.DispatchInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to(self, request: Request, pk: str | None = None) -> Response:
        """Pass the case down to a unit that handles it (交办), with a note."""
        case = self.get_object()
        d = inputs.read(inputs.DispatchInputSerializer, request.data, request)
        case = actions.dispatch_case(case, actor=request.user, unit=d["unit"], note=d["note"])
        return Response(CaseSerializer(case).data)

    @extend_schema(
        request={"application/json": inputs.ReplyInputSerializer, "multipart/form-data": inputs.ReplyInputSerializer},
        responses={201: ResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        """The handling unit's reply: findings, verdict, measures, counts, penalties and evidence files (a new version
        each time). `penalties` is a JSON list (a JSON string in a multipart body)."""
        case = self.get_object()
        d = inputs.read(inputs.ReplyInputSerializer, request.data, request)
        result = actions.reply_case(case, actor=request.user, **d)
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=inputs.ReviewInputSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """The team's review of the latest reply: accept it or return it with a reason."""
        case = self.get_object()
        d = inputs.read(inputs.ReviewInputSerializer, request.data, request)
        result = actions.review_case(case, actor=request.user, accept=d["decision"] == "accept", reason=d["reason"])
        return Response(ResultSerializer(result).data)

    @extend_schema(request=inputs.SplitInputSerializer, responses={201: CaseSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str | None = None) -> Response:
        """Split the case into one case per unit."""
        case = self.get_object()
        d = inputs.read(inputs.SplitInputSerializer, request.data, request)
        parts = actions.split_case(case, actor=request.user, units=d["units"], reason=d["reason"])
        return Response(CaseSerializer(parts, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=inputs.JointInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def joint(self, request: Request, pk: str | None = None) -> Response:
        """Make the case a joint case: a lead unit and co-handling units."""
        case = self.get_object()
        d = inputs.read(inputs.JointInputSerializer, request.data, request)
        case = actions.set_joint(case, actor=request.user, lead_unit=d["lead_unit"], co_units=d["co_units"], reason=d["reason"])
        return Response(CaseSerializer(case).data)

    @extend_schema(request=inputs.KeyInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def key(self, request: Request, pk: str | None = None) -> Response:
        """Mark the case as a key case (重点) or not."""
        case = self.get_object()
        d = inputs.read(inputs.KeyInputSerializer, request.data, request)
        case = actions.set_key(case, actor=request.user, is_key=d["is_key"])
        return Response(CaseSerializer(case).data)


class NoticeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name_zh", read_only=True)

    class Meta:
        model = TransferNotice
        fields = ["id", "unit", "unit_name", "case_count", "key_count", "acknowledged_at"]
        read_only_fields = fields


class BatchSerializer(serializers.ModelSerializer):
    campaign_code = serializers.CharField(source="campaign.code", read_only=True)

    class Meta:
        model = TransferBatch
        fields = ["id", "campaign", "campaign_code", "number", "intake_day", "closed_at", "status", "transferred_at"]
        read_only_fields = fields


class DisclosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisclosureTable
        fields = ["id", "batch", "version", "status", "rows", "approved_at", "published_at", "supersedes"]
        read_only_fields = fields


class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BatchSerializer
    filterset_class = BatchFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.batches_for(self.request.user).order_by("campaign", "-number")

    @extend_schema(request=inputs.CloseDayInputSerializer, responses={201: BatchSerializer})
    @action(detail=False, methods=["post"], url_path="close-day")
    def close_day(self, request: Request) -> Response:
        """Close the intake up to a day's cut-off into the campaign's next batch."""
        from .api import campaign_by_ref

        if not has_role_anywhere(request.user, "batches.create"):
            raise PermissionDenied()
        d = inputs.read(inputs.CloseDayInputSerializer, request.data, request)
        campaign = campaign_by_ref(d["campaign"], request.user)
        batch = actions.close_intake_day(campaign, d["day"], actor=request.user)
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=NoticeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def notices(self, request: Request, pk: str | None = None) -> Response:
        """The batch's transfer notices, one per receiving unit, with their acknowledgement."""
        batch = self.get_object()
        return Response(NoticeSerializer(selectors.notices_for(request.user).filter(batch=batch), many=True).data)

    @extend_schema(
        parameters=[inputs.NoticeQuerySerializer],
        responses={(200, XLSX): OpenApiTypes.BINARY, (200, DOCX): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="notice")
    def notice_file(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The transfer notice of one receiving unit: ?unit=<code or id>&kind=xlsx|docx."""
        from .notices import notice_docx, notice_xlsx

        batch = self.get_object()
        q = inputs.read(inputs.NoticeQuerySerializer, request.query_params, request)
        unit = q["unit"]
        notices = selectors.notices_for(request.user).filter(batch=batch)
        notice = notices.filter(unit__code=unit).first()
        if notice is None:
            try:
                notice = notices.filter(unit__pk=uuid.UUID(unit)).first()
            except ValueError:
                notice = None
        if notice is None:
            raise Http404
        kind = q["kind"]
        stem = f"batch{batch.number}-{notice.unit.code}"
        if kind == "docx":
            body, ctype = notice_docx(batch, notice.unit), DOCX
        else:
            body, ctype = notice_xlsx(batch, notice.unit), XLSX
        resp = HttpResponse(body, content_type=ctype)
        resp["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
        return resp

    @extend_schema(request=None, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        """Transfer the batch (转办): its cases go to the receiving units, with one notice each."""
        batch = actions.transfer_batch(self.get_object(), actor=request.user)
        return Response(BatchSerializer(batch).data)

    @extend_schema(request=None, responses=NoticeSerializer(many=True))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """Acknowledge receipt of the batch's notices addressed to the user's units."""
        notices = actions.acknowledge_batch(self.get_object(), actor=request.user)
        return Response(NoticeSerializer(notices, many=True).data)

    @extend_schema(request=None, responses={201: DisclosureSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a new version of the batch's public disclosure table (its rows as they are now)."""
        table = actions.approve_disclosure(self.get_object(), actor=request.user)
        return Response(DisclosureSerializer(table).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DisclosureSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish the latest approved version (approving a new one first if there is none)."""
        batch = self.get_object()
        table = batch.disclosures.filter(status=DisclosureTable.Status.APPROVED).order_by("-version").first()
        if table is None:
            table = actions.approve_disclosure(batch, actor=request.user)
        table = actions.publish_disclosure(table, actor=request.user)
        return Response(DisclosureSerializer(table).data)

    @extend_schema(responses=DisclosureSerializer(many=True))
    @action(detail=True, methods=["get"])
    def disclosures(self, request: Request, pk: str | None = None) -> Response:
        """Every version of the batch's disclosure table."""
        batch = self.get_object()
        return Response(DisclosureSerializer(selectors.batch_disclosures_for(request.user, batch), many=True).data)


def register(router: BaseRouter) -> None:
    router.register("cases", CaseViewSet, basename="cases")
    router.register("batches", BatchViewSet, basename="batches")
