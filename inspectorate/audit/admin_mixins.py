"""Django admin edits are state changes too: this mixin writes an audit event for each."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from inspectorate import audit
from inspectorate.audit import snapshot


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old) if old is not None else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            verb = f"{obj._meta.model_name}.{'update' if change else 'create'}"
            audit.record(request.user, verb, obj, before=before, after=snapshot(obj), reason="admin")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        obj = form.instance
        before = snapshot(obj, [f.name for f in obj._meta.many_to_many]) if obj._meta.many_to_many else None
        super().save_related(request, form, formsets, change)
        if obj._meta.many_to_many:
            after = snapshot(obj, [f.name for f in obj._meta.many_to_many])
            if after != before:
                audit.record(request.user, f"{obj._meta.model_name}.relations", obj, before=before, after=after, reason="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(request.user, f"{obj._meta.model_name}.delete", obj, before=snapshot(obj), reason="admin")
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(request.user, f"{obj._meta.model_name}.delete", obj, before=snapshot(obj), reason="admin")
            super().delete_queryset(request, queryset)
