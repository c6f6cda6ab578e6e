"""Reading the audit log: an object's timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditAnchor, AuditEvent


def timeline_for(obj: Any) -> QuerySet[AuditEvent]:
    """Events about one object, newest first. The caller has already resolved `obj` through scope."""
    meta = obj._meta
    return (
        AuditEvent.objects.filter(object_type=f"{meta.app_label}.{meta.model_name}", object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-seq")
    )


def published_anchors() -> QuerySet[AuditAnchor]:
    """Every daily anchor, newest first: public by design (hashes and HMACs reveal nothing about the events)."""
    return AuditAnchor.objects.order_by("-date")
