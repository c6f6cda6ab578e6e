"""Navigation per role for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .scoping import active_memberships, has_role_anywhere

# (url name, label, action the user needs somewhere); apps append their entries here.
_STAFF = "complaints.screen|campaigns.view_team|audit.view|campaigns.change"

# Menu groups: items of a group are folded under one heading (a <details> menu) when the user sees two or more.
GROUPS: dict[str, Any] = {
    "registers": _("Registers"),
    "team": _("Oversight"),
    "enterprise": _("Self-checks"),
}
NAV_GROUP: dict[str, str] = {
    "campaigns:list": "registers",
    "orgs:units": "registers",
    "orgs:enterprises": "registers",
    "fieldwork:requests": "team",
    "accountability:interviews": "team",
    "hazards:list": "enterprise",
    "facilities:list": "enterprise",
    "kpi:schemes": "enterprise",
}

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
    ("kpi:schemes", _("KPI assessment"), "kpi.manage|facilities.log"),
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
        active = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": label, "active": active, "group": NAV_GROUP.get(name)})
    return {"nav_items": items, "nav_entries": _grouped(items), "my_roles": _roles(user)}


def _grouped(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The menu as drawn: single links, and groups (at the place of their first item) holding two or more links."""
    counts: dict[str, int] = {}
    for item in items:
        if item["group"]:
            counts[item["group"]] = counts.get(item["group"], 0) + 1
    entries: list[dict[str, Any]] = []
    placed: dict[str, dict[str, Any]] = {}
    for item in items:
        key = item["group"]
        if not key or counts[key] < 2:
            entries.append(item)
            continue
        if key not in placed:
            placed[key] = {"label": GROUPS[key], "links": [], "active": False}
            entries.append(placed[key])
        placed[key]["links"].append(item)
        placed[key]["active"] = placed[key]["active"] or item["active"]
    return entries


def _roles(user: Any) -> list[str]:
    roles = sorted({m.get_role_display() for m in active_memberships(user)})
    if user.is_superuser:
        roles.insert(0, str(_("Superuser")))
    return roles
