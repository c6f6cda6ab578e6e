"""Pieces shared by the fieldwork API modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.core.idempotency import IdempotencyConflict, create_once

UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def idempotent_create(
    request: Request, model: type[models.Model], create: Callable[[], Any], represent: Callable[[Any], Any]
) -> Response:
    """Create once per Idempotency-Key and body: a retry answers 200 with the first object; another body 422."""
    key = request.headers.get("Idempotency-Key") or None
    body = request.data.dict() if hasattr(request.data, "dict") else request.data
    try:
        obj, created = create_once(model, key=key, scope=f"user:{request.user.pk}", body=body, create=create)
    except IdempotencyConflict as exc:
        return Response(
            {
                "detail": _(
                    "This Idempotency-Key was already used with a different request body. "
                    "Use a new key for a new record, or resend the original body."
                ),
                "idempotency_key": exc.key,
                "original": exc.object_id,
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(represent(obj), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
