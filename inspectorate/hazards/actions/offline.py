"""Offline sync of a filled checklist: the phone page keeps answers in the browser and sends them when the network
returns. The same Idempotency-Key store as `submit_checklist` (a retried sync answers the first run, nothing twice);
before anything is saved, conflicts with what the server learnt meanwhile are returned for the inspector to decide:

- "answered": an item of this unit was answered by another filled checklist after the page was opened (`base`);
  the inspector keeps their answer ("mine") or discards it ("discard", the server's answer stands);
- "closed": the self-inspection's end date has passed; nothing can be added, the inspector discards the answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import authorize

from .. import selectors
from ..models import Answer, ChecklistRun, SelfInspection
from .common import prior_result
from .selfcheck import Reply, run_body_hash, run_key_scope, submit_checklist

MINE = "mine"
DISCARD = "discard"


class SyncConflict(Exception):
    """The server changed since the page was opened; `conflicts` says how, item by item (nothing was saved)."""

    def __init__(self, conflicts: list[dict[str, Any]], closed: bool = False) -> None:
        super().__init__("sync conflict")
        self.conflicts = conflicts
        self.closed = closed


def is_closed(inspection: SelfInspection) -> bool:
    return inspection.end_date < timezone.localdate()


def answered_since(inspection: SelfInspection, *, actor: Any, unit: Any, since: dt.datetime, items: list[Any]) -> list[Answer]:
    """Answers by others to these items for this unit, in filled checklists submitted after `since` (in scope)."""
    runs = selectors.runs_for(actor).filter(inspection=inspection, unit=unit, submitted_at__gt=since)
    if getattr(actor, "pk", None):
        runs = runs.exclude(inspector=actor)
    return list(
        Answer.objects.filter(run__in=runs, item__in=items)
        .select_related("run__inspector", "item", "hidden_danger")
        .order_by("item__position", "-run__submitted_at")
    )


def _answer_view(a: Answer) -> dict[str, Any]:
    who = a.run.inspector
    return {
        "run": str(a.run_id),
        "result": a.result,
        "result_label": str(a.get_result_display()),
        "note": a.note,
        "by": (who.get_full_name() or who.get_username()) if who else "",
        "at": a.run.submitted_at.isoformat(),
        "hidden_danger": a.hidden_danger.number if a.hidden_danger_id and a.hidden_danger else "",
        "photo": bool(a.photo_sha256),
    }


def sync_checklist(
    inspection: SelfInspection,
    *,
    actor: Any,
    unit: Any,
    replies: list[Reply],
    base: dt.datetime,
    resolutions: dict[Any, str] | None = None,
    lat: Any = None,
    lon: Any = None,
    idempotency_key: str | None = None,
) -> tuple[ChecklistRun, bool]:
    """(run, created). A retry of a sync that went through answers the first run; conflicts raise `SyncConflict`."""
    authorize(actor, "view", inspection)
    authorize(actor, "selfcheck.fill", unit)
    resolutions = dict(resolutions or {})
    unknown = sorted({v for v in resolutions.values() if v not in (MINE, DISCARD)})
    if unknown:
        raise ValidationError({"resolutions": [_("A conflict is resolved with “mine” or “discard”.")]})
    discarded = {pk for pk, v in resolutions.items() if v == DISCARD}
    kept = [r for r in replies if r.item.pk not in discarded]
    # A retry of what already went through: the first run, before any conflict is looked for.
    if idempotency_key and kept:
        prior = prior_result(run_key_scope(actor), "checklist_run", idempotency_key, run_body_hash(inspection, unit, kept))
        if prior is not None:
            return ChecklistRun.objects.get(pk=prior), False
    if is_closed(inspection):
        raise SyncConflict(
            [
                {
                    "kind": "closed",
                    "end_date": inspection.end_date.isoformat(),
                    "detail": _("The self-inspection “%(title)s” closed on %(date)s: answers can no longer be added.")
                    % {"title": inspection.title, "date": inspection.end_date.isoformat()},
                }
            ],
            closed=True,
        )
    newer = answered_since(inspection, actor=actor, unit=unit, since=base, items=[r.item for r in replies])
    conflicted = {a.item_id for a in newer}
    open_conflicts = []
    for r in sorted(replies, key=lambda x: x.item.position):
        if r.item.pk not in conflicted or r.item.pk in resolutions:
            continue
        theirs = [a for a in newer if a.item_id == r.item.pk]
        open_conflicts.append(
            {
                "kind": "answered",
                "item": str(r.item.pk),
                "position": r.item.position,
                "requirement": r.item.requirement,
                "detail": _("Item %(n)s was answered by someone else after you opened the checklist.") % {"n": r.item.position},
                "server": [_answer_view(a) for a in theirs],
                "mine": {"result": r.result, "note": r.note, "major": r.major, "photo": r.photo is not None},
            }
        )
    if open_conflicts:
        raise SyncConflict(open_conflicts)
    stray = discarded - conflicted
    if stray:
        raise ValidationError(
            {"resolutions": [_("Only an answer in conflict can be discarded; send every other item.")]}  # nothing half-saved
        )
    if not kept:
        raise ValidationError({"answers": [_("Every answer was discarded: there is nothing to send.")]})
    run = submit_checklist(
        inspection,
        actor=actor,
        unit=unit,
        replies=kept,
        lat=lat,
        lon=lon,
        idempotency_key=idempotency_key,
        allow_missing=frozenset(discarded),
    )
    return run, True
