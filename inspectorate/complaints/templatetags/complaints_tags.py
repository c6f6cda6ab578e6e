"""Template helpers: labels for stored codes and the deadline colour of a case."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext as _

from inspectorate.orgs.models import Sector

from ..models import Channel, PollutionType, ResultStatus, Verdict
from ..redact import redact

register = template.Library()


@register.filter
def redact_text(text: Any) -> str:
    """Free text as it may be shown outside the team: phones, ids, names, house numbers masked (see redact.py)."""
    return redact(str(text or ""))


@register.filter
def ptypes(codes: Any) -> str:
    labels = dict(PollutionType.choices)
    return "、".join(str(labels.get(c, c)) for c in (codes or []))


@register.filter
def verdict_label(code: str) -> str:
    return str(dict(Verdict.choices).get(code, code or "—"))


@register.filter
def result_label(code: str) -> str:
    return str(dict(ResultStatus.choices).get(code, code or "—"))


@register.filter
def channel_label(code: str) -> str:
    return str(dict(Channel.choices).get(code, code))


@register.filter
def sector_label(code: str) -> str:
    return str(dict(Sector.choices).get(code, code or "—"))


@register.filter
def urgency(case: Any) -> str:
    return str(case.urgency()) if hasattr(case, "urgency") else ""


@register.filter
def score_pct(score: Any) -> str:
    try:
        return f"{float(score) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def wan(yuan: Any) -> str:
    from decimal import Decimal

    try:
        return f"{Decimal(str(yuan)) / Decimal(10000):,.2f}"
    except Exception:
        return ""


_RULE = re.compile(r"^(reopened: )?transfer \+ (\d+) (calendar|working) days$")


@register.filter
def rule_label(rule: str) -> str:
    """The stored due-date rule ("transfer + 7 calendar days") in the reader's language."""
    m = _RULE.match(rule or "")
    if not m:
        return rule or ""
    n = int(m.group(2))
    if m.group(3) == "working":
        text = _("%(n)d working days after transfer") % {"n": n}
    else:
        text = _("%(n)d calendar days after transfer") % {"n": n}
    return str(_("reopened: %(rule)s") % {"rule": text}) if m.group(1) else str(text)


@register.filter
def can_do(user: Any, action: str) -> bool:
    """Whether the user holds `action` through any membership (for showing links, not for access)."""
    from inspectorate.accounts.scoping import has_role_anywhere

    return bool(getattr(user, "is_authenticated", False) and has_role_anywhere(user, action))
