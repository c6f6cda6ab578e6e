"""API: org units and regulated enterprises (scoped lists, create/update through actions, import)."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from . import actions, importer, selectors
from .models import Enterprise, OrgUnit
from .validators import validate_geojson_polygon


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), allow_null=True, required=False)  # type: ignore[assignment]
    boundary = serializers.JSONField(required=False, allow_null=True, validators=[validate_geojson_polygon])

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "kind", "unit_type", "name_zh", "name_en", "parent", "depth", "boundary", "active"]
        read_only_fields = ["id", "depth"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A parent must be a unit the user can see.
            self.fields["parent"].queryset = selectors.units_for(request.user)  # type: ignore[attr-defined]


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "name", "name_en", "credit_code", "address", "lat", "lon", "sector", "org_unit", "enterprise_unit"]
        read_only_fields = ["id"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            visible = selectors.units_for(request.user)
            self.fields["org_unit"].queryset = visible  # type: ignore[attr-defined]
            self.fields["enterprise_unit"].queryset = visible  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lat, lon = attrs.get("lat"), attrs.get("lon")
        if (lat is None) != (lon is None):
            raise serializers.ValidationError({"lat": [_latlon_msg()]})
        return attrs


def _latlon_msg() -> str:
    from django.utils.translation import gettext

    return gettext("Latitude and longitude must both be given and in range.")


class OrgUnitFilter(django_filters.FilterSet):
    parent = django_filters.UUIDFilter(field_name="parent_id")
    under = django_filters.UUIDFilter(method="filter_under", label="Subtree of unit")
    q = django_filters.CharFilter(method="filter_q", label="Name or code contains")

    class Meta:
        model = OrgUnit
        fields = ["kind", "unit_type", "code", "active"]

    def filter_under(self, qs: Any, name: str, value: Any) -> Any:
        unit = OrgUnit.objects.filter(pk=value).first()
        return qs.filter(path__startswith=unit.path) if unit else qs.none()

    def filter_q(self, qs: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        return qs.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value) | Q(code__icontains=value))


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name or credit code contains")

    class Meta:
        model = Enterprise
        fields = ["sector", "org_unit", "credit_code"]

    def filter_q(self, qs: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        return qs.filter(Q(name__icontains=value) | Q(name_en__icontains=value) | Q(credit_code__icontains=value))


class ImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class OrgUnitViewSet(viewsets.ModelViewSet):
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {"create": "orgs.manage", "partial_update": "orgs.manage", "import_units": "orgs.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.units_for(self.request.user).order_by("path")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = actions.create_unit(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        unit: Any = serializer.instance
        serializer.instance = actions.update_unit(unit, actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_units(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            from django.utils.translation import gettext

            return Response(
                {
                    "ok": False,
                    "created": 0,
                    "updated": 0,
                    "errors": [{"row": 0, "column": "file", "message": gettext("Attach a file.")}],
                },
                status=400,
            )
        report = importer.import_units(upload.read(), upload.name or "", actor=request.user)
        return Response(report.as_dict(), status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST)


class EnterpriseViewSet(viewsets.ModelViewSet):
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {"create": "orgs.manage", "partial_update": "orgs.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.enterprises_for(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = actions.create_enterprise(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        ent: Any = serializer.instance
        serializer.instance = actions.update_enterprise(ent, actor=self.request.user, **serializer.validated_data)


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())  # type: ignore[assignment]

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name_zh", "name_en", "parent", "kind", "active"]
        read_only_fields = ["id", "kind", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["parent"].queryset = selectors.units_for(request.user)  # type: ignore[attr-defined]
        if isinstance(self.instance, OrgUnit):
            self.fields["parent"].read_only = True


class DepartmentFilter(OrgUnitFilter):
    class Meta:
        model = OrgUnit
        fields = ["code", "active"]


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DepartmentViewSet(viewsets.ModelViewSet):
    """Implementing departments (org units of type "department") the user reaches; the liaison office keeps them."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {"create": "departments.manage", "partial_update": "departments.manage", "end": "departments.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.departments_for(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = actions.create_department(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        unit: Any = serializer.instance
        serializer.instance = actions.update_department(unit, actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=EndSerializer, responses=DepartmentSerializer)
    @action(detail=True, methods=["post"], url_path="end")
    def end(self, request: Request, pk: str | None = None) -> Response:
        unit = self.get_object()
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = actions.end_department(unit, actor=request.user, **body.validated_data)
        return Response(DepartmentSerializer(unit, context={"request": request}).data)


def register(router: BaseRouter) -> None:
    router.register("org-units", OrgUnitViewSet, basename="org-units")
    router.register("enterprises", EnterpriseViewSet, basename="enterprises")
    router.register("departments", DepartmentViewSet, basename="departments")
