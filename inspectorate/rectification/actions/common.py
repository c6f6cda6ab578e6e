"""Helpers shared by the rectification actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from inspectorate.accounts.roles import PERMISSIONS
from inspectorate.accounts.scoping import active_memberships

from ..models import Task


def require_unit_role(user: Any, action: str, unit: Any) -> None:
    """The user must hold `action` through a membership on `unit` or one of its ancestors.

    Used where scope is not enough: only the task's acceptance unit verifies and signs.
    """
    if getattr(user, "is_superuser", False):
        return
    for m in active_memberships(user):
        if action in PERMISSIONS.get(m.role, frozenset()) and m.org_unit is not None and unit.path.startswith(m.org_unit.path):
            return
    raise PermissionDenied(_("Only the task's acceptance unit may do this."))


def claim(task: Task, *, steps: tuple[str, ...], statuses: tuple[str, ...] | None = None, **changes: Any) -> Task:
    """Move a task with a conditional UPDATE … WHERE signoff_step IN steps: exactly one concurrent caller wins."""
    qs = Task.objects.filter(pk=task.pk, signoff_step__in=steps)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    from django.utils import timezone

    if qs.update(**changes, updated_at=timezone.now()) != 1:
        raise ValidationError(
            _("The task is no longer at this step (someone else may have acted on it first). Reload and try again.")
        )
    for key, value in changes.items():
        setattr(task, key, value)
    return task
