"""Editing a campaign's ledger settings: the inspecting side only (they hold the fake-rectification thresholds)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot

from ..models import LedgerSettings

# The fields a user may change (the campaign is the key).
EDITABLE = [f.name for f in LedgerSettings._meta.concrete_fields if f.name != "campaign"]


def update_ledger_settings(campaign: Any, *, actor: Any, **changes: Any) -> LedgerSettings:
    """Change (or first set) `campaign`'s ledger settings; refused to anyone on the inspected side."""
    authorize(actor, "ledger_settings.manage", campaign)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(_("Unknown settings: %(list)s.") % {"list": ", ".join(unknown)})
    with transaction.atomic():
        current = LedgerSettings.objects.select_for_update().filter(campaign=campaign).first()
        before = snapshot(current) if current is not None else None
        settings = current or LedgerSettings(campaign=campaign)
        for name, value in changes.items():
            setattr(settings, name, value)
        settings.full_clean()
        after = snapshot(settings)
        if before == after:
            return settings
        settings.save()
        verb = "ledger_settings.update" if current is not None else "ledger_settings.create"
        audit.record(actor, verb, settings, before=before, after=after)
    return settings
