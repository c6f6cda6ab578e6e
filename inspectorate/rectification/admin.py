from django.contrib import admin

from .models import Feedback, Flag, Leader, Plan, Problem, Task


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    search_fields = ("name",)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("campaign", "target", "date", "document_no")


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ("campaign", "number", "title", "source", "urgency", "nature")
    list_filter = ("source", "urgency", "nature")
    search_fields = ("title", "number")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("campaign", "target", "version", "status", "due")
    readonly_fields = ("status",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Read-only: tasks change through the actions (audited), not the admin."""

    list_display = ("campaign", "number", "status", "signoff_step", "deadline", "progress")
    list_filter = ("status",)
    search_fields = ("number", "goal")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("task", "kind", "status", "first_seen")
    list_filter = ("kind", "status")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
