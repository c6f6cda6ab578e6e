from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate import audit
from inspectorate.audit.admin_mixins import REASON, AuditedAdmin, AuditedInlineFormSet, AuditedTabularInline

from . import actions, otp
from .models import ApiToken, Membership, User

GRANT_FIELDS = ("org_unit", "campaign", "role", "title", "valid_from", "valid_until")


def _grant(m: Membership) -> dict[str, Any]:
    return {name: getattr(m, name) for name in GRANT_FIELDS}


class MembershipFormSet(AuditedInlineFormSet):
    """Role grants made on the user page go through the same actions as the API."""

    def create(self, form: Any) -> Any:
        m = actions.add_membership(actor=self.actor, reason=REASON, user=self.instance, **_grant(form.instance))
        form.instance = m
        return m

    def update(self, form: Any, obj: Any) -> Any:
        stored = Membership.objects.get(pk=obj.pk)
        changes = {name: getattr(obj, name) for name in GRANT_FIELDS if name in form.changed_data}
        return actions.update_membership(stored, actor=self.actor, reason=REASON, **changes)

    def delete(self, obj: Any) -> None:
        actions.remove_membership(obj, actor=self.actor, reason=REASON)


class MembershipInline(AuditedTabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ("org_unit",)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):  # type: ignore[misc]
    inlines = [MembershipInline]
    list_display = ("username", "display_name", "title", "is_active", "is_superuser")
    fieldsets = (*BaseUserAdmin.fieldsets, ("inspectorate", {"fields": ("display_name", "title")}))  # type: ignore[misc]

    actions = ["reset_two_factor"]

    @admin.action(description=gettext_lazy("Reset two-factor sign-in (the user sets it up again at the next login)"))
    def reset_two_factor(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            otp.reset_device(user, actor=request.user, reason=REASON)
        self.message_user(request, _("Two-factor sign-in reset for %(count)d user(s).") % {"count": queryset.count()})

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # The password form saves the user itself, past save_model: record the change here (never the hash).
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                audit.record(request.user, "user.password_change", user, reason=REASON)
        return response


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "role", "org_unit", "campaign", "valid_from", "valid_until")
    list_filter = ("role",)
    autocomplete_fields = ("user", "org_unit")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            saved = actions.add_membership(actor=request.user, reason=REASON, user=obj.user, **_grant(obj))
            obj.pk, obj._state.adding = saved.pk, False
            return
        stored = Membership.objects.get(pk=obj.pk)
        changes = {name: getattr(obj, name) for name in ("user", *GRANT_FIELDS) if name in form.changed_data}
        actions.update_membership(stored, actor=request.user, reason=REASON, **changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.remove_membership(obj, actor=request.user, reason=REASON)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for m in queryset:
                actions.remove_membership(m, actor=request.user, reason=REASON)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token is made by its owner (the key is shown once); the admin can rename or revoke it


# Django's permission groups can give staff users admin rights: edits to them are audited like everything else.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):  # type: ignore[misc]
    pass


# A user's TOTP devices are kept through the two-factor pages and reset through the user admin's action
# (audited), not edited as rows.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
