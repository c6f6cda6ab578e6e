"""Fake-rectification signals about people, units, cases and areas (DOMAIN.md §7; issue 10, point 7).

These rules complete `fakecheck` (whose rules look at one ledger task at a time). They yield the same
`Candidate`s, stored as the same `Flag`s and reviewed the same way; a flag here usually has no task but names
its campaign (the round) and the unit concerned, which is what scopes it (the inspecting side reviews it; the
unit concerned and the levels above it read it, like a task's flags). Every rule is a flag for human review,
never a verdict, and each explanation says in words what was counted and against what.

Privacy: accountability records count only once their issue is *published* (the target and the public see them
then). A draft record therefore never shows through a flag, nor does its presence silence one.

The rules, with their thresholds (module constants, the same for every campaign):

* Held accountable, then promoted (`promoted_after_accountability`): a career event of kind promotion or reward
  recorded for a person within `PROMOTION_WINDOW_DAYS` after the date of the measure taken against them.
* Untrue cluster (`untrue_cluster`): among the cases of one campaign with a verdict, the handling unit's share of
  “untrue” verdicts is compared with the pooled share of all the other handling units of the same campaign
  (its peers in the round). “Far above” means both: (1) statistically, the one-sided binomial tail
  P(X ≥ x | n, p_peers) ≤ `UNTRUE_MAX_P` — under the peers' rate, a share this high would come up by chance at
  most once in a hundred; and (2) practically, the unit's share exceeds the peers' by at least
  `UNTRUE_MIN_EXCESS` (20 percentage points). Minimum sample: the unit has `UNTRUE_MIN_CASES` cases with a
  verdict, and its peers (at least two units) `UNTRUE_MIN_PEER_CASES` between them; below that, no flag.
* Fines without effect (`fines_without_effect`): the platform keeps no internal assessment (KPI) scores, so the
  rule uses the consequences it does record. An enterprise fined at least `FINES_MIN_COUNT` times in the
  campaign's case replies (penalty decisions in the latest reply of each case), while nobody of the enterprise's
  unit (its unit in the enterprise tree, else its owning unit) or below it has a published accountability record
  in the campaign, and no reply on those cases reports anyone held accountable.
* Complaint concentration (`complaint_concentration`): at least `CONCENTRATION_MIN` new public complaints,
  received within the campaign's relapse window after a case was closed (办结, reviewed or published) or a
  ledger task was filed, about the same enterprise or within the campaign's relapse radius of the case's
  original complaint. (A single complaint already raises a “relapse” flag on a task; this one counts them.)
* Blanket shutdown (`blanket_shutdown`, 一刀切): at least `BLANKET_MIN_ENTERPRISES` distinct enterprises of one
  sector in one area stopped within `BLANKET_WINDOW_DAYS` days, from two sources: case replies of the campaign
  whose measures say production was stopped or closed (area: the case's region, else its handling unit;
  sector: the case's, else the enterprise's), and the daily running logs of facilities (a facility going from
  running, or from no log, to “stopped”; area: the enterprise's owning unit under the campaign's targets).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

PROMOTION_WINDOW_DAYS = 365
UNTRUE_MIN_CASES = 10
UNTRUE_MIN_PEER_CASES = 20
UNTRUE_MAX_P = 0.01
UNTRUE_MIN_EXCESS = 0.20
FINES_MIN_COUNT = 3
CONCENTRATION_MIN = 3
BLANKET_MIN_ENTERPRISES = 5
BLANKET_WINDOW_DAYS = 7
STOP_WORDS = ("停产", "关停", "停业", "停工", "取缔", "stop production", "stopped production", "shut down", "suspend")


def _model(label: str) -> Any:
    """A model of an optional app; None when the app is not installed."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def binomial_tail(x: int, n: int, p: float) -> float:
    """P(X ≥ x) for X ~ Binomial(n, p), summed exactly (n is a campaign's case count: small)."""
    if x <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return min(1.0, sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x, n + 1)))


def _candidate(campaign_id: Any, unit_id: Any, kind: str, key: str, text: str, detail: dict[str, Any]) -> Any:
    from .fakecheck import Candidate

    return Candidate(None, kind, key, text, detail, campaign_id=campaign_id, unit_id=unit_id)


