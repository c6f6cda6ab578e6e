"""Individual talks (个别谈话): recorded by the team; the notes stay with the team and the discipline body."""

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

from ..models import Talk
from .common import actor_or_none, under_targets

EDITABLE = {"person_name", "post", "rank", "date", "topics", "notes", "unit"}


def _check_date(date: dt.date) -> None:
    if date > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"date": _("The talk date lies more than a year ahead.")})


def _redacted(talk: Talk) -> dict[str, Any]:
    """The audit snapshot without the notes' text (the chain is read more widely than the notes)."""
    data = snapshot(talk)
    data["notes"] = f"<{len(talk.notes)} characters>" if talk.notes else ""
    return data


def create_talk(
    *,
    actor: Any,
    campaign: Any,
    unit: Any,
    person_name: str,
    post: str,
    rank: str,
    date: dt.date,
    topics: str,
    notes: str = "",
) -> Talk:
    authorize(actor, "fieldwork.record", campaign)
    under_targets(campaign, unit, "unit")
    _check_date(date)
    talk = Talk(
        campaign=campaign,
        unit=unit,
        person_name=person_name.strip(),
        post=post.strip(),
        rank=rank,
        date=date,
        topics=topics.strip(),
        notes=notes.strip(),
        recorded_by=actor_or_none(actor),
    )
    with transaction.atomic():
        talk.full_clean()
        talk.save()
        audit.record(actor, "talk.create", talk, after=_redacted(talk))
    return talk


def update_talk(talk: Talk, *, actor: Any, **changes: Any) -> Talk:
    authorize(actor, "fieldwork.record", talk)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    before = _redacted(talk)
    for k, v in changes.items():
        setattr(talk, k, v.strip() if isinstance(v, str) else v)
    if "unit" in changes:
        under_targets(talk.campaign, talk.unit, "unit")
    if "date" in changes:
        _check_date(talk.date)
    with transaction.atomic():
        talk.full_clean()
        talk.save()
        audit.record(actor, "talk.update", talk, before=before, after=_redacted(talk))
    return talk
