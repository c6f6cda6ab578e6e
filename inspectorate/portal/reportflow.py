"""Reporting and following a report (issue 12 point 2): where a report will go, the tracking steps, the receipt file.

- `resolve`: which jurisdiction the pin and the typed address resolve to (the complaints router's own rules),
  and whether they disagree (then the reporter picks which is right, `LOCATION_CHOICES`);
- `steps`: received → screened → transferred → handled → published, with the date each was reached;
- `receipt_text` / `receipt_svg`: the receipt as a small file (no packages).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from inspectorate.complaints import routing
from inspectorate.complaints.models import (
    Case,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    DisclosureTable,
    HandlingResult,
    RouteMethod,
)
from inspectorate.orgs.models import OrgUnit

PIN = "pin"
ADDRESS = "address"
LOCATION_CHOICES = (PIN, ADDRESS)


@dataclass
class Resolution:
    """What the report form shows before submitting."""

    pin_given: bool = False
    address_given: bool = False
    bad_input: bool = False
    pin_unit: OrgUnit | None = None
    address_unit: OrgUnit | None = None
    pin_chain: list[str] = field(default_factory=list)
    address_chain: list[str] = field(default_factory=list)

    @property
    def outside(self) -> bool:
        """A pin that falls in none of the campaign's units' boundaries."""
        return self.pin_given and self.pin_unit is None

    @property
    def disagree(self) -> bool:
        """Pin and address name different places (neither contains the other: 岳阳市 and 平江县 agree)."""
        a, b = self.pin_unit, self.address_unit
        if a is None or b is None:
            return False
        return not (a.path.startswith(b.path) or b.path.startswith(a.path))

    @property
    def unit(self) -> OrgUnit | None:
        """The unit the report goes to when nobody chooses: the pin first, as the router does."""
        return self.pin_unit or self.address_unit


def parse_point(lat: Any, lon: Any) -> tuple[float, float] | bool | None:
    """(lat, lon), None when no pin was given, False when what was given is not a place on Earth."""
    if lat in (None, "") and lon in (None, ""):
        return None
    try:
        flat, flon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(flat) and math.isfinite(flon) and -90 <= flat <= 90 and -180 <= flon <= 180):
        return False
    return flat, flon


def chain(unit: OrgUnit | None) -> list[str]:
    """The unit's names from the top (province or city) down to it: 湖南省 › 岳阳市 › 平江县."""
    names: list[str] = []
    seen = 0
    u = unit
    while u is not None and seen < 8:
        names.append(u.name)
        u = OrgUnit.objects.filter(pk=u.parent_id).first() if u.parent_id else None
        seen += 1
    return names[::-1]


def resolve(campaign: Any, *, lat: Any, lon: Any, address: str) -> Resolution:
    res = Resolution()
    point = parse_point(lat, lon)
    address = (address or "").replace("\0", "").strip()[:300]
    if point is False:
        res.bad_input = True
        return res
    if isinstance(point, tuple):
        res.pin_given = True
        r = routing.route(campaign, lat=point[0], lon=point[1], address="", polluter_name="")
        if r.method == RouteMethod.POLYGON:
            res.pin_unit = r.unit
    if address:
        res.address_given = True
        r = routing.route(campaign, lat=None, lon=None, address=address, polluter_name="")
        if r.method == RouteMethod.ADDRESS:
            res.address_unit = r.unit
    res.pin_chain = chain(res.pin_unit)
    res.address_chain = chain(res.address_unit)
    return res


def location_for_submit(choice: str, lat: Any, lon: Any) -> tuple[Any, Any, dict[str, Any]]:
    """The reporter said the typed address is right: the pin is not used for routing (kept in `extra` for staff)."""
    if choice == ADDRESS and lat not in (None, "") and lon not in (None, ""):
        return None, None, {"location_choice": ADDRESS, "pin_not_used": [lat, lon]}
    if choice == PIN:
        return lat, lon, {"location_choice": PIN}
    return lat, lon, {}


