"""Admin: reference data (leaders, graded acceptance, ledger settings) is editable; ledger records are read-only
here because every change to them goes through an audited action."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import duty_conflict
from inspectorate.audit.admin_mixins import AuditedAdmin

from .models import SIGNOFF_FIELDS, AcceptanceRule, Feedback, Flag, Leader, LedgerSettings, Plan, Problem, Task


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Leader)
class LeaderAdmin(AuditedAdmin):
    list_display = ("name", "post", "rank", "unit", "valid_from", "valid_until", "user")
    list_filter = ("rank",)
    search_fields = ("name", "post")


@admin.register(AcceptanceRule)
class AcceptanceRuleAdmin(AuditedAdmin):
    list_display = ("campaign", "nature", "unit_type")
    list_filter = ("nature", "unit_type")


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(AuditedAdmin):
    """Audited; like the API, refused to anyone holding a post in the campaign's inspected party."""

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
        (_("Separated duties"), {"fields": ("verifier_may_sign", "verifier_may_sign_reason")}),
    )

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and duty_conflict(request.user, "ledger_settings.manage", obj.campaign) is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        conflict = duty_conflict(request.user, "ledger_settings.manage", obj.campaign)  # also for a new row
        if conflict is not None:
            raise conflict
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and duty_conflict(request.user, "ledger_settings.manage", obj.campaign) is not None:
            return False
        return super().has_delete_permission(request, obj)


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
    """Read-only like every ledger record; the sign-off fields stay read-only even if editing is ever opened here."""

    list_display = ("campaign", "number", "status", "signoff_step", "deadline", "progress")
    readonly_fields = tuple(sorted(SIGNOFF_FIELDS))
    list_filter = ("status",)
    search_fields = ("number", "goal")


@admin.register(Flag)
class FlagAdmin(ReadOnly):
    list_display = ("task", "kind", "status", "first_seen")
    list_filter = ("kind", "status")
