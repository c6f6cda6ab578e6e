"""Template helpers of the kpi pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key], or the key itself when it is missing."""
    return mapping.get(key, key)
