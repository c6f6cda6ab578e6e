from django.contrib import admin

from inspectorate.audit.admin_mixins import AuditedAdmin

from .models import Enterprise, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("name_zh", "name_en", "code", "kind", "unit_type", "parent", "active")
    list_filter = ("kind", "unit_type", "active")
    search_fields = ("name_zh", "name_en", "code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ("name", "credit_code", "sector", "org_unit")
    list_filter = ("sector",)
    search_fields = ("name", "name_en", "credit_code")
    autocomplete_fields = ("org_unit", "enterprise_unit")
