"""API: problems, plans, ledger tasks (with sign-off actions, xlsx export/import) and flags."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import uuid
from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.complaints.selectors import cases_for
from inspectorate.core.parsers import JSONParser
from inspectorate.core.tabular import TableError
from inspectorate.core.text import strip_controls
from inspectorate.orgs.selectors import units_for

from . import actions, ledger, reports, selectors
from .api_ledger_settings import LedgerSettingsViewSet
from .filters import FlagFilter, PlanFilter, ProblemFilter, TaskFilter
from .models import UPLOAD_KINDS, Feedback, Flag, Leader, Measure, Objection, Plan, PlanStatus, Problem, ReopenSource, Task
from .schedule import expected_progress, schedule_state, warning

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "campaign", "target", "date", "document_no", "summary"]
        read_only_fields = ["id"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]
            self.fields["target"].queryset = units_for(request.user)  # type: ignore[attr-defined]


class FeedbackViewSet(viewsets.ModelViewSet):
    """The team's feedback to a target (date, document, summary); problems link to it."""

    serializer_class = FeedbackSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = UUID_RE
    action_roles = {"create": "problems.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.feedback_for(self.request.user).order_by("-date")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = actions.create_feedback(actor=self.request.user, **serializer.validated_data)


class ProblemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Problem
        fields = [
            "id", "campaign", "feedback", "unit", "number", "title", "description", "source", "urgency", "nature",
            "enterprise", "origin_case", "origin_case_number", "is_violation", "penalty_ref", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]
            self.fields["unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]
            self.fields["feedback"].queryset = selectors.feedback_for(request.user)  # type: ignore[attr-defined]
            self.fields["origin_case"].queryset = cases_for(request.user)  # type: ignore[attr-defined]


class ProblemViewSet(viewsets.ModelViewSet):
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = UUID_RE
    action_roles = {"create": "problems.manage", "partial_update": "problems.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.problems_for(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = actions.create_problem(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        instance: Any = serializer.instance
        serializer.instance = actions.update_problem(instance, actor=self.request.user, **serializer.validated_data)


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id", "campaign", "target", "version", "title", "body", "public_summary", "status", "due", "due_estimated",
            "due_rule", "submitted_on", "approved_on", "approved_by_body", "published_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "version", "status", "due", "due_estimated", "due_rule", "submitted_on", "approved_on", "published_at",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = campaigns_for(request.user)  # type: ignore[attr-defined]
            self.fields["target"].queryset = units_for(request.user)  # type: ignore[attr-defined]


class TransitionSerializer(serializers.Serializer):
    approved_by_body = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PlanViewSet(viewsets.ModelViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = UUID_RE
    # The transitions as in PLAN_FLOW: the target's office moves its plan, the team leader approves it.
    action_roles = {
        "create": "plans.manage",
        "review": "plans.manage",
        "submit": "plans.manage",
        "approve": "plans.approve",
        "publish": "plans.manage",
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.plans_for(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("approved_by_body", None)
        serializer.instance = actions.create_plan(actor=self.request.user, **data)

    def _move(self, request: Request, to: str) -> Response:
        plan = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = actions.transition_plan(plan, to, actor=request.user, **body.validated_data)
        return Response(PlanSerializer(plan, context={"request": request}).data)

    @extend_schema(request=TransitionSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, PlanStatus.INTERNAL_REVIEW)

    @extend_schema(request=TransitionSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, PlanStatus.SUBMITTED)

    @extend_schema(request=TransitionSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="approve")
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, PlanStatus.APPROVED)

    @extend_schema(request=TransitionSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, PlanStatus.PUBLISHED)


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "number", "text", "milestone", "done", "done_on"]
        read_only_fields = ["id", "done", "done_on"]


class TaskSerializer(serializers.ModelSerializer):
    measures = MeasureSerializer(many=True, required=False)
    schedule_state = serializers.SerializerMethodField()
    expected_progress = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()
    open_flags = serializers.IntegerField(read_only=True, required=False)
    lead_leader = serializers.PrimaryKeyRelatedField(queryset=Leader.objects.all())
    problem = serializers.PrimaryKeyRelatedField(queryset=Problem.objects.all())

    class Meta:
        model = Task
        fields = [
            "id", "campaign", "problem", "plan", "number", "goal", "lead_leader", "lead_unit", "implementing_units",
            "acceptance_unit", "start_date", "deadline", "long_term", "review_dates", "progress", "status",
            "signoff_step", "schedule_state", "expected_progress", "warning", "closure_claim", "applied_at",
            "verified_at", "verification_conclusion", "signed_at", "notice_start", "notice_end", "notice_days",
            "notice_estimated", "closed_on", "return_reason", "reopen_count", "open_flags", "measures",
        ]  # fmt: skip
        read_only_fields = [
            "id", "progress", "status", "signoff_step", "applied_at", "verified_at", "verification_conclusion",
            "signed_at", "notice_start", "notice_end", "notice_days", "notice_estimated", "closed_on", "return_reason",
            "reopen_count",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in ("GET", "HEAD"):
            user = request.user
            visible = units_for(user)
            self.fields["campaign"].queryset = campaigns_for(user)  # type: ignore[attr-defined]
            self.fields["problem"].queryset = selectors.problems_for(user)  # type: ignore[attr-defined]
            self.fields["plan"].queryset = selectors.plans_for(user)  # type: ignore[attr-defined]
            self.fields["lead_unit"].queryset = visible  # type: ignore[attr-defined]
            self.fields["acceptance_unit"].queryset = visible  # type: ignore[attr-defined]
            self.fields["implementing_units"].child_relation.queryset = visible  # type: ignore[attr-defined]
            # Current leaders the user keeps; an existing task may keep the leader it has (even one who has left).
            current = selectors.leaders_for(user).active_on(timezone.localdate())
            instance = self.instance if isinstance(self.instance, Task) else None
            if instance is not None:
                current = current | Leader.objects.filter(pk=instance.lead_leader_id)
            self.fields["lead_leader"].queryset = current  # type: ignore[attr-defined]

    def validate_review_dates(self, value: Any) -> list[str]:
        if not isinstance(value, list):
            raise serializers.ValidationError("A list of dates (YYYY-MM-DD).")
        try:
            return [dt.date.fromisoformat(str(v)).isoformat() for v in value]
        except ValueError:
            raise serializers.ValidationError("A list of dates (YYYY-MM-DD).") from None

    def get_expected_progress(self, obj: Task) -> int | None:
        return expected_progress(obj, self.context.get("today"))

    def get_schedule_state(self, obj: Task) -> str:
        return str(schedule_state(obj, obj.measures.all(), self.context.get("today")))

    def get_warning(self, obj: Task) -> str:
        return warning(obj, obj.measures.all(), self.context.get("today"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerifySerializer(serializers.Serializer):
    conclusion = serializers.CharField()


class NoticeSerializer(serializers.Serializer):
    start = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_start(self, value: dt.date | None) -> dt.date | None:
        today = timezone.localdate()
        if value is not None and value < today:
            raise serializers.ValidationError(gettext("A public notice cannot start in the past: it starts today or later."))
        if value is not None and (value - today).days > 366:
            raise serializers.ValidationError(gettext("The notice starts within a year of today."))
        return value


class ObjectSerializer(serializers.Serializer):
    text = serializers.CharField()
    contact = serializers.CharField(required=False, allow_blank=True, default="")


class DecideObjectionSerializer(serializers.Serializer):
    objection = serializers.UUIDField()
    upheld = serializers.BooleanField()
    reason = serializers.CharField()


class ReopenSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=ReopenSource.choices)  # type: ignore[assignment]
    reason = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    measures_done = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    period = serializers.DateField(required=False, allow_null=True, default=None)


class EvidenceSerializer(serializers.Serializer):
    measure = serializers.UUIDField()
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in UPLOAD_KINDS])
    captured_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskViewSet(viewsets.ModelViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    # The role of each step (the action checks it again on the task, with the unit rules of sign-off).
    action_roles = {
        "create": "tasks.manage",
        "partial_update": "tasks.manage",
        "import_": "tasks.manage",
        "apply_sign_off": "tasks.apply",
        "verify": "tasks.verify",
        "sign": "tasks.sign",
        "start_notice": "tasks.notice",
        "object": "tasks.object",
        "decide_objection": "tasks.file",
        "file": "tasks.file",
        "return_": "tasks.return",
        "reopen": "tasks.reopen",
        "progress": "tasks.progress",
        "evidence": "tasks.progress",
    }
    lookup_value_regex = UUID_RE

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.tasks_for(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        units = data.pop("implementing_units", [])
        measures = [dict(m) for m in data.pop("measures", [])]
        serializer.instance = actions.create_task(actor=self.request.user, implementing_units=units, measures=measures, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("measures", None)
        units = data.pop("implementing_units", None)
        instance: Any = serializer.instance
        serializer.instance = actions.update_task(instance, actor=self.request.user, implementing_units=units, **data)

    # -- state changes: each calls one action ------------------------------------------------
    def _run(self, request: Request, body_class: type[serializers.Serializer] | None, fn: Any) -> Response:
        task = self.get_object()
        data: dict[str, Any] = {}
        if body_class is not None:
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        result = fn(task, request.user, data)
        task = self.get_queryset().get(pk=task.pk)
        payload: dict[str, Any] = dict(TaskSerializer(task, context=self.get_serializer_context()).data)
        if result is not None and not isinstance(result, Task):
            payload = {**payload, "result_id": str(result.pk)}
        return Response(payload)

    @extend_schema(request=NoteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="apply-sign-off")
    def apply_sign_off(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, NoteSerializer, lambda t, u, d: actions.apply_sign_off(t, actor=u, **d))

    @extend_schema(request=VerifySerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="verify")
    def verify(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, VerifySerializer, lambda t, u, d: actions.verify(t, actor=u, **d))

    @extend_schema(request=NoteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="sign")
    def sign(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, NoteSerializer, lambda t, u, d: actions.sign(t, actor=u, **d))

    @extend_schema(request=NoticeSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="start-notice")
    def start_notice(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, NoticeSerializer, lambda t, u, d: actions.start_notice(t, actor=u, **d))

    @extend_schema(request=ObjectSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="object")
    def object(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, ObjectSerializer, lambda t, u, d: actions.raise_objection(t, actor=u, **d))

    @extend_schema(request=DecideObjectionSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="decide-objection")
    def decide_objection(self, request: Request, pk: str | None = None) -> Response:
        def run(t: Task, u: Any, d: dict[str, Any]) -> Any:
            objection = get_object_or_404(Objection, pk=d.pop("objection"), task=t)
            return actions.decide_objection(t, objection, actor=u, **d)

        return self._run(request, DecideObjectionSerializer, run)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, None, lambda t, u, d: actions.file(t, actor=u))

    @extend_schema(request=ReasonSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, ReasonSerializer, lambda t, u, d: actions.return_task(t, actor=u, **d))

    @extend_schema(request=ReopenSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="reopen")
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, ReopenSerializer, lambda t, u, d: actions.reopen(t, actor=u, **d))

    @extend_schema(request=ProgressSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="progress")
    def progress(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, ProgressSerializer, lambda t, u, d: actions.record_progress(t, actor=u, **d))

    @extend_schema(request=EvidenceSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="evidence", parser_classes=[MultiPartParser])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        def run(t: Task, u: Any, d: dict[str, Any]) -> Any:
            measure = get_object_or_404(Measure, pk=d.pop("measure"), task=t)
            upload = d.pop("file")
            return actions.add_evidence(t, actor=u, measure=measure, content=upload.read(), filename=upload.name, **d)

        return self._run(request, EvidenceSerializer, run)

    # -- ledger spreadsheet and dispatch ------------------------------------------------------
    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"campaign": {"type": "string"}, "file": {"type": "string", "format": "binary"}},
            }
        },
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, JSONParser])
    def import_(self, request: Request) -> Response:
        data: Any = request.data
        # Control characters (a NUL, which PostgreSQL refuses in a query) name no campaign: stripped, then 404.
        code = strip_controls(str(data.get("campaign") or "")) if hasattr(data, "get") else ""
        upload = request.FILES.get("file")
        if not code or upload is None:
            return Response({"detail": gettext("Send multipart form data with `campaign` and `file` (.xlsx).")}, status=400)
        campaign = get_object_or_404(_campaign(request, code))
        actions.import_allowed(request.user, campaign)
        if not upload.name.lower().endswith(".xlsx"):
            return Response(
                {"ok": False, "errors": [{"row": 0, "column": "", "message": gettext("Upload an .xlsx file.")}]}, status=400
            )
        try:
            report = ledger.import_ledger(upload.read(), campaign=campaign, actor=request.user, units=units_for(request.user))
        except TableError as exc:
            return Response(
                {"ok": False, "created": 0, "updated": 0, "errors": [{"row": 0, "column": "", "message": str(exc)}]}, 400
            )
        return Response(report.as_dict(), status=200 if report.ok else 400)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], url_path="dispatch")
    def dispatch_report(self, request: Request) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        data = reports.dispatch(list(qs))
        rows = [
            {
                "unit": str(r["unit"].pk),
                "unit_code": r["unit"].code,
                "unit_name": str(r["unit"]),
                **{k: r[k] for k in ("tasks", "done", "on_schedule", "behind", "overdue", "rate", "change")},
                "laggards": [t.number for t in r["laggards"]],
            }
            for r in data["rows"]
        ]
        return Response({"as_of": data["as_of"], "rows": rows, "total": data["total"]})


