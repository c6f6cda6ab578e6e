"""Navigation per role for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .scoping import active_memberships, has_role_anywhere

# (url name, label, action the user needs somewhere); apps append their entries here.
_STAFF = "complaints.screen|campaigns.view_team|audit.view|campaigns.change"

NAV_ITEMS: list[tuple[str, Any, str]] = [
    ("home", _("Dashboard"), "view"),
    # "a|b": shown to whoever may do any of them. A handling unit (cases.reply, tasks.progress) works from its
    # to-do, cases and ledger: campaigns, the org tree and the enterprise register are not its menus.
    ("campaigns:list", _("Campaigns"), f"{_STAFF}|campaigns.create"),
    ("orgs:units", _("Org units"), f"{_STAFF}|orgs.manage|departments.manage"),
    ("orgs:enterprises", _("Enterprises"), f"{_STAFF}|enterprise.manage"),
    ("complaints:list", _("Complaints"), "complaints.screen"),
    ("complaints:cases", _("Cases"), "view"),
    ("complaints:batches", _("Batches"), "view"),
    ("rectification:ledger", _("Rectification"), "view"),
    ("accountability:interviews", _("Accountability"), "view"),
    ("facilities:list", _("Facilities"), "view"),
    ("hazards:list", _("Hidden dangers"), "hazards.report"),
    ("fieldwork:requests", _("Fieldwork"), "view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, action in NAV_ITEMS:
        if not any(has_role_anywhere(user, a) for a in action.split("|")):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path == url or (url != "/" and request.path.startswith(url))})
    roles = sorted({m.get_role_display() for m in active_memberships(user)})
    if user.is_superuser:
        roles.insert(0, str(_("Superuser")))
    return {"nav_items": items, "my_roles": roles}
