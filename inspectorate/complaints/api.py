"""API: complaints (intake with Idempotency-Key, screening actions, import) and the bulletin line."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from inspectorate.accounts.roles import PERMISSIONS, Role
from inspectorate.accounts.scoping import active_memberships, can, has_role_anywhere, restrict
from inspectorate.campaigns.models import Campaign
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.parsers import JSONParser
from inspectorate.core.tabular import ImportReport, TableError, check_xlsx_limits
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from . import api_inputs as inputs
from .actions.intake import MAX_TEXT
from .api_cases import CaseSerializer
from .api_merge import UnmergeInputSerializer
from .api_merge import unmerge as unmerge_complaint
from .bulletin import bulletin
from .classify import suggest as suggest_types
from .filters import ComplaintFilter
from .models import Complaint, ComplaintStatus, PollutionType
from .similarity import find_similar


def campaign_by_ref(ref: str, user: Any = None) -> Campaign:
    qs = Campaign.objects.all() if user is None else campaigns_for(user)
    try:
        return qs.get(pk=uuid.UUID(str(ref)))
    except (ValueError, Campaign.DoesNotExist):
        pass
    try:
        return qs.get(code=ref)
    except Campaign.DoesNotExist:
        raise NotFound(_("Unknown campaign.")) from None


def _granted_directly(user: Any, action: str, campaign: Campaign) -> bool:
    """True when the user's own team membership on this campaign (or superuser status) grants `action`:
    one of the disjuncts `restrict` ORs together, decided without a query. False means "ask restrict"."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return any(
        m.campaign_id == campaign.pk
        and m.role in (Role.INSPECTOR, Role.TEAM_LEADER)
        and action in PERMISSIONS.get(m.role, frozenset())
        for m in active_memberships(user)
    )


def intake_campaign(ref: str, user: Any) -> Campaign:
    """`campaign_by_ref` for intake, cheaper for the usual caller (a member of the campaign's team): the
    campaign within the user's view scope (404 otherwise); when the team membership grants intake, that is
    remembered on the user object so that `submit_complaint` does not ask again (anyone else is checked by
    `submit_complaint` exactly as before)."""
    try:
        as_uuid: uuid.UUID | None = uuid.UUID(str(ref))
    except ValueError:
        as_uuid = None
    # The caller's own team memberships carry their campaign (loaded with them): no query when one is meant.
    own = [m.campaign for m in active_memberships(user) if m.campaign is not None]
    if as_uuid is not None:  # an id wins over a code that looks like one, as below
        campaign = next((c for c in own if c.pk == as_uuid), None)
    else:  # codes are unique
        campaign = next((c for c in own if c.code == ref), None)
    if campaign is None:
        match = Q(code=ref) | Q(pk=as_uuid) if as_uuid is not None else Q(code=ref)
        found = list(Campaign.objects.filter(match).order_by()[:2])
        campaign = next((c for c in found if c.pk == as_uuid), found[0] if found else None)  # an id wins, as before
    if campaign is None:
        raise NotFound(_("Unknown campaign."))
    if not _granted_directly(user, "view", campaign) and not restrict(Campaign.objects.filter(pk=campaign.pk), user).exists():
        raise NotFound(_("Unknown campaign."))
    if _granted_directly(user, "complaints.intake", campaign):
        user.__dict__.setdefault("_intake_authorized", set()).add(campaign.pk)
    return campaign


class CachedFieldsMixin:
    """Builds a ModelSerializer's fields once per class and copies them for each instance: DRF would
    otherwise introspect the model again for every object serialised (most of a response's cost)."""

    _prototype_fields: dict[str, Any] | None = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        proto = cls.__dict__.get("_prototype_fields")
        if proto is None:
            proto = super().get_fields()  # type: ignore[misc]
            cls._prototype_fields = proto
        return copy.deepcopy(proto)

    @classmethod
    def represent(cls, instance: Any) -> dict[str, Any]:
        """`cls(instance).data` as a plain dict, through one bound serializer kept per class (read-only
        serializers without context only: their fields keep no state between objects)."""
        proto: Any = cls.__dict__.get("_bound_prototype")
        if proto is None:
            proto = cls()
            proto.fields  # noqa: B018  (bind the fields once)
            cls._bound_prototype = proto  # type: ignore[attr-defined]
        return dict(proto.to_representation(instance))


class ComplaintSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    campaign_code = serializers.CharField(source="campaign.code", read_only=True)
    reporter_name = serializers.CharField(source="reporter_name_masked", read_only=True)
    reporter_phone = serializers.CharField(source="reporter_phone_masked", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "campaign",
            "campaign_code",
            "channel",
            "received_at",
            "intake_day",
            "text",
            "lat",
            "lon",
            "address",
            "polluter_name",
            "reporter_name",
            "reporter_phone",
            "anonymous",
            "type_hints",
            "suggested_types",
            "suggested_sector",
            "pollution_types",
            "sector",
            "types_confirmed",
            "jurisdiction",
            "route_method",
            "status",
            "status_reason",
            "duplicate_of",
            "case",
            "case_number",
            "similar",
            "triaged_at",
            "receipt_code",
            "channel_details",
        ]
        read_only_fields = fields


class SimilarSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    score = serializers.FloatField()


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Complaints are for the inspection team only: they carry the (masked) reporter."""

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_roles = {
        "create": "complaints.intake",
        "similar": "complaints.intake",
        "import_calls": "complaints.intake",
        "reveal_reporter": "complaints.reveal_reporter",
        "classify": "complaints.screen",
        "route": "complaints.screen",
        "accept": "cases.register",
        "invalid": "complaints.screen",
        "merge": "complaints.screen",
        "unmerge": "complaints.screen",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.complaints_for(self.request.user).order_by("-received_at")

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return inputs.ComplaintCreateSerializer if self.action == "create" else ComplaintSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_role_anywhere(request.user, "complaints.screen"):
            raise PermissionDenied()
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = inputs.read(inputs.ComplaintCreateSerializer, request.data, request)
        campaign = intake_campaign(data.pop("campaign"), request.user)
        details = data.pop("channel_details", {})
        key = request.headers.get("Idempotency-Key") or None
        files = request.FILES.getlist("attachments") if hasattr(request, "FILES") else []
        try:
            complaint = actions.submit_complaint(
                campaign=campaign,
                actor=request.user,
                extra={"channel_details": details},
                attachments=files,
                idempotency_key=key,
                idempotency_scope=f"user:{request.user.pk}",
                **data,
            )
        except actions.IdempotencyConflict as exc:
            return Response(
                {
                    "detail": _(
                        "This Idempotency-Key was already used with a different request body. "
                        "Use a new key for a new complaint, or resend the original body."
                    ),
                    "idempotency_key": exc.key,
                    "original": str(exc.complaint.pk),
                },
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        out = ComplaintSerializer.represent(complaint)
        out["similar"] = [{"id": i, "score": s} for i, s in complaint.similar]
        out["tracking_secret"] = complaint.tracking_secret
        return Response(out, status=status.HTTP_201_CREATED)

    @extend_schema(request=inputs.SimilarInputSerializer, responses=SimilarSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="similar")
    def similar(self, request: Request) -> Response:
        """Possible duplicates of a text before it is submitted."""
        d = inputs.read(inputs.SimilarInputSerializer, request.data, request)
        campaign = campaign_by_ref(d["campaign"], request.user)
        if not can(request.user, "complaints.intake", campaign):
            raise PermissionDenied()
        text = d["text"][:MAX_TEXT]
        polluter_name = d["polluter_name"][:200]
        hits = find_similar(
            campaign,
            text,
            lat=d["lat"],
            lon=d["lon"],
            polluter_name=polluter_name,
            types=suggest_types(f"{text} {polluter_name}").pollution_types,
        )
        return Response([{"id": i, "score": s} for i, s in hits])

    @action(detail=True, methods=["get"], url_path="attachments")
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        """The complaint's photos and videos (name, type, size, SHA-256 and the file's URL)."""
        c = self.get_object()
        rows = selectors.attachments_for(request.user).filter(complaint=c).order_by("uploaded_at", "name")
        return Response(
            [
                {
                    "id": str(a.pk),
                    "name": a.name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                    "url": request.build_absolute_uri(f"/api/v1/complaints/{c.pk}/attachments/{a.pk}/"),
                }
                for a in rows
            ]
        )

    @extend_schema(
        parameters=[inputs.AttachmentQuerySerializer], responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<att>[0-9a-f-]{36})")
    def attachment_file(self, request: Request, att: str, pk: str | None = None) -> Any:
        """One photo or video, as stored (`?download=1`: as a download)."""
        from .views import attachment_response

        q = inputs.read(inputs.AttachmentQuerySerializer, request.query_params, request)
        c = self.get_object()
        a = selectors.attachments_for(request.user).filter(complaint=c, pk=att).first()
        if a is None:
            raise NotFound()
        return attachment_response(a, download=q["download"])

    @extend_schema(request=inputs.ReasonInputSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"], url_path="reveal-reporter")
    def reveal_reporter(self, request: Request, pk: str | None = None) -> Response:
        """The reporter's name and phone in clear, for a stated reason (recorded in the audit trail)."""
        c = self.get_object()
        d = inputs.read(inputs.ReasonInputSerializer, request.data, request)
        return Response(actions.reveal_reporter(c, actor=request.user, reason=d["reason"]))

    @extend_schema(request=inputs.ClassifyInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request: Request, pk: str | None = None) -> Response:
        """Confirm the complaint's pollution types and sector."""
        c = self.get_object()
        d = inputs.read(inputs.ClassifyInputSerializer, request.data, request)
        c = actions.confirm_classification(c, actor=request.user, pollution_types=d["pollution_types"], sector=d["sector"])
        return Response(ComplaintSerializer(c).data)

    @extend_schema(request=inputs.RouteInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request: Request, pk: str | None = None) -> Response:
        """Set the complaint's jurisdiction by hand (a unit under the campaign's targets)."""
        c = self.get_object()
        d = inputs.read(inputs.RouteInputSerializer, request.data, request)
        c = actions.set_jurisdiction(c, actor=request.user, unit=d["unit"], reason=d["reason"])
        return Response(ComplaintSerializer(c).data)

    @extend_schema(request=inputs.AcceptInputSerializer, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept the complaint as a case: lead and co-handling units, key case, types and summary."""
        c = self.get_object()
        d = inputs.read(inputs.AcceptInputSerializer, request.data, request)
        case = actions.accept_complaint(
            c,
            actor=request.user,
            is_key=d["is_key"],
            lead_unit=d["lead_unit"],
            co_units=d["co_units"],
            pollution_types=d["pollution_types"],
            sector=d["sector"],
            summary=d["summary"],
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=inputs.ReasonInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def invalid(self, request: Request, pk: str | None = None) -> Response:
        """Mark the complaint invalid (outside the team's remit), with the reason."""
        c = self.get_object()
        d = inputs.read(inputs.ReasonInputSerializer, request.data, request)
        c = actions.mark_invalid(c, actor=request.user, reason=d["reason"])
        return Response(ComplaintSerializer(c).data)

    @extend_schema(request=inputs.MergeIntoInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """Merge the complaint into an existing case (by the case's id or number)."""
        c = self.get_object()
        d = inputs.read(inputs.MergeIntoInputSerializer, request.data, request)
        c = actions.merge_complaint(c, actor=request.user, into=d["into"], reason=d["reason"])
        return Response(ComplaintSerializer(c).data)

    @extend_schema(request=UnmergeInputSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def unmerge(self, request: Request, pk: str | None = None) -> Response:
        """Undo a merge (Idempotency-Key accepted): the complaint goes back to screening (`api_merge.unmerge`)."""
        return unmerge_complaint(request, self.get_object())

    @extend_schema(
        request={"multipart/form-data": inputs.ImportInputSerializer},
        parameters=[inputs.ImportQuerySerializer],
        responses={201: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_calls(self, request: Request) -> Response:
        """Import a day's calls (xlsx/csv): all or nothing, with a row-level error report."""
        q = inputs.read(inputs.ImportQuerySerializer, request.query_params, request)
        d = inputs.read(inputs.ImportInputSerializer, request.data, request)
        campaign = campaign_by_ref(d["campaign"], request.user)
        upload = d["file"]
        if q["background"]:
            # Checked now, so that a refused import is refused at once rather than in the worker.
            if not can(request.user, "complaints.intake", campaign):
                raise PermissionDenied()
            from .tasks import import_calls_task

            raw = upload.read()
            if upload.name.lower().endswith(".xlsx"):
                try:
                    check_xlsx_limits(raw)  # an oversized workbook is refused here, not queued
                except TableError as exc:
                    refused = ImportReport()
                    refused.add(0, "", str(exc))
                    return Response(refused.as_dict(), status=status.HTTP_400_BAD_REQUEST)
            result = import_calls_task.enqueue(str(campaign.pk), int(request.user.pk or 0), upload.name, raw.hex())
            return Response(
                {"task": str(result.id), "status": str(result.status), "url": f"/api/v1/complaints/import/{result.id}/"},
                status=status.HTTP_202_ACCEPTED,
            )
        report = actions.import_calls(campaign, upload.read(), upload.name, actor=request.user)
        return Response(report.as_dict(), status=status.HTTP_201_CREATED if report.ok else status.HTTP_400_BAD_REQUEST)

    @action(detail=False, methods=["get"], url_path=r"import/(?P<task_id>[0-9a-f-]{36})")
    def import_status(self, request: Request, task_id: str) -> Response:
        """A background import: its status and, when finished, the row-level report."""
        from django_tasks.exceptions import TaskResultDoesNotExist

        from .tasks import import_calls_task

        try:
            result = import_calls_task.get_result(task_id)
        except TaskResultDoesNotExist:
            raise NotFound() from None
        if result.args[1] != request.user.pk:
            raise NotFound()
        body: dict[str, Any] = {"task": task_id, "status": str(result.status)}
        if str(result.status) == "SUCCESSFUL":
            body["report"] = result.return_value
        return Response(body)


class BulletinView(APIView):
    """GET /api/v1/reports/bulletin/?campaign=…[&as_of=YYYY-MM-DD, default today][&batch=N][&region=<unit code or id>]"""

    @extend_schema(parameters=[inputs.BulletinQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        q = inputs.read(inputs.BulletinQuerySerializer, request.query_params, request)
        campaign = campaign_by_ref(q["campaign"], request.user)
        as_of = q["as_of"] or timezone.localdate()  # Asia/Shanghai: "as of today" when no date is given
        batch = get_object_or_404(campaign.batches.all(), number=q["batch"]) if q["batch"] is not None else None
        region = None
        if q["region"]:
            ref = q["region"]
            units = units_for(request.user)  # only units in the user's scope: no unscoped fallback
            region = units.filter(code=ref).first()
            if region is None:
                try:
                    region = units.filter(pk=uuid.UUID(ref)).first()
                except ValueError:
                    region = None
            if region is None:
                raise NotFound(_("Unknown region."))
        figures = bulletin([campaign], as_of, batch=batch, region=region)
        figures["fines_yuan"] = str(figures["fines_yuan"])
        return Response(figures)


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    from .api_cases import register as register_cases
    from .api_merge import register as register_merge

    register_merge(router)  # before "complaints": its URLs would otherwise read "duplicate-clusters" as an id
    router.register("complaints", ComplaintViewSet, basename="complaints")
    register_cases(router)
    # A plain view on the router's URL list: the router carries extra URLs through its registry of viewsets only,
    # so the bulletin is added as a one-action viewset.
    router.register("reports/bulletin", BulletinViewSet, basename="reports-bulletin")


class BulletinViewSet(viewsets.ViewSet):
    """The bulletin line (通报口径) of a campaign as of a day: complaints received, cases transferred, replied and
    closed, penalties and fines, optionally for one batch or one region."""

    @extend_schema(parameters=[inputs.BulletinQuerySerializer], responses=OpenApiTypes.OBJECT)
    def list(self, request: Request) -> Response:
        return BulletinView().get(request)


__all__ = ["ComplaintStatus", "PollutionType", "register"]
