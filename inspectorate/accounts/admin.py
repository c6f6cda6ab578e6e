from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from inspectorate.audit.admin_mixins import AuditedAdmin

from .models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("org_unit",)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):  # type: ignore[misc]
    inlines = [MembershipInline]
    list_display = ("username", "display_name", "title", "is_active", "is_superuser")
    fieldsets = (*BaseUserAdmin.fieldsets, ("inspectorate", {"fields": ("display_name", "title")}))  # type: ignore[misc]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "role", "org_unit", "campaign", "valid_from", "valid_until")
    list_filter = ("role",)
    autocomplete_fields = ("user", "org_unit")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
