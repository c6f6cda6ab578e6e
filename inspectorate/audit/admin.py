from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditAnchor, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that only reads: nothing is added, changed or deleted through it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The log is append-only: the admin only reads it."""

    list_display = ("seq", "at", "actor_label", "verb", "object_type", "object_repr")
    list_filter = ("verb", "object_type")
    search_fields = ("object_id", "object_repr", "actor_label")


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    """Anchors are made by `manage.py anchor_audit` only; the admin reads them."""

    list_display = ("date", "seq", "hash", "hmac")