def _campaign(request: Request, code: str) -> Any:
    qs = campaigns_for(request.user)
    try:
        return qs.filter(pk=uuid.UUID(code))
    except ValueError:
        return qs.filter(code=code)


class XlsxRenderer(renderers.BaseRenderer):
    media_type = XLSX
    format = "xlsx"
    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else b""


class LedgerExportViewSet(viewsets.GenericViewSet):
    """GET /api/v1/tasks/export.xlsx?campaign=… — same filters as the task list, streamed from a spooled file."""

    renderer_classes = [XlsxRenderer, renderers.JSONRenderer]
    filterset_class = TaskFilter
    pagination_class = None
    serializer_class = TaskSerializer  # for the schema's filter parameters only

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.tasks_for(self.request.user)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        qs = self.filter_queryset(restrict_plain(request.user))
        spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (closed by FileResponse)
        ledger.write_ledger(qs, spool, user=request.user)
        spool.seek(0)
        name = f"ledger-{request.query_params.get('campaign', 'all')}-{dt.date.today():%Y%m%d}.xlsx"
        return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)


class LedgerTemplateViewSet(LedgerExportViewSet):
    """GET /api/v1/tasks/template.xlsx — the empty import template."""

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, filters=False)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
        ledger.write_template(spool)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename="ledger-template.xlsx", content_type=XLSX)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxRenderer(XlsxRenderer):
    media_type = DOCX
    format = "docx"


