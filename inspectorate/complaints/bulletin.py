"""The bulletin line (DOMAIN.md §6.1), computed from the data as of a date.

received       every complaint received up to the end of the day, duplicates included
valid          received minus those marked invalid by then
transferred    cases sent in batches by then (valid after merging duplicates; split parts count each,
               a joint case once)
closed / staged_closed / open
               by the latest accepted reply of each transferred case as of that day (open = the rest):
               three disjoint parts, closed + staged_closed + open == transferred. "Done" in the published
               sense (DOMAIN §6.1 †) is closed + staged_closed; bulletins without † print closed alone.
ordered_to_rectify, criminal_cases, detained
               sums over those latest replies
interviewed, held_accountable
               distinct persons from the accountability app's records once the campaigns have any
               (`accountability.summary`: interviewed = persons named in interviews held by that day;
               held_accountable = persons in the records of issues published by that day, one person with
               several measures counted once); while the campaigns have no such records, the figures typed
               into the latest replies (a reported figure, summed as above). Per batch the replies' figures
               are kept, since interviews and accountability records belong to no batch.
penalised_enterprises   distinct enterprises with a penalty decision in those replies
fines_yuan     the sum of their fines, Decimal yuan
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from inspectorate.accountability.summary import held_accountable
from inspectorate.accountability.summary import interviewed as interviewed_persons

from .models import Case, CaseStatus, Complaint, ComplaintStatus, HandlingResult, PenaltyDecision, ResultStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
KEYS = (
    "received",
    "valid",
    "transferred",
    "closed",
    "staged_closed",
    "open",
    "ordered_to_rectify",
    "penalised_enterprises",
    "fines_yuan",
    "criminal_cases",
    "detained",
    "interviewed",
    "held_accountable",
)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=SHANGHAI)


def _accepted(end: dt.datetime, via: str = "") -> Q:
    """A reply accepted by `end` (through the relation `via`)."""
    return Q(**{f"{via}review": HandlingResult.Review.ACCEPTED, f"{via}submitted_at__lt": end}) & (
        Q(**{f"{via}reviewed_at__lt": end}) | Q(**{f"{via}reviewed_at__isnull": True})
    )


def bulletin(
    campaigns: Any,
    as_of: dt.date,
    *,
    batch: Any = None,
    region: Any = None,
) -> dict[str, Any]:
    """The 13 bulletin figures for the given campaigns (a queryset or list), optionally one batch or region."""
    end = end_of(as_of)
    complaints = Complaint.objects.filter(campaign__in=campaigns, received_at__lt=end)
    cases = Case.objects.filter(campaign__in=campaigns, transferred_at__lt=end).exclude(status=CaseStatus.MERGED)
    if batch is not None:
        complaints = complaints.filter(case__batch=batch)
        cases = cases.filter(batch=batch)
    if region is not None:
        complaints = complaints.filter(jurisdiction__path__startswith=region.path)
        cases = cases.filter(Q(region__path__startswith=region.path) | Q(lead_unit__path__startswith=region.path))
    counts = complaints.aggregate(
        received=Count("pk"),
        invalid=Count("pk", filter=Q(status=ComplaintStatus.INVALID) & (Q(screened_at__lt=end) | Q(screened_at__isnull=True))),
    )
    received, invalid = counts["received"], counts["invalid"]

    # Each transferred case's latest reply accepted by then: an accepted reply with no newer accepted one (an
    # anti-join on the (case, version) index), so the whole line is a handful of aggregate queries whatever the
    # number of cases (`make bench`, scale part).
    def newer(case: str, version: str) -> Exists:
        return Exists(HandlingResult.objects.filter(_accepted(end), case=OuterRef(case), version__gt=OuterRef(version)))

    case_ids = cases.values("pk")
    latest = HandlingResult.objects.filter(_accepted(end), ~newer("case", "version"), case__in=case_ids)
    zero = Value(0)
    totals = latest.aggregate(
        closed=Count("pk", filter=Q(status=ResultStatus.CLOSED)),
        staged=Count("pk", filter=Q(status=ResultStatus.STAGED_CLOSED)),
        ordered_to_rectify=Coalesce(Sum("ordered_to_rectify"), zero),
        criminal_cases=Coalesce(Sum("criminal_cases"), zero),
        detained=Coalesce(Sum(F("detained_administrative") + F("detained_criminal")), zero),
        interviewed=Coalesce(Sum("interviewed"), zero),
        held_accountable=Coalesce(Sum("held_accountable"), zero),
    )
    # One row per enterprise name with its fines. Enterprises are told apart by the name without any white space
    # (Python's notion of it, hence in Python).
    penalties = (
        PenaltyDecision.objects.filter(
            _accepted(end, "result__"), ~newer("result__case", "result__version"), result__case__in=case_ids
        )
        .order_by()
        .values_list("enterprise_name")
        .annotate(total=Sum("amount"))
    )
    enterprises: set[str] = set()
    fines = Decimal("0")
    for name, total in penalties:
        enterprises.add("".join(name.split()))
        fines += total or Decimal("0")
    transferred = cases.count()
    closed = totals["closed"]
    staged = totals["staged"]
    interviewed, held = totals["interviewed"], totals["held_accountable"]
    if batch is None:
        counted = interviewed_persons(campaigns, as_of, region)
        interviewed = totals["interviewed"] if counted is None else counted
        counted = held_accountable(campaigns, as_of, region)
        held = totals["held_accountable"] if counted is None else counted
    return {
        "received": received,
        "valid": received - invalid,
        "transferred": transferred,
        "closed": closed,
        "staged_closed": staged,
        "open": transferred - closed - staged,
        "ordered_to_rectify": totals["ordered_to_rectify"],
        "penalised_enterprises": len(enterprises),
        "fines_yuan": Decimal(fines).quantize(Decimal("0.01")),
        "criminal_cases": totals["criminal_cases"],
        "detained": totals["detained"],
        "interviewed": interviewed,
        "held_accountable": held,
    }


def wan(yuan: Decimal) -> Decimal:
    """Yuan → 万元, two places (as bulletins print it)."""
    return (yuan / Decimal(10000)).quantize(Decimal("0.01"))


def done(figures: dict[str, Any]) -> int:
    """Closed plus staged-closed: the "办结或阶段性办结" figure of bulletins marked † in DOMAIN §6.2."""
    return int(figures["closed"]) + int(figures["staged_closed"])


def summary_line(figures: dict[str, Any], as_of: dt.date) -> str:
    """The published sentence (Chinese), from the figures.

    The done figure is worded as the bulletins that count staged closures do ("已办结或阶段性办结N件"), followed
    by its two parts, so every part in brackets is smaller than the whole it belongs to.
    """
    return (
        f"截至{as_of.year}年{as_of.month}月{as_of.day}日，共受理群众举报{figures['received']}件，有效举报{figures['valid']}件，"
        f"合并重复举报后向被督察对象转办{figures['transferred']}件；已办结或阶段性办结{done(figures)}件"
        f"（其中办结{figures['closed']}件、阶段性办结{figures['staged_closed']}件）；责令整改{figures['ordered_to_rectify']}家，"
        f"立案处罚{figures['penalised_enterprises']}家，罚款{wan(figures['fines_yuan'])}万元；"
        f"立案侦查{figures['criminal_cases']}件，拘留{figures['detained']}人；约谈{figures['interviewed']}人，"
        f"问责{figures['held_accountable']}人。"
    )


def inconsistencies(figures: dict[str, Any]) -> list[str]:
    """The ways a bulletin's parts exceed their whole (empty when the figures are consistent).

    received ≥ valid; transferred = closed + staged_closed + open, none of them negative. (Transferred is not
    bounded by valid: the parts of a multi-locality split count each, DOMAIN §6.3.) Each entry names the
    relation that fails, with the numbers.
    """
    f = {k: figures[k] for k in ("received", "valid", "transferred", "closed", "staged_closed", "open")}
    problems: list[str] = []
    for key, value in f.items():
        if value < 0:
            problems.append(f"{key} = {value} < 0")
    if f["valid"] > f["received"]:
        problems.append(f"valid {f['valid']} > received {f['received']}")
    parts = f["closed"] + f["staged_closed"] + f["open"]
    if parts != f["transferred"]:
        sums = f"closed {f['closed']} + staged_closed {f['staged_closed']} + open {f['open']} = {parts}"
        problems.append(f"{sums} ≠ transferred {f['transferred']}")
    return problems
