"""Admin: reference data (leaders, graded acceptance, ledger settings) is editable; ledger records are read-only
here because every change to them goes through an audited action."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inspectorate.audit.admin_mixins import AuditedAdmin

from .models import AcceptanceRule, Feedback, Flag, Leader, LedgerSettings, Plan, Problem, Task


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Leader)
class LeaderAdmin(AuditedAdmin):
    list_display = ("name", "unit", "user")
    search_fields = ("name",)


@admin.register(AcceptanceRule)
class AcceptanceRuleAdmin(AuditedAdmin):
    list_display = ("campaign", "nature", "unit_type")
    list_filter = ("nature", "unit_type")


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(AuditedAdmin):
    list_display = ("campaign", "report_frequency", "due_soon_days", "behind_margin", "relapse_days", "similar_text_percent")
    fieldsets = (
        (None, {"fields": ("campaign", "report_frequency", "due_soon_days", "behind_margin")}),
        (
            _("Fake-rectification signals"),
            {
                "fields": (
                    ("relapse_days", "relapse_radius_m"),
                    "similar_text_percent",
                    ("bunch_window_days", "bunch_min_tasks", "bunch_min_share_percent"),
                )
            },
        ),
    )


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly):
    list_display = ("campaign", "target", "date", "document_no")


@admin.register(Problem)
class ProblemAdmin(ReadOnly):
    list_display = ("campaign", "number", "title", "source", "urgency", "nature")
    list_filter = ("source", "urgency", "nature")
    search_fields = ("title", "number")


@admin.register(Plan)
class PlanAdmin(ReadOnly):
    list_display = ("campaign", "target", "version", "status", "due")


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("campaign", "number", "status", "signoff_step", "deadline", "progress")
    list_filter = ("status",)
    search_fields = ("number", "goal")


@admin.register(Flag)
class FlagAdmin(ReadOnly):
    list_display = ("task", "kind", "status", "first_seen")
    list_filter = ("kind", "status")
