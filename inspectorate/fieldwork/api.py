"""API: information requests (资料调阅) and their items (assign, deliver with a declaration, review), docx letters."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.parsers import JSONParser
from inspectorate.orgs.selectors import units_for

from . import actions, documents, selectors
from .api_common import DOCX, UUID_RE, idempotent_create
from .filters import InfoRequestFilter
from .models import Delivery, InfoRequest, InfoRequestItem, ItemStatus


class DeliverySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id", "version", "name", "content_type", "size", "sha256", "note", "declarant_name", "declared_at",
            "declaration", "delivered_at", "url",
        ]  # fmt: skip

    def get_url(self, obj: Delivery) -> str:
        return f"/fieldwork/deliveries/{obj.pk}/"


class ItemSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = InfoRequestItem
        fields = [
            "id", "request", "seq", "description", "department", "status", "overdue", "assigned_at", "delivered_at",
            "reviewed_at", "review_reason", "deliveries",
        ]  # fmt: skip

    def get_overdue(self, obj: InfoRequestItem) -> bool:
        return obj.is_overdue()


class InfoRequestSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)
    refused_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InfoRequest
        fields = [
            "id", "campaign", "number", "target_unit", "title", "legal_basis", "issued_at", "due_at", "contact_name",
            "contact_phone", "item_count", "overdue_count", "refused_count", "items",
        ]  # fmt: skip


class InfoRequestCreateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=InfoRequest.objects.none())
    target_unit = serializers.PrimaryKeyRelatedField(queryset=InfoRequest.objects.none())
    title = serializers.CharField(max_length=300)
    legal_basis = serializers.CharField()
    issued_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    due_at = serializers.DateTimeField()
    contact_name = serializers.CharField(max_length=100)
    contact_phone = serializers.CharField(max_length=40)
    items = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]
            self.fields["target_unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]


class AssignSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=InfoRequest.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["department"].queryset = units_for(request.user)  # type: ignore[attr-defined]


class DeliverSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), required=False, help_text="one or more files (multipart)")
    declarant_name = serializers.CharField(required=False, allow_blank=True, default="")
    declared_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    declaration = serializers.BooleanField(
        required=False, default=False, help_text="true: the declarant confirms the truthfulness declaration"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=[ItemStatus.COMPLETE, ItemStatus.INCOMPLETE, ItemStatus.REFUSED])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ObstructionSerializer(serializers.Serializer):
    requests = serializers.IntegerField()
    items = serializers.IntegerField()
    overdue_items = serializers.IntegerField()
    overdue_requests = serializers.IntegerField()
    refused_items = serializers.IntegerField()


def docx_response(data: bytes, name: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=DOCX)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


class InfoRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Document requests from the team to a target unit; the same filters as the list page."""

    serializer_class = InfoRequestSerializer
    filterset_class = InfoRequestFilter
    lookup_value_regex = UUID_RE
    action_roles = {"create": "info_requests.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.requests_for(self.request.user).prefetch_related("items__deliveries").order_by("-issued_at", "-number")

    def _represent(self, req: InfoRequest) -> Any:
        fresh = self.get_queryset().get(pk=req.pk)
        return InfoRequestSerializer(fresh, context={"request": self.request}).data

    @extend_schema(request=InfoRequestCreateSerializer, responses={201: InfoRequestSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_role_anywhere(request.user, "info_requests.manage"):
            raise PermissionDenied()
        body = InfoRequestCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return idempotent_create(
            request, InfoRequest, lambda: actions.create_request(actor=request.user, **body.validated_data), self._represent
        )

    @extend_schema(
        parameters=[OpenApiParameter("campaign", str, description="campaign id or code")],
        responses=ObstructionSerializer,
    )
    @action(detail=False, methods=["get"], url_path="obstruction")
    def obstruction(self, request: Request) -> Response:
        """Counts over the filtered requests: overdue items (possible obstruction) and refused items."""
        qs = self.filter_queryset(selectors.requests_for(request.user))
        return Response(selectors.obstruction(qs))

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="letter")
    def letter(self, request: Request, pk: str | None = None) -> HttpResponse:
        req = self.get_object()
        return docx_response(documents.request_letter(req), f"request-{req.number}-letter.docx")

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="handover")
    def handover(self, request: Request, pk: str | None = None) -> HttpResponse:
        req = self.get_object()
        return docx_response(documents.handover_list(req), f"request-{req.number}-handover.docx")


class InfoRequestItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The items of the requests: the coordinator assigns, a department delivers, the team reviews."""

    serializer_class = ItemSerializer
    lookup_value_regex = UUID_RE
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # The liaison group assigns, the departments deliver, the team accepts or returns (DOMAIN.md 4.7).
    action_roles = {"assign": "info_requests.assign", "deliver": "info_requests.deliver", "review": "info_requests.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = selectors.items_for(self.request.user).prefetch_related("deliveries")
        req = self.request.query_params.get("request")
        if req:
            qs = qs.filter(request_id=req) if _is_uuid(req) else qs.none()
        return qs.order_by("request", "seq")

    def _item(self, item: InfoRequestItem) -> Any:
        return ItemSerializer(self.get_queryset().get(pk=item.pk), context={"request": self.request}).data

    @extend_schema(request=AssignSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="assign")
    def assign(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        body = AssignSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        actions.assign_item(item, actor=request.user, **body.validated_data)
        return Response(self._item(item))

    @extend_schema(request={"multipart/form-data": DeliverSerializer}, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="deliver")
    def deliver(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        body = DeliverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        actions.deliver_item(
            item,
            actor=request.user,
            files=request.FILES.getlist("files"),
            declarant_name=data["declarant_name"],
            declared_at=data["declared_at"],
            declaration_accepted=data["declaration"],
            note=data["note"],
        )
        return Response(self._item(item))

    @extend_schema(request=ReviewSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.review_item(item, actor=request.user, **body.validated_data)
        return Response(self._item(item))


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def register(router: BaseRouter) -> None:
    from .api_field import SiteVisitViewSet, TalkViewSet, VisitFindingViewSet

    router.register("info-requests", InfoRequestViewSet, basename="info-request")
    router.register("info-request-items", InfoRequestItemViewSet, basename="info-request-item")
    router.register("talks", TalkViewSet, basename="talk")
    router.register("visits", SiteVisitViewSet, basename="visit")
    router.register("visit-findings", VisitFindingViewSet, basename="visit-finding")
