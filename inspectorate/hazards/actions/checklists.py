"""Editing a checklist template: its title, description and items (added, changed, reordered, removed) in one
step, checked as a whole (nothing half-saved) and audited with the items before and after. An item already
answered in a filled checklist can be reworded but not removed (the filled checklists keep pointing at it)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize

from ..models import Answer, ChecklistItem, ChecklistTemplate

ITEM_FIELDS = ("category", "requirement", "legal_basis", "weight", "photo_required")


def items_snapshot(template: ChecklistTemplate) -> list[list[Any]]:
    rows = ChecklistItem.objects.filter(template=template).order_by("position")  # never a stale prefetch
    return [[i.position, i.category, i.requirement, i.legal_basis, i.weight, i.photo_required] for i in rows]


def update_checklist(
    template: ChecklistTemplate, *, actor: Any, title: str, items: list[dict[str, Any]], description: str = ""
) -> ChecklistTemplate:
    """Replace the template's items by `items` (each a dict of ITEM_FIELDS, with "id" for an existing item), in order."""
    # Managed by the owner unit's people (and the levels above), never by the units below that only read it.
    authorize(actor, "selfcheck.manage", template.owner_unit)
    errors: dict[str, list[str]] = {}
    if not items:
        errors["items"] = [_("A checklist needs at least one item.")]
    existing = {str(i.pk): i for i in ChecklistItem.objects.filter(template=template)}
    rows: list[ChecklistItem] = []
    for n, data in enumerate(items, start=1):
        pk = str(data.get("id") or "")
        if pk and pk not in existing:
            errors[f"items[{n}]"] = [_("This item belongs to another checklist.")]
            continue
        item = existing.get(pk) or ChecklistItem(template=template)
        for key in ITEM_FIELDS:
            if key in data:
                setattr(item, key, data[key])
        item.position = n
        try:
            item.full_clean(exclude=["template", "position"])
        except ValidationError as exc:
            errors[f"items[{n}]"] = [str(m) for m in exc.messages]
        rows.append(item)
    kept = {str(i.pk) for i in rows if not i._state.adding}
    removed = [i for pk, i in existing.items() if pk not in kept]
    answered = [i for i in removed if Answer.objects.filter(item=i).exists()]
    if answered:
        errors.setdefault("items", []).append(
            _("Items already answered in a filled checklist cannot be removed: %(items)s.")
            % {"items": "；".join(i.requirement for i in answered)}
        )
    before = {"title": template.title, "description": template.description, "items": items_snapshot(template)}
    template.title, template.description = title, description
    try:
        template.full_clean()
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            errors.setdefault(key, []).extend(msgs)
    if errors:
        template.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        template.save()
        ChecklistItem.objects.filter(pk__in=[i.pk for i in removed]).delete()
        # Move the kept items out of the way first: positions are unique per checklist.
        for n, item in enumerate(rows, start=1):
            if not item._state.adding:
                ChecklistItem.objects.filter(pk=item.pk).update(position=10000 + n)
        for item in rows:
            item.save()
        audit.record(
            actor,
            "checklist.update",
            template,
            before=before,
            after={"title": template.title, "description": template.description, "items": items_snapshot(template)},
        )
    return template