class _DocumentViewSet(viewsets.GenericViewSet):
    renderer_classes = [DocxRenderer, renderers.JSONRenderer]
    filterset_class = TaskFilter
    pagination_class = None
    serializer_class = TaskSerializer  # for the schema's filter parameters only
    filename = "document"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.tasks_for(self.request.user)

    def build(self, campaign: Any, tasks: list[Task]) -> bytes:
        raise NotImplementedError

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        code = str(request.query_params.get("campaign") or "")
        campaign = get_object_or_404(_campaign(request, code)) if code else None
        if campaign is None:
            return Response({"detail": gettext("Give ?campaign=<code or id>.")}, status=400, content_type="application/json")
        tasks = list(self.filter_queryset(self.get_queryset()).prefetch_related("evidence"))
        data = self.build(campaign, tasks)
        return FileResponse(
            io.BytesIO(data), as_attachment=True, filename=f"{self.filename}-{campaign.code}.docx", content_type=DOCX
        )


class ClosureNoticeViewSet(_DocumentViewSet):
    """GET /api/v1/tasks/closure-notice.docx?campaign=… — the tasks under public notice (report 7)."""

    filename = "closure-notice"

    def build(self, campaign: Any, tasks: list[Task]) -> bytes:
        from .documents import closure_notice
        from .models import SignOffStep

        hotline = getattr(getattr(campaign, "team", None), "hotline", "")
        return closure_notice(campaign, [t for t in tasks if t.signoff_step == SignOffStep.UNDER_NOTICE], hotline)


