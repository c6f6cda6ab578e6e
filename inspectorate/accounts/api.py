"""API: the current user, and API tokens (create, list, revoke)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from . import actions
from .models import ApiToken, Membership, User
from .scoping import active_memberships, restrict


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "user", "org_unit", "campaign", "role", "title", "valid_from", "valid_until"]
        read_only_fields = ["id", "valid_until"]
        validators: list[Any] = []  # overlap and date rules live in Membership.clean(), run by the action

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "org_unit" in self.fields:
            from inspectorate.campaigns.selectors import campaigns_for
            from inspectorate.orgs.selectors import units_for

            self.fields["org_unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]


class EndMembershipSerializer(serializers.Serializer):
    valid_until = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class MembershipFilter(django_filters.FilterSet):
    class Meta:
        model = Membership
        fields = ["user", "org_unit", "campaign", "role"]


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Memberships of the units (and campaigns) the user manages accounts for."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    # Granting a role: accounts.manage on the unit, or campaigns.change for a campaign's roster (actions._authorize_grant).
    action_roles = {"create": ("accounts.manage", "campaigns.change"), "end": ("accounts.manage", "campaigns.change")}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return restrict(
            Membership.objects.select_related("user", "org_unit", "campaign").order_by("user__username", "role"),
            self.request.user,
            "accounts.manage",
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = actions.add_membership(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=EndMembershipSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        m = self.get_object()
        ser = EndMembershipSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        actions.end_membership(
            m, actor=request.user, on=ser.validated_data.get("valid_until"), reason=ser.validated_data.get("reason", "")
        )
        return Response(MembershipSerializer(m).data)


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "title", "is_superuser", "memberships"]

    def get_memberships(self, obj: User) -> list[dict[str, Any]]:
        return MembershipSerializer(active_memberships(obj), many=True).data  # type: ignore[return-value]


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class MeViewSet(viewsets.ViewSet):
    @extend_schema(responses=MeSerializer)
    def list(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TokenSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request: Request) -> Response:
        ser = TokenSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        token, key = actions.create_token(request.user, ser.validated_data["name"], actor=request.user)  # type: ignore[arg-type]
        data = dict(TokenSerializer(token).data)
        data["key"] = key
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        token = get_object_or_404(self.get_queryset(), pk=pk)
        actions.revoke_token(token, actor=request.user)
        return Response(TokenSerializer(token).data)


def register(router: BaseRouter) -> None:
    router.register("me", MeViewSet, basename="me")
    router.register("tokens", TokenViewSet, basename="tokens")
    router.register("memberships", MembershipViewSet, basename="memberships")
