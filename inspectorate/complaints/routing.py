"""Routing a complaint to the responsible unit (DOMAIN.md §4.2, issue 4 point 4).

1. map location → the deepest unit under the campaign's targets whose boundary polygon contains it;
2. else the address text → the deepest unit whose name appears in it;
3. else the polluter's name → the enterprise registry → the enterprise's org unit.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Q

from inspectorate.orgs.models import Enterprise, OrgUnit

from .models import RouteMethod

_SUFFIX = re.compile(r"(省|市|自治州|地区|盟|区|县|自治县|旗|镇|乡|街道)$")


@dataclass
class Route:
    unit: OrgUnit | None
    method: str
    enterprise: Enterprise | None = None


UNIT_CACHE_SECONDS = 60.0
_unit_cache: dict[str, tuple[float, list[OrgUnit]]] = {}


def _units_under(campaign: Any) -> list[OrgUnit]:
    """The units under the campaign's targets (cached briefly per process: the tree rarely changes)."""
    key = str(campaign.pk)
    hit = _unit_cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < UNIT_CACHE_SECONDS:
        return hit[1]
    paths = list(campaign.targets.values_list("path", flat=True))
    units: list[OrgUnit] = []
    if paths:
        q = Q()
        for p in paths:
            q |= Q(path__startswith=p)
        fields = ("id", "path", "depth", "name_zh", "name_en", "boundary", "code")
        units = list(OrgUnit.objects.filter(q, active=True).only(*fields))
    _unit_cache[key] = (now, units)
    return units


def forget_units() -> None:
    _unit_cache.clear()


@lru_cache(maxsize=512)
def _prepared(boundary_json: str) -> Any:
    from shapely.geometry import shape
    from shapely.prepared import prep

    boundary = json.loads(boundary_json)
    geom = boundary.get("geometry", boundary) if boundary.get("type") == "Feature" else boundary
    try:
        return prep(shape(geom))
    except Exception:  # a malformed polygon never blocks intake
        return None


def _contains(boundary: dict[str, Any], lat: float, lon: float) -> bool:
    from shapely.geometry import Point

    geom = _prepared(json.dumps(boundary, sort_keys=True))
    return bool(geom is not None and geom.covers(Point(lon, lat)))


def by_location(units: list[OrgUnit], lat: float, lon: float) -> OrgUnit | None:
    hits = [u for u in units if u.boundary and _contains(u.boundary, lat, lon)]
    return max(hits, key=lambda u: u.depth) if hits else None


def short_name(name: str) -> str:
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


def by_address(units: list[OrgUnit], address: str) -> OrgUnit | None:
    if not address:
        return None
    best: OrgUnit | None = None
    for u in units:
        names = {u.name_zh, short_name(u.name_zh)}
        if u.name_en:
            names.add(u.name_en)
        if any(n and n in address for n in names) and (best is None or u.depth > best.depth):
            best = u
    return best


def by_enterprise(campaign: Any, polluter_name: str) -> Enterprise | None:
    name = (polluter_name or "").strip()
    if len(name) < 2:
        return None
    qs = Enterprise.objects.select_related("org_unit", "enterprise_unit")
    ent = qs.filter(name=name).first() or qs.filter(name__icontains=name).first()
    if ent is None and len(name) >= 4:
        ent = qs.filter(Q(name__icontains=name[:6])).first()
    return ent


def route(campaign: Any, *, lat: float | None, lon: float | None, address: str, polluter_name: str) -> Route:
    units = _units_under(campaign)
    enterprise = by_enterprise(campaign, polluter_name)
    if lat is not None and lon is not None:
        unit = by_location(units, lat, lon)
        if unit is not None:
            return Route(unit, RouteMethod.POLYGON, enterprise)
    unit = by_address(units, address)
    if unit is not None:
        return Route(unit, RouteMethod.ADDRESS, enterprise)
    if enterprise is not None:
        owner = enterprise.enterprise_unit or enterprise.org_unit
        return Route(owner, RouteMethod.ENTERPRISE, enterprise)
    return Route(None, RouteMethod.NONE, None)