# --- tracking steps -------------------------------------------------------------------------------------------

STEP_LABELS: list[tuple[str, Any]] = [
    ("received", pgettext_lazy("tracking step", "Received")),
    ("screened", pgettext_lazy("tracking step", "Screened")),
    ("transferred", pgettext_lazy("tracking step", "Transferred")),
    ("handled", pgettext_lazy("tracking step", "Handled")),
    ("published", pgettext_lazy("tracking step", "Published")),
]

_HANDLED = {CaseStatus.REPLIED, CaseStatus.REVIEWED, CaseStatus.PUBLISHED}


@dataclass
class Step:
    key: str
    label: Any
    at: dt.datetime | None
    reached: bool
    current: bool = False
    note: str = ""


def steps(c: Complaint, case: Case | None, table: DisclosureTable | None) -> list[Step]:
    """The five public steps with the date each was reached; the last reached one is current. A report not
    accepted (invalid or merged) stops at screening, with the reason as its note."""
    dates: dict[str, dt.datetime | None] = {"received": c.received_at}
    screened = c.status != ComplaintStatus.RECEIVED
    dates["screened"] = (c.screened_at or (case.registered_at if case else None)) if screened else None
    note = ""
    if c.status == ComplaintStatus.INVALID:
        note = _("Not accepted (outside the inspection's remit or unusable)")
    elif c.status == ComplaintStatus.DUPLICATE:
        note = _("Merged with an earlier report of the same problem")
    if case is not None:
        dates["transferred"] = case.transferred_at or (case.batch.transferred_at if case.batch_id and case.batch else None)
        if case.status in _HANDLED:
            last = (
                HandlingResult.objects.filter(case=case)
                .exclude(review=HandlingResult.Review.RETURNED)
                .order_by("-submitted_at")
                .values_list("submitted_at", flat=True)
                .first()
            )
            dates["handled"] = last
        if table is not None:
            dates["published"] = table.published_at
    out: list[Step] = []
    reached_any = True
    for key, label in STEP_LABELS:
        at = dates.get(key)
        reached = reached_any and (at is not None or (key == "screened" and screened))
        if key == "handled" and case is not None and case.status in _HANDLED:
            reached = reached_any
        if key == "published" and table is None:
            reached = False
        out.append(Step(key, label, at, reached, note=note if key == "screened" else ""))
        reached_any = reached
    current = [s for s in out if s.reached]
    if current:
        current[-1].current = True
    return out


# --- the receipt as a file -------------------------------------------------------------------------------------


def receipt_lines(c: Complaint, track_url: str) -> list[str]:
    when = timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M")
    return [
        _("Report received"),
        f"{_('Inspection')}: {c.campaign}",
        f"{pgettext('tracking step', 'Received')}: {when}",
        f"{_('Receipt code')}: {c.receipt_code}",
        f"{_('Tracking secret')}: {c.tracking_secret}",
        f"{_('Track my report')}: {track_url}",
        _("Keep these two codes: you need both to follow your report."),
    ]


def receipt_text(c: Complaint, track_url: str) -> str:
    return "\r\n".join(receipt_lines(c, track_url)) + "\r\n"


def receipt_svg(c: Complaint, track_url: str) -> str:
    lines = receipt_lines(c, track_url)
    height = 40 + 28 * len(lines)
    rows = []
    for i, line in enumerate(lines):
        size, weight = (22, "bold") if i == 0 else (16, "bold" if i in (3, 4) else "normal")
        rows.append(f'<text x="24" y="{44 + 28 * i}" font-size="{size}" font-weight="{weight}">{escape(line)}</text>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="720" height="{height}" viewBox="0 0 720 {height}" '
        'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif" role="img">\n'
        f"<title>{escape(lines[0])} {escape(c.receipt_code)}</title>\n"
        f'<rect width="720" height="{height}" fill="#fff" stroke="#0b6e4f" stroke-width="2"/>\n' + "\n".join(rows) + "\n</svg>\n"
    )