class CompletionReportViewSet(_DocumentViewSet):
    """GET /api/v1/tasks/completion-report.docx?campaign=… — completed / in progress per problem (report 8)."""

    filename = "completion-report"

    def build(self, campaign: Any, tasks: list[Task]) -> bytes:
        from .documents import completion_report

        return completion_report(campaign, tasks)


def restrict_plain(user: Any) -> Any:
    from inspectorate.accounts.scoping import restrict

    return restrict(Task.objects.all(), user, "view")


class FlagSerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number", read_only=True, default=None)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Flag
        fields = ["id", "task", "task_number", "campaign", "unit", "kind", "kind_label", "key", "explanation", "detail",
                  "status", "reviewed_by", "reviewed_at", "review_note", "first_seen"]  # fmt: skip
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirmed", "dismissed"])
    note = serializers.CharField()


class FlagViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FlagSerializer
    filterset_class = FlagFilter
    lookup_value_regex = UUID_RE
    action_roles = {"review": "flags.review"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.flags_for(self.request.user)

    @extend_schema(request=ReviewSerializer, responses=FlagSerializer)
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        flag = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flag = actions.review_flag(flag, actor=request.user, **body.validated_data)
        return Response(FlagSerializer(flag).data, status=status.HTTP_200_OK)


def register(router: BaseRouter) -> None:
    from .api_leaders import EvidenceViewSet, LeaderViewSet

    _register(router)
    router.register("leaders", LeaderViewSet, basename="leaders")
    router.register("evidence", EvidenceViewSet, basename="evidence")


def _register(router: BaseRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router (export/template before tasks: they share the prefix)."""
    router.register("tasks/export", LedgerExportViewSet, basename="tasks-export")
    router.register("tasks/template", LedgerTemplateViewSet, basename="tasks-template")
    router.register("tasks/closure-notice", ClosureNoticeViewSet, basename="tasks-closure-notice")
    router.register("tasks/completion-report", CompletionReportViewSet, basename="tasks-completion-report")
    router.register("feedback", FeedbackViewSet, basename="feedback")
    router.register("problems", ProblemViewSet, basename="problems")
    router.register("plans", PlanViewSet, basename="plans")
    router.register("tasks", TaskViewSet, basename="tasks")
    router.register("flags", FlagViewSet, basename="flags")
    router.register("ledger-settings", LedgerSettingsViewSet, basename="ledger-settings")
