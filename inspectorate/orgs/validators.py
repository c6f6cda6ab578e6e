"""Validators for org data: unified social credit codes and GeoJSON boundaries."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """GB 32100-2015: 18 characters from a 31-symbol set, the last one a checksum."""
    if len(value) != 18 or any(c not in CREDIT_CHARSET for c in value):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters except I, O, S, V, Z).")
        )
    if credit_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this unified social credit code is wrong."))


def validate_geojson_polygon(value: Any) -> None:
    """A boundary must be a valid GeoJSON Polygon or MultiPolygon (checked with shapely)."""
    if value in (None, ""):
        return
    from shapely.geometry import shape

    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    try:
        geom = shape(value)
    except Exception:
        raise ValidationError(_("The boundary is not readable GeoJSON.")) from None
    if geom.is_empty or not geom.is_valid:
        raise ValidationError(_("The boundary polygon is empty or self-intersecting."))
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ValidationError(_("The boundary has coordinates outside longitude/latitude range."))
