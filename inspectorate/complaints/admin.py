from django.contrib import admin

from inspectorate.audit.admin_mixins import AuditedAdmin

from .models import IntakeConfig, KeywordRule


@admin.register(KeywordRule)
class KeywordRuleAdmin(AuditedAdmin):
    list_display = ["term", "language", "pollution_type", "sector", "weight", "active"]
    list_filter = ["language", "pollution_type", "sector", "active"]
    search_fields = ["term"]
    list_editable = ["weight", "active"]


@admin.register(IntakeConfig)
class IntakeConfigAdmin(AuditedAdmin):
    list_display = ["campaign", "region_code", "team_code", "due_soon_days", "notice_days"]
