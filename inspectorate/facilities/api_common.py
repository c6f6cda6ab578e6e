"""Pieces shared by this app's API modules: object lookup in scope and the Idempotency-Key create."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.core.idempotency import IdempotencyConflict, create_once

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A retry with the same key and body returns the first result instead of creating again.",
)


def in_scope(qs: QuerySet, pk: Any) -> Any:
    """The object of a scoped queryset, or 404 (existence does not leak)."""
    return get_object_or_404(qs, pk=pk)


def idempotent_create(
    request: Request, *, model: type[Model], resource: str, body: Any, create: Callable[[], Any], represent: Callable[[Any], Any]
) -> Response:
    key = request.headers.get("Idempotency-Key") or None
    try:
        obj, created = create_once(model, key=key, scope=f"user:{request.user.pk}", resource=resource, body=body, create=create)
    except IdempotencyConflict as exc:
        return Response(
            {
                "detail": _("This Idempotency-Key was already used with a different request body. Use a new key."),
                "idempotency_key": exc.key,
                "original": str(exc.object_id),
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(represent(obj), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
