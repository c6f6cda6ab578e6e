"""API: checklist templates (`/api/v1/checklists/`) and self-inspections (`/api/v1/self-inspections/`, with `submit`)."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.parsers import JSONParser
from inspectorate.orgs.models import OrgUnit
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .actions.selfcheck import Reply
from .models import Answer, ChecklistItem, ChecklistRun, ChecklistTemplate, DangerCategory, SelfInspection

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "category", "requirement", "legal_basis", "weight", "photo_required"]
        read_only_fields = ["id", "position"]


class ChecklistSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "owner_unit", "title", "description", "items", "created_at"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in ("GET", "HEAD"):
            self.fields["owner_unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]


class ChecklistEditItemSerializer(serializers.Serializer):
    id = serializers.UUIDField(
        required=False, allow_null=True, help_text="An existing item of this checklist; omit for a new one."
    )
    category = serializers.ChoiceField(choices=DangerCategory.choices)
    requirement = serializers.CharField(max_length=500)
    legal_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    weight = serializers.IntegerField(min_value=0, max_value=32767, default=1)
    photo_required = serializers.BooleanField(default=False)


class ChecklistEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    items = ChecklistEditItemSerializer(many=True, allow_empty=False)


class ChecklistViewSet(viewsets.ModelViewSet):
    """Checklist templates: items with category, requirement, legal basis and weight. Units below the owner read them too."""

    serializer_class = ChecklistSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = UUID_RE
    action_roles = {"create": "selfcheck.manage", "edit": "selfcheck.manage"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.checklists_for(self.request.user).prefetch_related("items")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        items = [dict(i) for i in data.pop("items", [])]
        serializer.instance = actions.create_checklist(actor=self.request.user, items=items, **data)

    @extend_schema(request=ChecklistEditSerializer, responses=ChecklistSerializer)
    @action(detail=True, methods=["post"], url_path="edit")
    def edit(self, request: Request, pk: str | None = None) -> Response:
        """Replace title, description and items in one step (items in order; `id` keeps an existing item)."""
        from .actions.checklists import update_checklist

        template = self.get_object()
        body = ChecklistEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        items = [{k: v for k, v in dict(i).items() if not (k == "id" and v is None)} for i in data["items"]]
        update_checklist(template, actor=request.user, title=data["title"], description=data["description"], items=items)
        template = selectors.checklists_for(request.user).prefetch_related("items").get(pk=template.pk)
        return Response(ChecklistSerializer(template, context={"request": request}).data)


class SelfInspectionSerializer(serializers.ModelSerializer):
    runs = serializers.SerializerMethodField()

    class Meta:
        model = SelfInspection
        fields = [
            "id",
            "organiser",
            "title",
            "checklist",
            "scope_units",
            "start_date",
            "end_date",
            "campaign",
            "runs",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in ("GET", "HEAD"):
            user = request.user
            self.fields["organiser"].queryset = units_for(user)  # type: ignore[attr-defined]
            self.fields["scope_units"].child_relation.queryset = units_for(user)  # type: ignore[attr-defined]
            self.fields["checklist"].queryset = selectors.checklists_for(user)  # type: ignore[attr-defined]
            self.fields["campaign"].queryset = campaigns_for(user)  # type: ignore[attr-defined]

    def get_runs(self, obj: SelfInspection) -> list[dict[str, Any]]:
        return [
            {
                "id": str(r.pk),
                "unit": str(r.unit_id),
                "submitted_at": r.submitted_at,
                "failed": sum(1 for a in r.answers.all() if a.result == Answer.Result.FAIL),
                "hidden_dangers": [str(a.hidden_danger_id) for a in r.answers.all() if a.hidden_danger_id],
            }
            for r in obj.runs.all()
        ]


class ReplySerializer(serializers.Serializer):
    item = serializers.UUIDField()
    result = serializers.ChoiceField(choices=Answer.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    major = serializers.BooleanField(required=False, default=False)
    photo_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    photo_base64 = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    """A filled checklist. In multipart, `answers` is a JSON string and each photo the file field `photo_<item id>`;
    in JSON, a photo travels in its answer as `photo_name` and `photo_base64`."""

    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    answers = serializers.JSONField()
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    lon = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = units_for(request.user)  # type: ignore[attr-defined]

    def validate_answers(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise serializers.ValidationError(_("A list of answers."))
        out = []
        for n, row in enumerate(value, start=1):
            ser = ReplySerializer(data=row)
            if not ser.is_valid():
                raise serializers.ValidationError({str(n): ser.errors})
            out.append(dict(ser.validated_data))
        return out


class SyncSerializer(SubmitSerializer):
    """An offline sync: the submit body, plus when the page was opened (`base`, for conflicts) and the inspector's
    choices for earlier conflicts (`resolutions`: item id → "mine" or "discard"; a JSON string in multipart)."""

    base = serializers.DateTimeField()
    resolutions = serializers.JSONField(required=False, default=dict)

    def validate_resolutions(self, value: Any) -> dict[Any, str]:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("An object of item id → “mine” or “discard”."))
        out: dict[Any, str] = {}
        for key, choice in value.items():
            try:
                out[uuid.UUID(str(key))] = str(choice)
            except ValueError:
                raise serializers.ValidationError(_("An object of item id → “mine” or “discard”.")) from None
        return out


def replies_from(inspection: SelfInspection, answers: list[dict[str, Any]], files: Any) -> list[Reply]:
    """Answers as the action takes them; photos from the multipart files or from base64 in the answer."""
    items = {i.pk: i for i in inspection.checklist.items.all()}
    replies = []
    for a in answers:
        item = items.get(a["item"])
        if item is None:
            raise ValidationError({"answers": [_("An answer names an item that is not on this checklist.")]})
        photo = None
        upload = files.get(f"photo_{a['item']}") if files is not None else None
        if upload is not None:
            photo = (upload.name, upload.read())
        elif a.get("photo_base64"):
            try:
                photo = (a.get("photo_name") or "photo.jpg", base64.b64decode(a["photo_base64"], validate=True))
            except (binascii.Error, ValueError):
                raise ValidationError(
                    {"answers": [_("Item %(n)s: the photo is not valid base64.") % {"n": item.position}]}
                ) from None
        replies.append(Reply(item=item, result=a["result"], note=a.get("note", ""), photo=photo, major=a.get("major", False)))
    return replies


class SelfInspectionViewSet(viewsets.ModelViewSet):
    """Self-inspections run by a group, subsidiary or plant over its units; `submit` saves one filled checklist."""

    serializer_class = SelfInspectionSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = UUID_RE
    action_roles = {"create": "selfcheck.manage", "submit": "selfcheck.fill", "sync": "selfcheck.fill"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            selectors.self_inspections_for(self.request.user)
            .prefetch_related("scope_units", "runs__answers")
            .order_by("-start_date", "title")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = actions.create_self_inspection(actor=self.request.user, **data)

    @extend_schema(request=SubmitSerializer, responses={201: SelfInspectionSerializer})
    @action(detail=True, methods=["post"], url_path="submit", parser_classes=[JSONParser, MultiPartParser, FormParser])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        inspection = self.get_object()
        body = SubmitSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        replies = replies_from(inspection, data["answers"], getattr(request, "FILES", None))
        from .api import _conflict

        try:
            run = actions.submit_checklist(
                inspection,
                actor=request.user,
                unit=data["unit"],
                replies=replies,
                lat=data["lat"],
                lon=data["lon"],
                idempotency_key=request.headers.get("Idempotency-Key") or None,
            )
        except actions.IdempotencyConflict as exc:
            return _conflict(exc)
        run = get_object_or_404(selectors.runs_for(request.user), pk=run.pk)
        return Response(run_payload(run), status=status.HTTP_201_CREATED)

    @extend_schema(request=SyncSerializer, responses={201: SelfInspectionSerializer, 200: SelfInspectionSerializer})
    @action(detail=True, methods=["post"], url_path="sync", parser_classes=[JSONParser, MultiPartParser, FormParser])
    def sync(self, request: Request, pk: str | None = None) -> Response:
        """A checklist filled offline: 201 with the new run, 200 with the same run for a retried Idempotency-Key,
        409 with the conflicts to resolve (answered meanwhile, or closed), 400 for invalid answers; nothing half-saved."""
        inspection = self.get_object()
        body = SyncSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        replies = replies_from(inspection, data["answers"], getattr(request, "FILES", None))
        from .api import _conflict

        try:
            run, created = actions.sync_checklist(
                inspection,
                actor=request.user,
                unit=data["unit"],
                replies=replies,
                base=data["base"],
                resolutions=data["resolutions"],
                lat=data["lat"],
                lon=data["lon"],
                idempotency_key=request.headers.get("Idempotency-Key") or None,
            )
        except actions.IdempotencyConflict as exc:
            return _conflict(exc)
        except actions.SyncConflict as exc:
            return Response(sync_conflict_payload(exc), status=status.HTTP_409_CONFLICT)
        run = get_object_or_404(selectors.runs_for(request.user), pk=run.pk)
        return Response(run_payload(run), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def sync_conflict_payload(exc: actions.SyncConflict) -> dict[str, Any]:
    return {
        "detail": _("The self-inspection is closed: these answers can no longer be sent.")
        if exc.closed
        else _("Some items were answered by someone else meanwhile: keep your answer or discard it."),
        "closed": exc.closed,
        "conflicts": exc.conflicts,
    }


def run_payload(run: ChecklistRun) -> dict[str, Any]:
    return {
        "id": str(run.pk),
        "inspection": str(run.inspection_id),
        "unit": str(run.unit_id),
        "submitted_at": run.submitted_at,
        "answers": [
            {
                "item": str(a.item_id),
                "result": a.result,
                "note": a.note,
                "photo_sha256": a.photo_sha256,
                "hidden_danger": str(a.hidden_danger_id or ""),
            }
            for a in run.answers.all()
        ],
        "hidden_dangers": [str(a.hidden_danger_id) for a in run.answers.all() if a.hidden_danger_id],
    }
