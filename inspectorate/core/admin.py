from django.contrib import admin

from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "label", "updated_at")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("label",)
