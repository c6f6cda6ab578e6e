"""Which edits move which version stamp (`core.stamps`), so that every process drops its copy of the keyword
dictionary, the routing units or the enterprise names at once.

Connected once in `ComplaintsConfig.ready()`, in every process whichever module it imports, and kept to
cache invalidation: no domain logic runs here. Bulk writes send no signal; the code doing them bumps the
stamp itself (`keywords.seed`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import signals

from inspectorate.core import stamps


def _bump_for(name: str) -> Any:
    def handler(sender: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):  # loaddata: the stamp is bumped by whoever loads
            return
        stamps.bump(name)

    return handler


_keywords = _bump_for(stamps.KEYWORDS)
_units = _bump_for(stamps.ORG_UNITS)
_enterprises = _bump_for(stamps.ENTERPRISES)


def _targets_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        stamps.bump(stamps.ORG_UNITS)


def connect() -> None:
    from inspectorate.campaigns.models import Campaign
    from inspectorate.orgs.models import Enterprise, OrgUnit

    from .models import KeywordRule

    for model, handler in ((KeywordRule, _keywords), (OrgUnit, _units), (Enterprise, _enterprises)):
        uid = f"stamp-{model.__name__}"
        signals.post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        signals.post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    signals.m2m_changed.connect(_targets_changed, sender=Campaign.targets.through, dispatch_uid="stamp-campaign-targets")
