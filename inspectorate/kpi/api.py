"""API: KPI schemes (/api/v1/kpi-schemes/ with `compute` and `ranking`) and scores (/api/v1/kpi-scores/ with
`adjust` and `review`). Every change goes through `actions`; reads through the user's scope."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.scoping import authorize
from inspectorate.facilities.api_common import IDEMPOTENCY_HEADER, UUID_RE, idempotent_create, in_scope
from inspectorate.orgs.models import OrgUnit
from inspectorate.orgs.selectors import units_for

from . import actions, metrics, selectors
from .filters import SchemeFilter, ScoreFilter
from .models import Adjustment, Indicator, IndicatorKind, Scheme, Score


class IndicatorSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "position", "name", "kind", "kind_label", "metric", "weight", "points", "cap"]
        read_only_fields = fields


class SchemeSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner_unit.name", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "id", "owner_unit", "owner_name", "title", "period_start", "period_end", "units", "indicators",
            "computed_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class IndicatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    metric = serializers.ChoiceField(choices=metrics.choices())
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    points = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    cap = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)


class SchemeInputSerializer(serializers.Serializer):
    owner_unit = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    units = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    indicators = IndicatorInputSerializer(many=True, allow_empty=False)


class AdjustmentSerializer(serializers.ModelSerializer):
    made_by_name = serializers.CharField(source="made_by.display_name", read_only=True, default="")
    indicator_position = serializers.IntegerField(source="indicator.position", read_only=True, default=None)

    class Meta:
        model = Adjustment
        fields = ["id", "indicator", "indicator_position", "points", "reason", "made_by_name", "made_at"]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    scheme_title = serializers.CharField(source="scheme.title", read_only=True)
    assessed = serializers.SerializerMethodField()
    adjustments = AdjustmentSerializer(many=True, read_only=True)

    class Meta:
        model = Score
        fields = [
            "id", "scheme", "scheme_title", "unit", "unit_name", "computed", "vetoed", "adjustment", "final", "rank",
            "assessed", "status", "lines", "adjustments", "computed_at", "reviewed_at", "review_note",
        ]  # fmt: skip
        read_only_fields = fields

    def get_assessed(self, obj: Score) -> int:
        """How many units the scheme ranks (the rank is out of this number)."""
        return len(obj.scheme.units.all())


class AdjustInputSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.CharField()
    indicator = serializers.UUIDField(required=False, allow_null=True, default=None)


class ScoreReviewInputSerializer(serializers.Serializer):
    note = serializers.CharField()


class ComputeResultSerializer(serializers.Serializer):
    computed = serializers.IntegerField()
    kept_reviewed = serializers.IntegerField()


class SchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessment schemes the user's units keep or are assessed by."""

    serializer_class = SchemeSerializer
    filterset_class = SchemeFilter
    lookup_value_regex = UUID_RE
    action_roles = {"create": "kpi.manage", "compute": "kpi.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.schemes_for(self.request.user).prefetch_related("indicators", "units")

    @extend_schema(request=SchemeInputSerializer, responses={201: SchemeSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        body = SchemeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        owner = in_scope(units_for(request.user), data["owner_unit"])
        units = [in_scope(OrgUnit.objects.filter(path__startswith=owner.path), pk) for pk in data["units"]]
        indicators = [dict(x) for x in data["indicators"]]
        return idempotent_create(
            request,
            model=Scheme,
            resource="kpi_scheme",
            body=request.data,
            create=lambda: actions.create_scheme(
                actor=request.user,
                owner_unit=owner,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                units=units,
                indicators=indicators,
            ),
            represent=lambda s: SchemeSerializer(s).data,
        )

    @extend_schema(request=None, responses=ComputeResultSerializer)
    @action(detail=True, methods=["post"], url_path="compute")
    def compute(self, request: Request, pk: str | None = None) -> Response:
        result = actions.compute_scores(self.get_object(), actor=request.user)
        return Response(result)

    @extend_schema(responses=ScoreSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="ranking")
    def ranking(self, request: Request, pk: str | None = None) -> Response:
        """The scheme's scores by rank, as far as the user may see them (a unit sees its own row and rank)."""
        scheme = self.get_object()
        rows = selectors.scores_for(request.user).filter(scheme=scheme).prefetch_related("adjustments__made_by", "scheme__units")
        return Response(ScoreSerializer(rows.order_by("rank", "unit__path"), many=True).data)


class ScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Scores: the assessed unit sees its own, the assessing unit all of its scheme's."""

    serializer_class = ScoreSerializer
    filterset_class = ScoreFilter
    lookup_value_regex = UUID_RE
    action_roles = {"adjust": "kpi.manage", "review": "kpi.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.scores_for(self.request.user).prefetch_related(
            "adjustments__made_by", "adjustments__indicator", "scheme__units"
        )

    @extend_schema(request=AdjustInputSerializer, responses={201: AdjustmentSerializer})
    @action(detail=True, methods=["post"], url_path="adjust")
    def adjust(self, request: Request, pk: str | None = None) -> Response:
        score = self.get_object()
        authorize(request.user, "kpi.manage", score.scheme.owner_unit)  # the role before the input: 403, not 400
        body = AdjustInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        indicator = in_scope(score.scheme.indicators.all(), data["indicator"]) if data["indicator"] else None
        adj = actions.adjust_score(score, actor=request.user, points=data["points"], reason=data["reason"], indicator=indicator)
        return Response(AdjustmentSerializer(adj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScoreReviewInputSerializer, responses=ScoreSerializer)
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        score = self.get_object()
        authorize(request.user, "kpi.manage", score.scheme.owner_unit)
        body = ScoreReviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        score = actions.review_score(score, actor=request.user, note=body.validated_data["note"])
        return Response(ScoreSerializer(score).data)


def register(router: Any) -> None:
    router.register("kpi-schemes", SchemeViewSet, basename="kpi-schemes")
    router.register("kpi-scores", ScoreViewSet, basename="kpi-scores")
