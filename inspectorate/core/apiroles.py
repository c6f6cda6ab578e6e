"""The role check of every API view, before the request body is read (a default DRF permission class).

A viewset names, per DRF action, the permission a caller must hold somewhere (one, or a tuple: any of them)::

    action_roles = {"create": "facilities.manage", "review": "facilities.review"}

A user without it gets 403 whatever the body holds, instead of a 400 for an invalid body. A list action (create,
an import) is checked before the handler runs; a detail action when the handler fetches its object (`get_object`,
so fetch it before validating the body), so that an object out of the caller's scope stays a 404. The action
itself still checks the object (`authorize`: the scope of the role, separated duties) as before: this only brings
the refusal forward. Actions not in the map, and reads (GET, HEAD, OPTIONS) of any action, pass.

Kept apart from `core.api`, which imports `rest_framework.views`: that module reads the default permission
classes when it loads, so this one must not import it.
"""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from inspectorate.accounts.scoping import has_role_anywhere


class HoldsRole(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        if getattr(view, "detail", False):
            return True
        return _holds(request, view)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return _holds(request, view)


def _holds(request: Any, view: Any) -> bool:
    needed = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
    if not needed or request.method in permissions.SAFE_METHODS:
        return True
    return any(has_role_anywhere(request.user, a) for a in ((needed,) if isinstance(needed, str) else needed))
