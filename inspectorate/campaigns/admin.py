from django.contrib import admin

from inspectorate.audit.admin_mixins import AuditedAdmin, AuditedStackedInline

from .models import Campaign, Team


class TeamInline(AuditedStackedInline):
    model = Team
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "level", "campaign_type", "stationing_start", "stationing_end")
    list_filter = ("level", "campaign_type")
    search_fields = ("code", "name_zh", "name_en")
    filter_horizontal = ("targets",)
    inlines = [TeamInline]
