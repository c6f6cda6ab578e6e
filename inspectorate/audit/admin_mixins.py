"""Django admin edits are state changes too: every add, change and delete writes its own audit event.

- `AuditedAdmin` audits the main object (create/update/delete, and its many-to-many relations).
- Inlines must use `AuditedTabularInline` / `AuditedStackedInline` (or a formset derived from
  `AuditedInlineFormSet`): each inline row added, changed or deleted writes its own event with before/after.
  An `AuditedAdmin` with an inline that is not audited refuses to save (and `manage.py check` names it).
- A model whose changes belong to a domain action (a role grant is `accounts.actions.add_membership`) overrides
  the formset's `create` / `update` / `delete` hooks to call that action instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from inspectorate import audit
from inspectorate.audit import snapshot

REASON = "admin"


def _stored(obj: Any) -> Any:
    """The row as the database has it now (a bound form has already written the new values onto `obj`)."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def _verb(obj: Any, what: str) -> str:
    return f"{obj._meta.model_name}.{what}"


class AuditedInlineFormSet(BaseInlineFormSet):
    """An inline formset whose every saved, changed or deleted row writes an audit event by `actor`."""

    actor: Any = None  # set by AuditedAdmin.save_formset before saving

    # Hooks: the default saves the row and records the event; override to go through a domain action instead.
    def create(self, form: Any) -> Any:
        obj = form.save(commit=True)
        audit.record(self.actor, _verb(obj, "create"), obj, after=snapshot(obj), reason=REASON)
        return obj

    def update(self, form: Any, obj: Any) -> Any:
        old = _stored(obj)
        before = snapshot(old) if old is not None else None
        saved = form.save(commit=True)
        after = snapshot(saved)
        if after != before:
            audit.record(self.actor, _verb(saved, "update"), saved, before=before, after=after, reason=REASON)
        return saved

    def delete(self, obj: Any) -> None:
        audit.record(self.actor, _verb(obj, "delete"), obj, before=snapshot(obj), reason=REASON)
        obj.delete()

    # Django's formset entry points, routed to the hooks.
    def save_new(self, form: Any, commit: bool = True) -> Any:
        setattr(form.instance, self.fk.name, self.instance)
        if not commit:
            return super().save_new(form, commit=False)
        return self.create(form)

    def save_existing(self, form: Any, obj: Any, commit: bool = True) -> Any:
        if not commit:
            return super().save_existing(form, obj, commit=False)
        return self.update(form, obj)

    def delete_existing(self, obj: Any, commit: bool = True) -> None:
        if commit:
            self.delete(obj)

    def save(self, commit: bool = True) -> Any:
        if commit and self.actor is None:
            raise ImproperlyConfigured(f"{type(self).__name__}.save() needs `actor` for the audit events")
        with transaction.atomic():
            return super().save(commit)


class AuditedTabularInline(admin.TabularInline):
    formset = AuditedInlineFormSet


class AuditedStackedInline(admin.StackedInline):
    formset = AuditedInlineFormSet


class AuditedAdmin(admin.ModelAdmin):
    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = list(super().check(**kwargs))
        for inline in self.inlines:
            if not issubclass(inline.formset, AuditedInlineFormSet):
                errors.append(
                    checks.Error(
                        f"{inline.__name__} is not audited",
                        hint="Use AuditedTabularInline / AuditedStackedInline (inspectorate.audit.admin_mixins).",
                        obj=type(self),
                        id="inspectorate.E001",
                    )
                )
        return errors

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change:
            old = _stored(obj)
            before = snapshot(old) if old is not None else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = snapshot(obj)
            if after != before:  # saving a page where only an inline row changed is not a change of this row
                verb = _verb(obj, "update" if change else "create")
                audit.record(request.user, verb, obj, before=before, after=after, reason=REASON)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if not isinstance(formset, AuditedInlineFormSet):
            raise ImproperlyConfigured(f"{type(self).__name__}: the inline for {formset.model.__name__} is not audited")
        formset.actor = request.user
        formset.save()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        obj = form.instance
        before = snapshot(obj, [f.name for f in obj._meta.many_to_many]) if obj._meta.many_to_many else None
        super().save_related(request, form, formsets, change)
        if obj._meta.many_to_many:
            after = snapshot(obj, [f.name for f in obj._meta.many_to_many])
            if after != before:
                audit.record(request.user, _verb(obj, "relations"), obj, before=before, after=after, reason=REASON)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(request.user, _verb(obj, "delete"), obj, before=snapshot(obj), reason=REASON)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(request.user, _verb(obj, "delete"), obj, before=snapshot(obj), reason=REASON)
            super().delete_queryset(request, queryset)
