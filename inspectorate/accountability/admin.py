"""Read-only admin views: interviews and accountability change only through their actions (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccountabilityIssue, AccountabilityRecord, Interview


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["title", "campaign", "interview_date", "report_due", "status", "published"]
    list_filter = ["status", "reason", "published"]


@admin.register(AccountabilityIssue)
class AccountabilityIssueAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "campaign", "status"]
    list_filter = ["status"]


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(ReadOnlyAdmin):
    list_display = ["person_name", "unit", "rank", "measure", "issue", "decided_on"]
    list_filter = ["rank", "measure"]
