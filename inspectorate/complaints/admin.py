from django.contrib import admin

from .models import IntakeConfig, KeywordRule


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    list_display = ["term", "language", "pollution_type", "sector", "weight", "active"]
    list_filter = ["language", "pollution_type", "sector", "active"]
    search_fields = ["term"]
    list_editable = ["weight", "active"]


@admin.register(IntakeConfig)
class IntakeConfigAdmin(admin.ModelAdmin):
    list_display = ["campaign", "region_code", "team_code", "due_soon_days", "notice_days"]
