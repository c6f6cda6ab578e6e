"""Routing a complaint to the responsible unit (DOMAIN.md §4.2, issue 4 point 4).

1. map location → the deepest unit under the campaign's targets whose boundary polygon contains it;
2. else the address text → the deepest unit whose name appears in it;
3. else the polluter's name → the enterprise registry → the enterprise's org unit.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from inspectorate.core import stamps
from inspectorate.orgs.models import Enterprise, OrgUnit

from .models import RouteMethod

_SUFFIX = re.compile(r"(省|市|自治州|地区|盟|区|县|自治县|旗|镇|乡|街道)$")


@dataclass
class Route:
    unit: OrgUnit | None
    method: str
    enterprise: Enterprise | None = None


@dataclass
class _Units:
    """The units under a campaign's targets, with their boundaries as prepared geometries in an STRtree."""

    stamp: str
    units: list[OrgUnit]
    tree: Any = None  # shapely STRtree over `geoms`, None when no unit has a usable boundary
    geoms: list[Any] = field(default_factory=list)  # prepared polygons
    owners: list[int] = field(default_factory=list)  # geoms[k] is the boundary of units[owners[k]]


_unit_cache: dict[str, _Units] = {}
_lock = threading.Lock()


def _load_units(campaign: Any) -> _Units:
    """Units, polygons and tree for a campaign, kept per process until the org units' version stamp moves
    (any unit saved or deleted, any campaign's targets changed, in whichever process: `core.stamps`)."""
    key = str(campaign.pk)
    hit = _unit_cache.get(key)
    (stamp,) = stamps.current(stamps.ORG_UNITS)
    if hit is not None and hit.stamp == stamp:
        return hit
    paths = list(campaign.targets.values_list("path", flat=True))
    units: list[OrgUnit] = []
    if paths:
        q = Q()
        for p in paths:
            q |= Q(path__startswith=p)
        fields = ("id", "path", "depth", "name_zh", "name_en", "boundary", "code")
        units = list(OrgUnit.objects.filter(q, active=True).only(*fields))
    entry = _Units(stamp, units)
    for pos, u in enumerate(units):
        geom = _geometry(u.boundary) if u.boundary else None
        if geom is not None:
            entry.geoms.append(geom)
            entry.owners.append(pos)
    if entry.geoms:
        from shapely import STRtree

        entry.tree = STRtree(entry.geoms)
    _unit_cache[key] = entry
    return entry


def _units_under(campaign: Any) -> list[OrgUnit]:
    """The units under the campaign's targets (kept per process while the stamp holds)."""
    return _load_units(campaign).units


def forget_units() -> None:
    """Drop every routing cache of this process (units, polygons, enterprise names)."""
    _unit_cache.clear()
    _enterprises.clear()


def _geometry(boundary: dict[str, Any]) -> Any:
    """A boundary (GeoJSON geometry or Feature) as a prepared shapely geometry; None when malformed."""
    import shapely
    from shapely.geometry import shape

    try:
        geom = boundary.get("geometry", boundary) if boundary.get("type") == "Feature" else boundary
        out = shape(geom)
        shapely.prepare(out)
    except Exception:  # a malformed polygon never blocks intake
        return None
    return out


def _contains(boundary: dict[str, Any], lat: float, lon: float) -> bool:
    from shapely.geometry import Point

    geom = _geometry(boundary)
    return bool(geom is not None and geom.covers(Point(lon, lat)))


def _by_location(entry: _Units, lat: float, lon: float) -> OrgUnit | None:
    if entry.tree is None:
        return None
    from shapely.geometry import Point

    point = Point(lon, lat)
    # The tree gives the polygons whose bounding box holds the point; the prepared polygon decides.
    best: OrgUnit | None = None
    for k in sorted(int(i) for i in entry.tree.query(point)):
        if entry.geoms[k].covers(point):
            u = entry.units[entry.owners[k]]
            if best is None or u.depth > best.depth:
                best = u
    return best


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


@dataclass
class _EnterpriseNames:
    """The registry's names in the registry's order (by name), for matching without a query per intake."""

    stamp: str
    exact: dict[str, Any]  # name → id of the first enterprise of that name
    ids: list[Any]
    folded: str  # every name upper-cased, joined by NUL: one substring search finds the first match
    starts: list[int]  # offset of each name in `folded`


_enterprises: dict[str, _EnterpriseNames] = {}


def _enterprise_names() -> _EnterpriseNames:
    """Kept per process; rebuilt when the enterprises' version stamp has moved (an enterprise saved or deleted
    in any process, or an import that bumps it: `core.stamps`)."""
    (stamp,) = stamps.current(stamps.ENTERPRISES)
    hit = _enterprises.get("e")
    if hit is not None and hit.stamp == stamp:
        return hit
    with _lock:
        rows = list(Enterprise.objects.order_by("name", "pk").values_list("pk", "name"))
        exact: dict[str, Any] = {}
        starts: list[int] = []
        folded: list[str] = []
        pos = 0
        for pk, name in rows:
            exact.setdefault(name, pk)
            up = name.upper()
            folded.append(up)
            starts.append(pos)
            pos += len(up) + 1
        entry = _EnterpriseNames(stamp, exact, [pk for pk, _n in rows], "\0".join(folded), starts)
        _enterprises["e"] = entry
    return entry


def _first_containing(names: _EnterpriseNames, needle: str) -> Any:
    """Id of the first enterprise (by name) whose name contains `needle`, case-insensitively (like icontains)."""
    folded = needle.upper()
    if not folded or "\0" in folded:
        return None
    at = names.folded.find(folded)
    if at < 0:
        return None
    return names.ids[bisect.bisect_right(names.starts, at) - 1]


def by_enterprise(campaign: Any, polluter_name: str) -> Enterprise | None:
    """The registry's enterprise for a polluter's name: same name, else the first whose name contains it,
    else (names of four characters or more) the first containing its first six characters."""
    name = (polluter_name or "").strip()
    if len(name) < 2:
        return None
    for _attempt in range(2):
        names = _enterprise_names()
        pk = names.exact.get(name)
        if pk is None:
            pk = _first_containing(names, name)
        if pk is None and len(name) >= 4:
            pk = _first_containing(names, name[:6])
        if pk is None:
            return None
        found = list(Enterprise.objects.select_related("org_unit", "enterprise_unit").filter(pk=pk).order_by())
        if found:
            return found[0]
        _enterprises.clear()  # deleted or renamed since the cache was built: look again
    return None


def route(campaign: Any, *, lat: float | None, lon: float | None, address: str, polluter_name: str) -> Route:
    entry = _load_units(campaign)
    units = entry.units
    enterprise = by_enterprise(campaign, polluter_name)
    if lat is not None and lon is not None:
        unit = _by_location(entry, lat, lon)
        if unit is not None:
            return Route(unit, RouteMethod.POLYGON, enterprise)
    unit = by_address(units, address)
    if unit is not None:
        return Route(unit, RouteMethod.ADDRESS, enterprise)
    if enterprise is not None:
        owner = enterprise.enterprise_unit or enterprise.org_unit
        return Route(owner, RouteMethod.ENTERPRISE, enterprise)
    return Route(None, RouteMethod.NONE, None)
