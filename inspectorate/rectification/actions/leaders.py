"""The target's own register of responsible leaders: create, update, end (kept by its liaison office).

A liaison office holding `tasks.manage` on unit U keeps the leaders of U's subtree. Ending a leader dates the end
of the post and keeps the row, so ledger tasks keep pointing at the leader they had.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from ..models import Leader

# A leader's login (`user`) is linked by an administrator, not by the liaison office.
LEADER_FIELDS = frozenset({"name", "post", "rank", "unit", "valid_from"})


def _check(leader: Leader) -> None:
    # Model validation (constraints included) gives the translated messages; nothing is saved before it passes.
    leader.full_clean()


def create_leader(*, actor: Any, **fields: Any) -> Leader:
    unknown = set(fields) - LEADER_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    leader = Leader(**fields)
    if leader.valid_from is None:
        leader.valid_from = timezone.localdate()
    authorize(actor, "tasks.manage", leader.unit)
    with transaction.atomic():
        _check(leader)
        leader.save()
        audit.record(actor, "leader.create", leader, after=snapshot(leader))
    return leader


def update_leader(leader: Leader, *, actor: Any, reason: str = "", **changes: Any) -> Leader:
    authorize(actor, "tasks.manage", leader)
    unknown = set(changes) - LEADER_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    if leader.valid_until is not None:
        raise ValidationError(_("This leader has left the post; the record is kept as it was."))
    if "unit" in changes and changes["unit"] != leader.unit:
        authorize(actor, "tasks.manage", changes["unit"])
    before = snapshot(leader)
    for key, value in changes.items():
        setattr(leader, key, value)
    with transaction.atomic():
        _check(leader)
        leader.save()
        audit.record(actor, "leader.update", leader, before=before, after=snapshot(leader), reason=reason)
    return leader


def end_leader(leader: Leader, *, actor: Any, on: dt.date | None = None, reason: str = "") -> Leader:
    """The leader leaves the post on `on` (default today, inclusive). The ledger keeps pointing at the leader."""
    authorize(actor, "tasks.manage", leader)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The end of a post cannot be in the future.")})
    if day < leader.valid_from:
        raise ValidationError({"on": _("A leader cannot leave the post before taking it.")})
    before = snapshot(leader)
    with transaction.atomic():
        # Conditional UPDATE: of two simultaneous callers exactly one ends the post.
        if Leader.objects.filter(pk=leader.pk, valid_until__isnull=True).update(valid_until=day) != 1:
            raise ValidationError(_("This leader has already left the post."))
        leader.valid_until = day
        audit.record(actor, "leader.end", leader, before=before, after=snapshot(leader), reason=reason)
    return leader
