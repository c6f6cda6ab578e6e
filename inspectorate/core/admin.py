from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from inspectorate.audit.admin_mixins import AuditedAdmin

from .models import CalendarOverride, SchedulerRun


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ("date", "is_workday", "label", "updated_at")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("label",)


@admin.register(SchedulerRun)
class SchedulerRunAdmin(AuditedAdmin):
    """The scheduler's record (read-only: runs are written by `manage.py run_scheduler` only)."""

    list_display = ("job", "target", "day", "status", "attempts", "started_at", "finished_at")
    list_filter = ("status", "job")
    date_hierarchy = "day"
    search_fields = ("job", "target")
    readonly_fields = ("job", "target", "day", "status", "attempts", "started_at", "finished_at", "summary", "error")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
