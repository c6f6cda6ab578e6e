"""API: background export jobs (request, poll progress, download) — each user sees only their own."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from inspectorate import audit
from inspectorate.core.storage import serve_file

from .exports import EXPORTERS
from .models import ExportJob, ExportStatus


class ExportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "query",
            "status",
            "progress",
            "total",
            "percent",
            "error",
            "created_at",
            "finished_at",
            "download",
        ]
        read_only_fields = ["id", "status", "progress", "total", "percent", "error", "created_at", "finished_at", "download"]

    def validate_kind(self, value: str) -> str:
        if value not in EXPORTERS:
            raise serializers.ValidationError(
                _("Unknown export kind; choose one of: %(k)s.") % {"k": ", ".join(sorted(EXPORTERS))}
            )
        return value

    def get_download(self, obj: ExportJob) -> str | None:
        if obj.status != ExportStatus.DONE:
            return None
        return f"/api/v1/exports/{obj.pk}/download/"


class ExportJobViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """POST starts an export in the background (202); GET polls its progress; `download` fetches the file."""

    serializer_class = ExportJobSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return ExportJob.objects.filter(user_id=self.request.user.pk)  # a user's own jobs are their scope

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from .tasks import run_export

        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with transaction.atomic():
            user: Any = request.user
            job = ExportJob.objects.create(
                user=user,
                language=translation.get_language() or "",
                kind=ser.validated_data["kind"],
                query=ser.validated_data.get("query", ""),
            )
            audit.record(request.user, "export.request", job, after={"kind": job.kind, "query": job.query})
            transaction.on_commit(lambda: run_export.enqueue(str(job.pk)))
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="the exported file")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        job = self.get_object()
        if job.status != ExportStatus.DONE or not job.file:
            raise Http404
        name = job.file.name.rsplit("/", 1)[-1]
        return serve_file(job.file, filename=name)  # streamed through the app, never a public URL


def register(router: BaseRouter) -> None:
    router.register("exports", ExportJobViewSet, basename="exports")
