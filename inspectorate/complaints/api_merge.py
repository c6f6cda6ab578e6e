"""API of the merge queue: the day's duplicate clusters with their evidence, merge a cluster, unmerge a complaint.

GET  /api/v1/complaints/duplicate-clusters/?campaign=<code or id>&day=YYYY-MM-DD[&open=1]
GET  /api/v1/complaints/duplicate-clusters/<cluster id>/?campaign=…&day=…
POST /api/v1/complaints/duplicate-clusters/merge/    {"primary": id, "duplicates": [id, …], "reason": "…"}
POST /api/v1/complaints/{id}/unmerge/                {"reason": "…"}   (ComplaintViewSet calls `unmerge` here)

The POSTs accept an ``Idempotency-Key`` header: a retry with the same key and body answers the first result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.accounts.scoping import can, has_role_anywhere

from . import actions, merge_queue, selectors
from .actions.intake import body_hash
from .models import Complaint, IdempotencyKey

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
MAX_MERGE = 200


class MemberSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    receipt_code = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    intake_day = serializers.DateField()
    text = serializers.CharField()
    address = serializers.CharField()
    polluter_name = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    duplicate_of = serializers.UUIDField(allow_null=True)
    case_number = serializers.CharField(allow_null=True)
    mergeable = serializers.BooleanField()


class EvidenceSerializer(serializers.Serializer):
    a = serializers.UUIDField()
    b = serializers.UUIDField()
    score = serializers.FloatField()
    signals = serializers.DictField(child=serializers.BooleanField(), help_text="text, polluter, place, time")
    metres = serializers.IntegerField(allow_null=True)
    shared_words = serializers.ListField(child=serializers.CharField())
    char_similarity = serializers.FloatField()
    word_similarity = serializers.FloatField()


class ClusterSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The cluster's first complaint (by time received)")
    open = serializers.BooleanField()
    signals = serializers.DictField(child=serializers.BooleanField())
    members = MemberSerializer(many=True)
    evidence = EvidenceSerializer(many=True)


class MergeInputSerializer(serializers.Serializer):
    primary = serializers.UUIDField(help_text="The complaint that stays; the others become its duplicates")
    duplicates = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=MAX_MERGE)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class UnmergeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MergeResultSerializer(serializers.Serializer):
    primary = MemberSerializer()
    duplicates = MemberSerializer(many=True)


def member(c: Complaint) -> dict[str, Any]:
    return {
        "id": str(c.pk),
        "receipt_code": c.receipt_code,
        "status": c.status,
        "received_at": c.received_at.isoformat(),
        "intake_day": c.intake_day.isoformat(),
        "text": c.text,
        "address": c.address,
        "polluter_name": c.polluter_name,
        "lat": c.lat,
        "lon": c.lon,
        "duplicate_of": str(c.duplicate_of_id) if c.duplicate_of_id else None,
        "case_number": c.case.number if c.case_id and c.case else None,
        "mergeable": merge_queue.mergeable(c),
    }


def cluster_data(cl: merge_queue.Cluster) -> dict[str, Any]:
    return {
        "id": cl.id,
        "open": cl.is_open,
        "signals": cl.signals(),
        "members": [member(m) for m in cl.members],
        "evidence": [e.as_dict() for e in cl.evidence],
    }


def _need_screen(user: Any) -> None:
    if not has_role_anywhere(user, "complaints.screen"):
        raise PermissionDenied()


def _campaign_and_day(request: Request) -> tuple[Any, dt.date, bool]:
    from .api import campaign_by_ref
    from .api_inputs import ClusterQuerySerializer, read

    q = read(ClusterQuerySerializer, request.query_params, request)
    campaign = campaign_by_ref(q["campaign"], request.user)
    if not can(request.user, "complaints.screen", campaign):
        raise PermissionDenied()
    return campaign, q["day"], q["open"]


def idempotent(request: Request, scope: str, body: dict[str, Any], run: Callable[[], Complaint]) -> Complaint | Response:
    """Run `run` once per Idempotency-Key (and user): a retry with the same body gets the first complaint back,
    a retry with another body a 422.  Without the header `run` simply runs."""
    key = (request.headers.get("Idempotency-Key") or "")[:200]
    if not key:
        return run()
    where = {"client_scope": f"user:{request.user.pk}:{scope}"[:150], "key": key}
    fingerprint = body_hash(body)

    def prior() -> Complaint | Response | None:
        row = IdempotencyKey.objects.select_related("complaint").filter(**where).first()
        if row is None:
            return None
        if row.body_hash != fingerprint:
            return Response(
                {
                    "detail": _(
                        "This Idempotency-Key was already used with a different request body. "
                        "Use a new key for a new request, or resend the original body."
                    ),
                    "idempotency_key": key,
                },
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return row.complaint

    found = prior()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            result = run()
            IdempotencyKey.objects.create(**where, body_hash=fingerprint, complaint=result)
            return result
    except (IntegrityError, ValidationError):
        found = prior()  # the same request, finished by another process while this one waited
        if found is not None:
            return found
        raise


class DuplicateClusterViewSet(viewsets.ViewSet):
    """The screeners' merge queue (`merge_queue`): clusters of likely duplicates per intake day."""

    lookup_value_regex = UUID_RE

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", str, required=True, description="Campaign code or id"),
            OpenApiParameter("day", dt.date, required=True, description="Intake day (YYYY-MM-DD)"),
            OpenApiParameter("open", bool, required=False, description="Only clusters still to merge"),
        ],
        responses=ClusterSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """The day's clusters of likely duplicates, each with its members and the evidence linking them."""
        _need_screen(request.user)
        campaign, day, only_open = _campaign_and_day(request)
        found = merge_queue.clusters(request.user, campaign, day)
        if only_open:
            found = [cl for cl in found if cl.is_open]
        return Response([cluster_data(cl) for cl in found])

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", str, required=True, description="Campaign code or id"),
            OpenApiParameter("day", dt.date, required=True, description="Intake day (YYYY-MM-DD)"),
        ],
        responses=ClusterSerializer,
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """One cluster of the day, by its first complaint's id."""
        _need_screen(request.user)
        campaign, day, _open = _campaign_and_day(request)
        cl = merge_queue.cluster_of(request.user, campaign, day, pk)
        if cl is None:
            raise NotFound()
        return Response(cluster_data(cl))

    @extend_schema(request=MergeInputSerializer, responses=MergeResultSerializer)
    @action(detail=False, methods=["post"], url_path="merge")
    def merge(self, request: Request) -> Response:
        """Merge a cluster in one step: the duplicates become duplicates of the primary complaint."""
        _need_screen(request.user)
        body = MergeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        qs = selectors.complaints_for(request.user, "complaints.screen")
        ids = {d["primary"], *d["duplicates"]}
        found = {c.pk: c for c in qs.filter(pk__in=ids)}
        if len(found) != len(ids):
            raise NotFound()
        primary = found[d["primary"]]

        def run() -> Complaint:
            actions.merge_cluster(primary, [found[i] for i in d["duplicates"]], actor=request.user, reason=d.get("reason", ""))
            return primary

        fingerprint = {"primary": str(d["primary"]), "duplicates": sorted(map(str, d["duplicates"])), "reason": d["reason"]}
        result = idempotent(request, "merge", fingerprint, run)
        if isinstance(result, Response):
            return result
        return Response(merge_result(result, d["duplicates"]))


def merge_result(primary: Complaint, duplicates: list[uuid.UUID]) -> dict[str, Any]:
    primary = Complaint.objects.select_related("case").get(pk=primary.pk)
    dups = Complaint.objects.select_related("case").filter(pk__in=duplicates).order_by("received_at", "pk")
    return {"primary": member(primary), "duplicates": [member(c) for c in dups]}


def unmerge(request: Request, complaint: Complaint) -> Response:
    """POST /api/v1/complaints/{id}/unmerge/ (see ComplaintViewSet.unmerge; complaints are the team's only, so
    anyone else gets 404 from the look-up, as for every complaint action)."""
    from .api import ComplaintSerializer

    body = UnmergeInputSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    reason = body.validated_data["reason"]
    result = idempotent(
        request,
        "unmerge",
        {"complaint": str(complaint.pk), "reason": reason},
        lambda: actions.unmerge_complaint(complaint, actor=request.user, reason=reason),
    )
    if isinstance(result, Response):
        return result
    return Response(ComplaintSerializer(Complaint.objects.get(pk=result.pk)).data)


def register(router: BaseRouter) -> None:
    router.register("complaints/duplicate-clusters", DuplicateClusterViewSet, basename="duplicate-clusters")
