"""API: facilities (/api/v1/facilities/), daily logs (/api/v1/facility-logs/), maintenance plans and records,
and the missing-log warnings. Creates take an Idempotency-Key; every change goes through `actions`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.orgs.selectors import enterprises_for, units_for

from . import actions, selectors
from .api_common import IDEMPOTENCY_HEADER, UUID_RE, idempotent_create, in_scope
from .filters import FacilityFilter, FacilityLogFilter, MaintenanceFilter, WarningFilter
from .models import (
    Facility,
    FacilityLog,
    FacilityType,
    FacilityWarning,
    LogStatus,
    MaintenancePlan,
    MaintenanceRecord,
)


class FacilitySerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_facility_type_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id", "name", "facility_type", "type_label", "unit", "unit_name", "enterprise", "lat", "lon",
            "commissioned_on", "capacity", "capacity_unit", "active", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class FacilityInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    facility_type = serializers.ChoiceField(choices=FacilityType.choices)
    unit = serializers.UUIDField()
    enterprise = serializers.UUIDField(required=False, allow_null=True, default=None)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    lon = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    commissioned_on = serializers.DateField(required=False, allow_null=True, default=None)
    capacity = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    capacity_unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    active = serializers.BooleanField(required=False, default=True)


class FacilityUpdateSerializer(FacilityInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


def _resolve_links(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    if "unit" in data:
        data["unit"] = in_scope(units_for(request.user), data["unit"])
    if data.get("enterprise"):
        data["enterprise"] = in_scope(enterprises_for(request.user), data["enterprise"])
    return data


class FacilityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pollution-control facilities of the units the user reaches (a plant never sees a sibling's)."""

    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    lookup_value_regex = UUID_RE
    action_roles = {"create": "facilities.manage", "partial_update": "facilities.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.facilities_for(self.request.user)

    @extend_schema(request=FacilityInputSerializer, responses={201: FacilitySerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        body = FacilityInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = _resolve_links(request, dict(body.validated_data))
        return idempotent_create(
            request,
            model=Facility,
            resource="facility",
            body=request.data,
            create=lambda: actions.create_facility(actor=request.user, **data),
            represent=lambda f: FacilitySerializer(f).data,
        )

    @extend_schema(request=FacilityUpdateSerializer, responses=FacilitySerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        facility = self.get_object()
        body = FacilityUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = _resolve_links(request, dict(body.validated_data))
        reason = data.pop("reason", "")
        facility = actions.update_facility(facility, actor=request.user, reason=reason, **data)
        return Response(FacilitySerializer(facility).data)


class LogSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    review_label = serializers.CharField(source="get_review_display", read_only=True)
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    nearby_complaints = serializers.SerializerMethodField()

    class Meta:
        model = FacilityLog
        fields = [
            "id", "facility", "facility_name", "day", "status", "status_label", "reason", "recorded_at", "review",
            "review_label", "review_reasons", "nearby_complaints", "review_note", "reviewed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_nearby_complaints(self, obj: FacilityLog) -> int:
        """How many complaints came in nearby (their contents stay with intake)."""
        return len(obj.nearby_complaints)


class LogInputSerializer(serializers.Serializer):
    facility = serializers.UUIDField()
    day = serializers.DateField()
    status = serializers.ChoiceField(choices=LogStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class FacilityLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Daily running logs: one per facility and day, never for a future day."""

    serializer_class = LogSerializer
    filterset_class = FacilityLogFilter
    lookup_value_regex = UUID_RE
    action_roles = {"create": "facilities.log", "review": "facilities.review"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.logs_for(self.request.user)

    @extend_schema(request=LogInputSerializer, responses={201: LogSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        body = LogInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        facility = in_scope(selectors.facilities_for(request.user), data.pop("facility"))
        return idempotent_create(
            request,
            model=FacilityLog,
            resource="facility_log",
            body=request.data,
            create=lambda: actions.record_log(facility, actor=request.user, **data),
            represent=lambda log: LogSerializer(log).data,
        )

    @extend_schema(request=ReviewSerializer, responses=LogSerializer)
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        log = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = actions.review_log(log, actor=request.user, **body.validated_data)
        return Response(LogSerializer(log).data)


class PlanSerializer(serializers.ModelSerializer):
    next_due = serializers.SerializerMethodField()

    class Meta:
        model = MaintenancePlan
        fields = ["id", "facility", "title", "interval_days", "starts_on", "active", "next_due"]
        read_only_fields = fields

    def get_next_due(self, obj: MaintenancePlan) -> str:
        return actions.next_due(obj).isoformat()


class PlanInputSerializer(serializers.Serializer):
    facility = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    interval_days = serializers.IntegerField(min_value=1)
    starts_on = serializers.DateField()


class MaintenancePlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PlanSerializer
    filterset_fields = ["facility"]
    lookup_value_regex = UUID_RE
    action_roles = {"create": "facilities.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.plans_for(self.request.user)

    @extend_schema(request=PlanInputSerializer, responses={201: PlanSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        body = PlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        facility = in_scope(selectors.facilities_for(request.user), data.pop("facility"))
        return idempotent_create(
            request,
            model=MaintenancePlan,
            resource="maintenance_plan",
            body=request.data,
            create=lambda: actions.create_plan(facility, actor=request.user, **data),
            represent=lambda p: PlanSerializer(p).data,
        )


class MaintenanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaintenanceRecord
        fields = ["id", "facility", "plan", "done_on", "description", "performed_by", "created_at"]
        read_only_fields = fields


class MaintenanceInputSerializer(serializers.Serializer):
    facility = serializers.UUIDField()
    plan = serializers.UUIDField(required=False, allow_null=True, default=None)
    done_on = serializers.DateField()
    description = serializers.CharField()
    performed_by = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class MaintenanceRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MaintenanceSerializer
    filterset_class = MaintenanceFilter
    lookup_value_regex = UUID_RE
    action_roles = {"create": "facilities.log"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.maintenance_for(self.request.user)

    @extend_schema(request=MaintenanceInputSerializer, responses={201: MaintenanceSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        body = MaintenanceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        facility = in_scope(selectors.facilities_for(request.user), data.pop("facility"))
        plan_id = data.pop("plan")
        plan = in_scope(selectors.plans_for(request.user), plan_id) if plan_id else None
        return idempotent_create(
            request,
            model=MaintenanceRecord,
            resource="maintenance_record",
            body=request.data,
            create=lambda: actions.record_maintenance(facility, actor=request.user, plan=plan, **data),
            represent=lambda r: MaintenanceSerializer(r).data,
        )


class WarningSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    plan_title = serializers.CharField(source="plan.title", read_only=True, default="")

    class Meta:
        model = FacilityWarning
        fields = [
            "id", "facility", "facility_name", "kind", "kind_label", "plan", "plan_title", "day", "raised_at", "resolved_at",
        ]  # fmt: skip
        read_only_fields = fields


class FacilityWarningViewSet(viewsets.ReadOnlyModelViewSet):
    """Warnings raised by the daily checks: a log missing by 10:00 the next day (`day` is that day), a maintenance
    overdue against its plan (`plan` set; `day` is the missed due date)."""

    serializer_class = WarningSerializer
    filterset_class = WarningFilter
    lookup_value_regex = UUID_RE

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.warnings_for(self.request.user)


def register(router: BaseRouter) -> None:
    from .api_projects import ProjectViewSet
    from .api_visits import EnterpriseVisitViewSet, VisitRequestViewSet

    router.register("facilities", FacilityViewSet, basename="facilities")
    router.register("facility-logs", FacilityLogViewSet, basename="facility-logs")
    router.register("maintenance-plans", MaintenancePlanViewSet, basename="maintenance-plans")
    router.register("maintenance-records", MaintenanceRecordViewSet, basename="maintenance-records")
    router.register("facility-warnings", FacilityWarningViewSet, basename="facility-warnings")
    router.register("projects", ProjectViewSet, basename="projects")
    router.register("enterprise-visits", EnterpriseVisitViewSet, basename="enterprise-visits")
    router.register("visit-requests", VisitRequestViewSet, basename="visit-requests")
