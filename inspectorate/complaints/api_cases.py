"""API: cases (dispatch, reply, review, split, joint, key), transfer batches (close, transfer, acknowledge, publish)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.core.parsers import JSONParser, loads_limited

from . import actions, selectors
from .filters import BatchFilter, CaseFilter
from .models import Case, DisclosureTable, HandlingResult, PenaltyDecision, TransferBatch, TransferNotice


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


def _units(user: Any, refs: Any, field: str) -> list[Any]:
    from .api import _unit

    return [_unit(user, r, field) for r in (refs or [])]


def _json_or_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            parsed = loads_limited(value) if value.strip() else []
        except ValueError:
            raise ValidationError({"penalties": _("Send penalties as a JSON list.")}) from None
        return list(parsed)
    return list(value or [])


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.cases_for(self.request.user).order_by("-registered_at", "number")

    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        return Response(ResultSerializer(case.results.prefetch_related("penalties", "evidence"), many=True).data)

    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to(self, request: Request, pk: str | None = None) -> Response:
        from .api import _unit

        case = self.get_object()
        unit = _unit(request.user, request.data.get("unit"), "unit")
        case = actions.dispatch_case(case, actor=request.user, unit=unit, note=str(request.data.get("note", "")))
        return Response(CaseSerializer(case).data)

    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        d = request.data
        counts = {
            k: d.get(k, 0)
            for k in (
                "ordered_to_rectify",
                "cases_filed",
                "criminal_cases",
                "detained_administrative",
                "detained_criminal",
                "interviewed",
                "held_accountable",
            )
        }
        result = actions.reply_case(
            case,
            actor=request.user,
            summary=str(d.get("summary", "")),
            verdict=str(d.get("verdict", "")),
            status=str(d.get("status", "")),
            measures=str(d.get("measures", "")),
            next_step=str(d.get("next_step", "")),
            next_step_date=_date(d.get("next_step_date")),
            penalties=_json_or_list(d.get("penalties")),
            evidence=request.FILES.getlist("evidence") if hasattr(request, "FILES") else [],
            explanation=str(d.get("explanation", "")),
            **counts,
        )
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        decision = str(request.data.get("decision", ""))
        if decision not in ("accept", "return"):
            raise ValidationError({"decision": _("Say accept or return.")})
        result = actions.review_case(
            case, actor=request.user, accept=decision == "accept", reason=str(request.data.get("reason", ""))
        )
        return Response(ResultSerializer(result).data)

    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        parts = actions.split_case(
            case,
            actor=request.user,
            units=_units(request.user, request.data.get("units"), "units"),
            reason=str(request.data.get("reason", "")),
        )
        return Response(CaseSerializer(parts, many=True).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def joint(self, request: Request, pk: str | None = None) -> Response:
        from .api import _unit

        case = self.get_object()
        lead = _unit(request.user, request.data.get("lead_unit"), "lead_unit")
        case = actions.set_joint(
            case,
            actor=request.user,
            lead_unit=lead,
            co_units=_units(request.user, request.data.get("co_units"), "co_units"),
            reason=str(request.data.get("reason", "")),
        )
        return Response(CaseSerializer(case).data)

    @action(detail=True, methods=["post"])
    def key(self, request: Request, pk: str | None = None) -> Response:
        case = actions.set_key(self.get_object(), actor=request.user, is_key=bool(request.data.get("is_key", True)))
        return Response(CaseSerializer(case).data)


def _date(v: Any) -> dt.date | None:
    if not v:
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise ValidationError({"next_step_date": _("Give the date as YYYY-MM-DD.")}) from None


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

    @action(detail=False, methods=["post"], url_path="close-day")
    def close_day(self, request: Request) -> Response:
        """Close the intake up to a day's cut-off into the campaign's next batch."""
        from .api import campaign_by_ref

        if not has_role_anywhere(request.user, "batches.create"):
            raise PermissionDenied()
        campaign = campaign_by_ref(str(request.data.get("campaign", "")), request.user)
        try:
            day = dt.date.fromisoformat(str(request.data.get("day", "")))
        except ValueError:
            raise ValidationError({"day": _("Give the date as YYYY-MM-DD.")}) from None
        batch = actions.close_intake_day(campaign, day, actor=request.user)
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def notices(self, request: Request, pk: str | None = None) -> Response:
        batch = self.get_object()
        return Response(NoticeSerializer(selectors.notices_for(request.user).filter(batch=batch), many=True).data)

    @action(detail=True, methods=["get"], url_path="notice")
    def notice_file(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The transfer notice of one receiving unit: ?unit=<id>&kind=xlsx|docx."""
        from .notices import notice_docx, notice_xlsx

        batch = self.get_object()
        unit = request.query_params.get("unit") or ""
        notice = selectors.notices_for(request.user).filter(batch=batch, unit__code=unit).first() if unit else None
        if notice is None and unit:
            try:
                notice = selectors.notices_for(request.user).filter(batch=batch, unit__pk=uuid.UUID(unit)).first()
            except ValueError:
                notice = None
        if notice is None:
            from django.http import Http404

            raise Http404
        kind = request.query_params.get("kind", "xlsx")
        stem = f"batch{batch.number}-{notice.unit.code}"
        if kind == "docx":
            body = notice_docx(batch, notice.unit)
            ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            body, kind = notice_xlsx(batch, notice.unit), "xlsx"
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        resp = HttpResponse(body, content_type=ctype)
        resp["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
        return resp

    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        batch = actions.transfer_batch(self.get_object(), actor=request.user)
        return Response(BatchSerializer(batch).data)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        notices = actions.acknowledge_batch(self.get_object(), actor=request.user)
        return Response(NoticeSerializer(notices, many=True).data)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        table = actions.approve_disclosure(self.get_object(), actor=request.user)
        return Response(DisclosureSerializer(table).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish the latest approved version (approving a new one first if there is none)."""
        batch = self.get_object()
        table = batch.disclosures.filter(status=DisclosureTable.Status.APPROVED).order_by("-version").first()
        if table is None:
            table = actions.approve_disclosure(batch, actor=request.user)
        table = actions.publish_disclosure(table, actor=request.user)
        return Response(DisclosureSerializer(table).data)

    @action(detail=True, methods=["get"])
    def disclosures(self, request: Request, pk: str | None = None) -> Response:
        batch = self.get_object()
        return Response(DisclosureSerializer(selectors.batch_disclosures_for(request.user, batch), many=True).data)


def register(router: BaseRouter) -> None:
    router.register("cases", CaseViewSet, basename="cases")
    router.register("batches", BatchViewSet, basename="batches")
