"""Template helpers: labels for stored codes and the deadline colour of a case."""

from __future__ import annotations

from typing import Any

from django import template

from inspectorate.orgs.models import Sector

from ..models import Channel, PollutionType, ResultStatus, Verdict

register = template.Library()


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
