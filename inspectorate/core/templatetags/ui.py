"""Widths as class names (`pct-0` … `pct-100`, `indent-0` … `indent-12` in app.css): the strict
Content-Security-Policy allows no `style=` attribute, so a progress bar's width is a class."""

from __future__ import annotations

from django import template

register = template.Library()


def _clamped(value: object, top: int) -> int:
    try:
        number = round(float(str(value)))
    except (TypeError, ValueError):
        return 0
    return max(0, min(top, number))


@register.filter
def pct_class(value: object) -> str:
    """`{{ 42.4|pct_class }}` → "pct-42": a bar filled to that percentage."""
    return f"pct-{_clamped(value, 100)}"


@register.filter
def indent_class(value: object) -> str:
    """`{{ depth|indent_class }}` → "indent-3": an indentation of that many em (at most 12)."""
    return f"indent-{_clamped(value, 12)}"
