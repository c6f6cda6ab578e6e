from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditAnchor, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("seq", "at", "actor_label", "verb", "object_type", "object_repr")
    list_filter = ("verb", "object_type")
    search_fields = ("object_id", "object_repr", "actor_label")

    # The log is append-only: the admin only reads it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditAnchor)
class AuditAnchorAdmin(admin.ModelAdmin):
    """Anchors are made by `manage.py anchor_audit` only; the admin reads them."""

    list_display = ("date", "seq", "hash", "hmac")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
