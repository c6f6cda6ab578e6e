"""Open311 keys in the Django admin: issuing shows the key once; keys are revoked, never deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.audit.admin_mixins import AuditedAdmin

from . import actions
from .models import Open311Key, hash_key, new_key


@admin.register(Open311Key)
class Open311KeyAdmin(AuditedAdmin):
    list_display = ("name", "prefix", "contact", "rate_limit", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at", "campaigns")
    search_fields = ("name", "prefix", "contact")
    fields = ("name", "contact", "campaigns", "rate_limit", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    filter_horizontal = ("campaigns",)
    actions = ["revoke"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a key's history stays: revoke it instead

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            key = new_key()
            obj.prefix, obj.key_hash, obj.created_by = key[:12], hash_key(key), request.user
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                _("The key for %(name)s is %(key)s. Copy it now: it is not stored and will not be shown again.")
                % {"name": obj.name, "key": key},
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Open311Key]) -> None:
        done = 0
        for key in queryset.filter(revoked_at__isnull=True):
            try:
                actions.revoke_key(key, actor=request.user, reason="admin")
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{key}: {exc}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(n)d key(s) revoked.") % {"n": done}, messages.SUCCESS)