def promoted_after_accountability(campaigns: list[Any], cfg: Any) -> Iterable[Any]:
    from .models import FlagKind

    event_model = _model("accountability.CareerEvent")
    if event_model is None:
        return
    events = event_model.objects.filter(
        kind__in=("promotion", "reward"), record__issue__status="published", record__issue__campaign__in=campaigns
    ).select_related("record", "record__issue", "record__unit")
    for ev in events:
        rec = ev.record
        days = (ev.on - rec.decided_on).days
        if not 0 <= days <= PROMOTION_WINDOW_DAYS:
            continue
        text = _(
            "%(name)s (%(unit)s) received “%(measure)s” on %(d1)s under accountability issue %(no)s; "
            "%(days)s days later, on %(d2)s: %(kind)s — %(post)s."
        ) % {
            "name": rec.person_name,
            "unit": rec.unit,
            "measure": rec.get_measure_display(),
            "d1": f"{rec.decided_on:%Y-%m-%d}",
            "no": rec.issue.number,
            "days": days,
            "d2": f"{ev.on:%Y-%m-%d}",
            "kind": ev.get_kind_display(),
            "post": ev.new_post,
        }
        detail = {"issue": str(rec.issue_id), "record": str(rec.pk), "event": str(ev.pk), "days": days}
        yield _candidate(
            rec.issue.campaign_id, rec.unit_id, FlagKind.PROMOTED_AFTER_ACCOUNTABILITY, f"career:{ev.pk}", text, detail
        )


