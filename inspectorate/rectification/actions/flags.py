"""Reviewing fake-rectification flags: a human decides, and the decision is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize

from ..models import Flag, FlagStatus


def review_flag(flag: Flag, *, actor: Any, decision: str, note: str) -> Flag:
    authorize(actor, "flags.review", flag)
    if decision not in (FlagStatus.CONFIRMED, FlagStatus.DISMISSED):
        raise ValidationError({"decision": _("Decide “confirmed” or “dismissed”.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Explain the decision.")})
    before = {"status": flag.status}
    with transaction.atomic():
        Flag.objects.filter(pk=flag.pk).update(status=decision, reviewed_by=actor, reviewed_at=timezone.now(), review_note=note)
        flag.refresh_from_db()
        audit.record(actor, "flag.review", flag, before=before, after={"status": decision, "kind": flag.kind}, reason=note)
    return flag
