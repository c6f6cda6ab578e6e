from django.contrib import admin

from inspectorate.audit.admin_mixins import AuditedAdmin

from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ("date", "is_workday", "label", "updated_at")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("label",)