def untrue_cluster(campaigns: list[Any], cfg: Any) -> Iterable[Any]:
    from .models import FlagKind

    case_model = _model("complaints.Case")
    if case_model is None:
        return
    counts: dict[Any, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    rows = (
        case_model.objects.filter(campaign__in=campaigns)
        .exclude(verdict="")
        .exclude(status="merged")
        .values_list("campaign_id", "lead_unit_id", "verdict")
    )
    for cid, unit_id, verdict in rows:
        c = counts[cid][unit_id]
        c[0] += verdict == "untrue"
        c[1] += 1
    names = _unit_names({u for per in counts.values() for u in per})
    for cid, per_unit in counts.items():
        total_x = sum(x for x, _n in per_unit.values())
        total_n = sum(n for _x, n in per_unit.values())
        for unit_id, (x, n) in per_unit.items():
            x0, n0 = total_x - x, total_n - n
            if n < UNTRUE_MIN_CASES or n0 < UNTRUE_MIN_PEER_CASES or len(per_unit) < 3:
                continue
            share, peers = x / n, x0 / n0
            p = binomial_tail(x, n, peers)
            if share - peers < UNTRUE_MIN_EXCESS or p > UNTRUE_MAX_P:
                continue
            text = _(
                "%(x)s of the %(n)s cases handled by %(unit)s were found “untrue” (%(pct)s%%), against %(peer)s%% "
                "for the other units of this round (%(x0)s of %(n0)s). At the peers' rate, a share this high would "
                "come up by chance with probability %(p)s."
            ) % {
                "x": x,
                "n": n,
                "unit": names.get(unit_id, "?"),
                "pct": round(share * 100),
                "peer": round(peers * 100),
                "x0": x0,
                "n0": n0,
                "p": f"{p:.1g}" if p else "0",
            }
            detail = {"untrue": x, "cases": n, "peer_untrue": x0, "peer_cases": n0, "p_value": p}
            yield _candidate(cid, unit_id, FlagKind.UNTRUE_CLUSTER, f"untrue:{unit_id}", text, detail)


def _latest_results(campaigns: list[Any]) -> list[Any]:
    """The latest reply of each case of these campaigns (with its case, origin complaint and penalties)."""
    result_model = _model("complaints.HandlingResult")
    if result_model is None:
        return []
    seen: set[Any] = set()
    latest = []
    rows = (
        result_model.objects.filter(case__campaign__in=campaigns)
        .exclude(case__status="merged")
        .select_related("case", "case__origin", "case__origin__polluter", "case__lead_unit", "case__region")
        .prefetch_related("penalties")
        .order_by("case_id", "-version")
    )
    for r in rows:
        if r.case_id not in seen:
            seen.add(r.case_id)
            latest.append(r)
    return latest


def fines_without_effect(campaigns: list[Any], cfg: Any) -> Iterable[Any]:
    from inspectorate.orgs.models import OrgUnit

    from .models import FlagKind

    record_model = _model("accountability.AccountabilityRecord")
    # (campaign, enterprise) -> fines, cases, anyone held accountable in those replies
    fined: dict[tuple[Any, Any], dict[str, Any]] = {}
    for r in _latest_results(campaigns):
        penalties = list(r.penalties.all())
        if not penalties:
            continue
        origin = r.case.origin
        ent = origin.polluter if origin is not None and origin.polluter_id else None
        unit = (ent.enterprise_unit_id or ent.org_unit_id) if ent is not None else r.case.lead_unit_id
        for pen in penalties:
            name = ent.name if ent is not None else " ".join(pen.enterprise_name.split())
            key = (r.case.campaign_id, f"enterprise:{ent.pk}" if ent is not None else f"name:{name}")
            g = fined.setdefault(key, {"name": name, "unit": unit, "count": 0, "sum": Decimal(0), "cases": set(), "held": 0})
            g["count"] += 1
            g["sum"] += pen.amount
            g["cases"].add(r.case.number)
            g["held"] += r.held_accountable
    if not fined:
        return
    paths = dict(OrgUnit.objects.filter(pk__in={g["unit"] for g in fined.values()}).values_list("pk", "path"))
    names = _unit_names(set(paths))
    published: dict[Any, list[str]] = defaultdict(list)
    if record_model is not None:
        for cid, path in record_model.objects.filter(issue__campaign__in=campaigns, issue__status="published").values_list(
            "issue__campaign_id", "unit__path"
        ):
            published[cid].append(path)
    for (cid, key), g in fined.items():
        path = paths.get(g["unit"], "")
        if g["count"] < FINES_MIN_COUNT or g["held"] or any(p.startswith(path) for p in published[cid]):
            continue
        text = _(
            "%(ent)s was fined %(n)s times (¥%(sum)s in total) in this round's case replies (cases %(cases)s), yet no "
            "one at %(unit)s has a published accountability record and no reply reports anyone held accountable. "
            "The platform keeps no internal assessment scores: check whether the fines reached the unit's assessment."
        ) % {
            "ent": g["name"],
            "n": g["count"],
            "sum": f"{g['sum']:,.2f}",
            "cases": ", ".join(sorted(g["cases"])[:10]),
            "unit": names.get(g["unit"], "?"),
        }
        detail = {"fines": g["count"], "amount": str(g["sum"]), "cases": sorted(g["cases"])}
        yield _candidate(cid, g["unit"], FlagKind.FINES_WITHOUT_EFFECT, f"fines:{key}", text, detail)


def complaint_concentration(campaigns: list[Any], cfg: Any) -> Iterable[Any]:
    from .fakecheck import _metres
    from .models import FlagKind, Task, TaskStatus

    complaint_model = _model("complaints.Complaint")
    if complaint_model is None:
        return
    # Sites: (campaign, task, unit, what, closed day, enterprise id, lat, lon, excluded complaint ids, detail)
    sites: list[tuple[Any, Any, Any, str, dt.date, Any, float | None, float | None, set[Any], dict[str, Any]]] = []
    for r in _latest_results(campaigns):
        case = r.case
        if r.status != "closed" or case.status not in ("reviewed", "published"):
            continue
        closed_day = timezone.localtime(r.reviewed_at or r.submitted_at).date()
        origin = case.origin
        lat = origin.lat if origin is not None else None
        lon = origin.lon if origin is not None else None
        ent = origin.polluter_id if origin is not None else None
        if ent is None and lat is None:
            continue
        what = _("case %(no)s") % {"no": case.number}
        own = set(complaint_model.objects.filter(case=case).values_list("pk", flat=True))
        sites.append((case.campaign_id, None, case.lead_unit_id, what, closed_day, ent, lat, lon, own, {"case": str(case.pk)}))
    tasks = Task.objects.filter(campaign__in=campaigns, status=TaskStatus.CLOSED, closed_on__isnull=False)
    for t in tasks.exclude(problem__enterprise__isnull=True).select_related("problem"):
        if t.closed_on is None:
            continue
        what = _("task %(no)s") % {"no": t.number}
        sites.append((t.campaign_id, t.pk, None, what, t.closed_on, t.problem.enterprise_id, None, None, set(), {}))
    for cid, task_id, unit_id, what, closed_day, ent, lat, lon, own, ref in sites:
        th = cfg(cid)
        start = dt.datetime.combine(closed_day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
        end = start + dt.timedelta(days=th.relapse_days)
        later = complaint_model.objects.filter(received_at__gte=start, received_at__lt=end).exclude(pk__in=own)
        hits: set[Any] = set()
        if ent is not None:
            hits |= set(later.filter(polluter_id=ent).values_list("pk", flat=True))
        if lat is not None and lon is not None:
            dlat = th.relapse_radius_m / 111_000
            dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
            near = later.filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
            hits |= {pk for pk, a, b in near.values_list("pk", "lat", "lon") if _metres(lat, lon, a, b) <= th.relapse_radius_m}
        if len(hits) < CONCENTRATION_MIN:
            continue
        text = _(
            "%(n)s new public complaints about the same site (same enterprise or within %(m)s m) came in within "
            "%(days)s days after %(what)s was closed on %(day)s."
        ) % {"n": len(hits), "m": th.relapse_radius_m, "days": th.relapse_days, "what": what, "day": f"{closed_day:%Y-%m-%d}"}
        detail = {**ref, "complaints": sorted(str(h) for h in hits), "closed": closed_day.isoformat()}
        key = "concentration" if task_id else f"concentration:{ref['case']}"
        c = _candidate(cid, unit_id, FlagKind.COMPLAINT_CONCENTRATION, key, text, detail)
        c.task_id = task_id
        yield c


def _clusters(events: list[tuple[dt.date, str]]) -> Iterable[tuple[dt.date, dt.date, set[str]]]:
    """Windows of BLANKET_WINDOW_DAYS days holding ≥ BLANKET_MIN_ENTERPRISES distinct enterprises; each event in one."""
    events = sorted(events)
    i = 0
    while i < len(events):
        first = events[i][0]
        last = first + dt.timedelta(days=BLANKET_WINDOW_DAYS - 1)
        inside = [e for e in events[i:] if e[0] <= last]
        names = {name for _day, name in inside}
        if len(names) >= BLANKET_MIN_ENTERPRISES:
            yield first, max(d for d, _n in inside), names
            i += len(inside)
        else:
            i += 1


def blanket_shutdown(campaigns: list[Any], cfg: Any) -> Iterable[Any]:
    from inspectorate.orgs.models import Sector

    from .models import FlagKind

    # (campaign, area unit, sector, source) -> [(day, enterprise)]
    stops: dict[tuple[Any, Any, str, str], list[tuple[dt.date, str]]] = defaultdict(list)
    for r in _latest_results(campaigns):
        text = (r.measures or "").lower()
        if not any(w in text for w in STOP_WORDS):
            continue
        case = r.case
        ent = case.origin.polluter if case.origin is not None and case.origin.polluter_id else None
        sector = case.sector or (ent.sector if ent is not None else "")
        if not sector:
            continue
        area = case.region_id or case.lead_unit_id
        day = timezone.localtime(r.submitted_at).date()
        stopped = [p.enterprise_name for p in r.penalties.all()] or [ent.name if ent is not None else case.number]
        for name in stopped:
            stops[(case.campaign_id, area, sector, "replies")].append((day, " ".join(name.split())))
    stops.update(_facility_stops(campaigns))
    labels = dict(Sector.choices)
    names = _unit_names({k[1] for k in stops})
    for (cid, area, sector, source), events in stops.items():
        for first, last, ents in _clusters(events):
            text = _(
                "%(n)s enterprises of the sector “%(sector)s” in %(area)s were stopped between %(d1)s and %(d2)s "
                "(%(source)s): %(names)s. Check that each stop answers a violation of its own."
            ) % {
                "n": len(ents),
                "sector": labels.get(sector, sector),
                "area": names.get(area, "?"),
                "d1": f"{first:%Y-%m-%d}",
                "d2": f"{last:%Y-%m-%d}",
                "source": _("case replies") if source == "replies" else _("facility running logs"),
                "names": "、".join(sorted(ents)[:12]),
            }
            detail = {"enterprises": sorted(ents), "from": first.isoformat(), "to": last.isoformat(), "source": source}
            key = f"blanket:{source}:{area}:{sector}:{first:%Y-%m-%d}"
            yield _candidate(cid, area, FlagKind.BLANKET_SHUTDOWN, key, text, detail)


def _facility_stops(campaigns: list[Any]) -> dict[tuple[Any, Any, str, str], list[tuple[dt.date, str]]]:
    log_model = _model("facilities.FacilityLog")
    out: dict[tuple[Any, Any, str, str], list[tuple[dt.date, str]]] = defaultdict(list)
    if log_model is None:
        return out
    for campaign in campaigns:
        paths = campaign.target_paths()
        if not paths:
            continue
        under = Q(pk__in=[])
        for p in paths:
            under |= Q(facility__enterprise__org_unit__path__startswith=p)
        logs = (
            log_model.objects.filter(under, day__gte=campaign.stationing_start - dt.timedelta(days=1))
            .select_related("facility__enterprise", "facility__enterprise__org_unit")
            .order_by("facility_id", "day")
        )
        previous: dict[Any, str] = {}
        for log in logs:
            ent = log.facility.enterprise
            was = previous.get(log.facility_id)
            previous[log.facility_id] = log.status
            if log.status != "stopped" or was == "stopped" or log.day < campaign.stationing_start:
                continue
            if not any(ent.org_unit.path.startswith(p) for p in paths):
                continue
            out[(campaign.pk, ent.org_unit_id, ent.sector, "facilities")].append((log.day, ent.name))
    return out


def _unit_names(ids: set[Any]) -> dict[Any, str]:
    from inspectorate.orgs.models import OrgUnit

    return {u.pk: str(u) for u in OrgUnit.objects.filter(pk__in=[i for i in ids if i])}


UNIT_RULES = (promoted_after_accountability, untrue_cluster, fines_without_effect, complaint_concentration, blanket_shutdown)
