"""Fake-rectification signals (DOMAIN §7), computed in bulk and stored as flags for human review.

`compute_flags()` is idempotent: a flag is keyed by (task, kind, key) and only created once;
reviewers' decisions on existing flags are kept. Thresholds are per campaign (`LedgerSettings`,
editable in the admin); the constants below are the defaults for campaigns without settings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspectorate.core import calendar
from inspectorate.orgs.models import Enterprise

from .models import Evidence, Flag, FlagKind, LedgerSettings, Problem, Reopening, ReopenSource, Task, TaskStatus

RELAPSE_DAYS = 365  # a new problem or complaint about the same enterprise within this many days after closure
RELAPSE_RADIUS_M = 500  # … or a located complaint within this distance of the enterprise
BUNCH_WINDOW_DAYS = 3  # closures this close before a shared deadline …
BUNCH_MIN_TASKS = 5  # … by at least this many tasks …
BUNCH_MIN_SHARE = 0.5  # … and this share of the tasks with that deadline
SIMILAR_TEXT_RATIO = 0.9
SIMILAR_TEXT_MIN_LEN = 20
SIMILAR_TEXT_MAX_TASKS = 2000


@dataclass(frozen=True)
class Thresholds:
    relapse_days: int = RELAPSE_DAYS
    relapse_radius_m: int = RELAPSE_RADIUS_M
    similar_ratio: float = SIMILAR_TEXT_RATIO
    bunch_window_days: int = BUNCH_WINDOW_DAYS
    bunch_min_tasks: int = BUNCH_MIN_TASKS
    bunch_min_share: float = BUNCH_MIN_SHARE


DEFAULTS = Thresholds()


class Config:
    """Thresholds per campaign, read once for a computation."""

    def __init__(self, campaign_ids: Iterable[Any]) -> None:
        self.by_campaign = {
            s.campaign_id: Thresholds(
                relapse_days=s.relapse_days,
                relapse_radius_m=s.relapse_radius_m,
                similar_ratio=s.similar_text_percent / 100,
                bunch_window_days=s.bunch_window_days,
                bunch_min_tasks=s.bunch_min_tasks,
                bunch_min_share=s.bunch_min_share_percent / 100,
            )
            for s in LedgerSettings.objects.filter(campaign_id__in=list(set(campaign_ids)))
        }

    def __call__(self, campaign_id: Any) -> Thresholds:
        return self.by_campaign.get(campaign_id, DEFAULTS)


@dataclass
class Candidate:
    task_id: Any
    kind: str
    key: str
    explanation: str
    detail: dict[str, Any] = field(default_factory=dict)
    # Flags without a task (fakecheck_units) name their campaign and the unit concerned.
    campaign_id: Any = None
    unit_id: Any = None


def _reused_evidence(tasks: dict[Any, Task], cfg: Config) -> Iterable[Candidate]:
    by_hash: dict[str, set[Any]] = defaultdict(set)
    for sha, task_id in Evidence.objects.filter(task_id__in=list(tasks)).values_list("sha256", "task_id"):
        by_hash[sha].add(task_id)
    shared = {sha: ids for sha, ids in by_hash.items() if len(ids) > 1}
    if not shared:
        return
    # Other tasks (possibly in other campaigns) holding the same file count as well.
    for sha, task_id in Evidence.objects.filter(sha256__in=list(shared)).values_list("sha256", "task_id"):
        shared[sha].add(task_id)
    numbers = dict(Task.objects.filter(pk__in={t for ids in shared.values() for t in ids}).values_list("pk", "number"))
    for sha, ids in shared.items():
        for tid in ids:
            if tid not in tasks:
                continue
            others = sorted(numbers.get(o, "?") for o in ids if o != tid)
            yield Candidate(
                tid,
                FlagKind.REUSED_EVIDENCE,
                sha,
                _("The same evidence file (SHA-256 %(sha)s…) is attached to other tasks: %(others)s.")
                % {"sha": sha[:12], "others": ", ".join(others)},
                {"sha256": sha, "other_tasks": others},
            )


def _evidence_timing(tasks: dict[Any, Task], cfg: Config) -> Iterable[Candidate]:
    rows = Evidence.objects.filter(task_id__in=list(tasks)).values_list(
        "pk", "task_id", "captured_on", "uploaded_at", "original_name"
    )
    for ev_id, tid, captured, uploaded, name in rows:
        task = tasks[tid]
        if task.verified_at is not None:
            verified_day = timezone.localtime(task.verified_at).date()
            late_capture = captured is not None and captured > verified_day
            if late_capture or uploaded > task.verified_at:
                yield Candidate(
                    tid,
                    FlagKind.EVIDENCE_AFTER_ACCEPTANCE,
                    str(ev_id),
                    _("Evidence “%(name)s” is dated or uploaded after the on-site acceptance of %(day)s.")
                    % {"name": name, "day": f"{verified_day:%Y-%m-%d}"},
                    {"evidence": str(ev_id)},
                )
        start = min(task.campaign.stationing_start, timezone.localtime(task.created_at).date())
        if captured is not None and captured < start:
            yield Candidate(
                tid,
                FlagKind.EVIDENCE_BEFORE_TASK,
                str(ev_id),
                _("Evidence “%(name)s” is dated %(cap)s, before the inspection found the problem (%(start)s).")
                % {"name": name, "cap": f"{captured:%Y-%m-%d}", "start": f"{start:%Y-%m-%d}"},
                {"evidence": str(ev_id)},
            )


def _bunched(tasks: dict[Any, Task], cfg: Config) -> Iterable[Candidate]:
    by_deadline: dict[tuple[Any, dt.date], list[Task]] = defaultdict(list)
    for t in tasks.values():
        if t.deadline is not None and not t.long_term:
            by_deadline[(t.campaign_id, t.deadline)].append(t)
    for (cid, deadline), group in by_deadline.items():
        th = cfg(cid)
        window = deadline - dt.timedelta(days=th.bunch_window_days)
        rushed = [t for t in group if t.closed_on is not None and window <= t.closed_on <= deadline]
        if len(rushed) >= th.bunch_min_tasks and len(rushed) >= th.bunch_min_share * len(group):
            for t in rushed:
                yield Candidate(
                    t.pk,
                    FlagKind.BUNCHED_CLOSURES,
                    f"{deadline:%Y-%m-%d}",
                    _("%(n)s of %(total)s tasks due %(day)s were closed in the last %(w)s days before it.")
                    % {"n": len(rushed), "total": len(group), "day": f"{deadline:%Y-%m-%d}", "w": th.bunch_window_days},
                    {"deadline": deadline, "rushed": len(rushed), "total": len(group)},
                )


def _notice(tasks: dict[Any, Task], cfg: Config) -> Iterable[Candidate]:
    for t in tasks.values():
        if t.status != TaskStatus.CLOSED:
            continue
        required = int(t.campaign.notice_working_days or 5)
        if t.notice_start is None or t.notice_end is None:
            yield Candidate(t.pk, FlagKind.SHORTENED_NOTICE, "notice", _("Closed without a recorded public notice."), {})
            continue
        first = t.notice_start - dt.timedelta(days=1)
        ran = calendar.working_days_between(first, t.notice_end)
        early = t.closed_on is not None and t.closed_on <= t.notice_end
        if ran < required or early:
            yield Candidate(
                t.pk,
                FlagKind.SHORTENED_NOTICE,
                "notice",
                _("The public notice ran %(ran)s working days (%(req)s required)%(early)s.")
                % {"ran": ran, "req": required, "early": _(", and the task was filed before it ended") if early else ""},
                {"ran": ran, "required": required},
            )


def _closure_checks(tasks: dict[Any, Task], cfg: Config) -> Iterable[Candidate]:
    closed = [t for t in tasks.values() if t.status == TaskStatus.CLOSED or t.reopen_count]
    # Contradicted status: a claimed stop / shut-down / removal, then a check that reopened it.
    contradicting = (ReopenSource.SPOT_CHECK, ReopenSource.LOOK_BACK, ReopenSource.COMPLAINT, ReopenSource.MEDIA)
    claims = {t.pk: t for t in closed if t.closure_claim}
    for r in Reopening.objects.filter(task_id__in=list(claims), source__in=contradicting, closed_on_before__isnull=False):
        t = claims[r.task_id]
        yield Candidate(
            t.pk,
            FlagKind.CONTRADICTED_STATUS,
            str(r.pk),
            _("Closed as “%(claim)s”, then contradicted by a %(source)s on %(day)s: %(reason)s")
            % {
                "claim": t.get_closure_claim_display(),
                "source": r.get_source_display(),
                "day": f"{r.on:%Y-%m-%d}",
                "reason": r.reason,
            },
            {"reopening": str(r.pk)},
        )
    # Relapse: a new problem about the same enterprise after closure.
    ent_tasks: dict[Any, list[tuple[Task, dt.date]]] = defaultdict(list)
    for t in closed:
        if t.problem.enterprise_id is None:
            continue
        dates = [t.closed_on] if t.closed_on else []
        dates += [r.closed_on_before for r in t.reopenings.all() if r.closed_on_before]
        for d in dates:
            ent_tasks[t.problem.enterprise_id].append((t, d))
    if ent_tasks:
        later = Problem.objects.filter(enterprise_id__in=list(ent_tasks)).values_list(
            "pk", "enterprise_id", "created_at", "number"
        )
        for pid, ent, created, number in later:
            created_day = timezone.localtime(created).date()
            for t, closed_day in ent_tasks[ent]:
                window = dt.timedelta(days=cfg(t.campaign_id).relapse_days)
                if pid != t.problem_id and closed_day < created_day <= closed_day + window:
                    yield Candidate(
                        t.pk,
                        FlagKind.RELAPSE,
                        str(pid),
                        _("Problem %(no)s about the same enterprise was recorded %(day)s, after this task closed on %(closed)s.")
                        % {"no": number, "day": f"{created_day:%Y-%m-%d}", "closed": f"{closed_day:%Y-%m-%d}"},
                        {"problem": str(pid)},
                    )
    # A new public complaint naming the same enterprise after closure (complaints app, when installed).
    yield from _complaints_after_closure(closed, cfg)
    # Closure without sanction: a substantiated violation closed with no order or penalty on record.
    for t in closed:
        if t.status == TaskStatus.CLOSED and t.problem.is_violation and not t.problem.penalty_ref.strip():
            yield Candidate(
                t.pk,
                FlagKind.NO_SANCTION,
                "sanction",
                _("The problem is a substantiated violation, but no rectification order or penalty is recorded."),
                {},
            )


def _complaints_after_closure(closed: list[Task], cfg: Config) -> Iterable[Candidate]:
    """Relapse (any closure) and contradicted status (a stop / shut-down / removal claim) from later complaints."""
    from django.apps import apps

    try:
        complaint_model = apps.get_model("complaints", "Complaint")
    except LookupError:
        return
    ent_tasks: dict[Any, list[tuple[Task, dt.date]]] = defaultdict(list)
    for t in closed:
        if t.problem.enterprise_id is None:
            continue
        dates = [t.closed_on] if t.closed_on else []
        dates += [r.closed_on_before for r in t.reopenings.all() if r.closed_on_before]
        for d in dates:
            ent_tasks[t.problem.enterprise_id].append((t, d))
    if not ent_tasks:
        return
    places = {
        pk: (float(lat or 0), float(lon or 0))
        for pk, lat, lon in Enterprise.objects.filter(pk__in=list(ent_tasks), lat__isnull=False, lon__isnull=False).values_list(
            "pk", "lat", "lon"
        )
    }
    seen: set[tuple[Any, Any]] = set()
    # Complaints naming the enterprise …
    named = complaint_model._default_manager.filter(polluter_id__in=list(ent_tasks)).values_list(
        "pk", "polluter_id", "received_at"
    )
    hits: list[tuple[Any, Any, Any, str]] = [(cid, ent, received, "named") for cid, ent, received in named]
    # … or filed within the campaign's radius of it (located complaints only; a bounding box first, then the distance).
    distance: dict[tuple[Any, Any], float] = {}
    for ent, (lat, lon) in places.items():
        radius = max(cfg(t.campaign_id).relapse_radius_m for t, _day in ent_tasks[ent])
        dlat = radius / 111_000
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        near = complaint_model._default_manager.filter(
            lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon)
        ).values_list("pk", "lat", "lon", "received_at")
        for cid, clat, clon, received in near:
            metres = _metres(lat, lon, clat, clon)
            if metres <= radius:
                distance[(cid, ent)] = metres
                hits.append((cid, ent, received, "near"))
    for cid, ent, received, how in hits:
        day = timezone.localtime(received).date()
        for t, closed_day in ent_tasks[ent]:
            th = cfg(t.campaign_id)
            if (t.pk, cid) in seen or not closed_day < day <= closed_day + dt.timedelta(days=th.relapse_days):
                continue
            if how == "near" and distance[(cid, ent)] > th.relapse_radius_m:
                continue
            seen.add((t.pk, cid))
            kind = FlagKind.CONTRADICTED_STATUS if t.closure_claim else FlagKind.RELAPSE
            where = (
                _("about the same enterprise")
                if how == "named"
                else _("within %(m)s m of the enterprise") % {"m": th.relapse_radius_m}
            )
            text = (
                _("Closed as “%(claim)s” on %(closed)s; a public complaint %(where)s followed on %(day)s.")
                if t.closure_claim
                else _("A public complaint %(where)s was received %(day)s, after this task closed on %(closed)s.")
            )
            params = {"claim": t.get_closure_claim_display(), "closed": f"{closed_day:%Y-%m-%d}", "day": f"{day:%Y-%m-%d}"}
            yield Candidate(
                t.pk, kind, f"complaint:{cid}", text % {**params, "where": where}, {"complaint": str(cid), "match": how}
            )


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def _similar_texts(tasks: dict[Any, Task], cfg: Config) -> Iterable[Candidate]:
    closed = [t for t in tasks.values() if t.verification_conclusion and len(t.verification_conclusion) >= SIMILAR_TEXT_MIN_LEN]
    closed = closed[:SIMILAR_TEXT_MAX_TASKS]
    for i, a in enumerate(closed):
        for b in closed[i + 1 :]:
            if a.lead_unit_id == b.lead_unit_id:
                continue
            limit = min(cfg(a.campaign_id).similar_ratio, cfg(b.campaign_id).similar_ratio)
            sm = difflib.SequenceMatcher(None, a.verification_conclusion, b.verification_conclusion)
            if sm.real_quick_ratio() < limit or sm.quick_ratio() < limit:
                continue
            ratio = sm.ratio()
            if ratio >= limit:
                for x, y in ((a, b), (b, a)):
                    if ratio < cfg(x.campaign_id).similar_ratio:
                        continue
                    yield Candidate(
                        x.pk,
                        FlagKind.SIMILAR_CLOSURE_TEXT,
                        str(y.pk),
                        _("The acceptance conclusion is %(pct)s%% identical to task %(no)s of another unit (%(unit)s).")
                        % {"pct": round(ratio * 100), "no": y.number, "unit": y.lead_unit},
                        {"other_task": str(y.pk), "ratio": round(ratio, 3)},
                    )


RULES = (_reused_evidence, _evidence_timing, _bunched, _notice, _closure_checks, _similar_texts)


def compute_flags(campaign: Any = None) -> dict[str, int]:
    """Evaluate every rule; create the flags not seen before. Returns new flags per kind."""
    from inspectorate.campaigns.models import Campaign

    from .fakecheck_units import UNIT_RULES

    qs = Task.objects.select_related("campaign", "problem", "lead_unit").prefetch_related("reopenings")
    campaigns = list(Campaign.objects.filter(pk=campaign.pk) if campaign is not None else Campaign.objects.all())
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    tasks = {t.pk: t for t in qs}
    cfg = Config([*(t.campaign_id for t in tasks.values()), *(c.pk for c in campaigns)])
    candidates: dict[tuple[Any, str, str], Candidate] = {}
    # Explanations are stored text: write them in the site's language, whoever runs the computation.
    with translation.override(settings.LANGUAGE_CODE):
        for rule in RULES:
            for c in rule(tasks, cfg):
                candidates.setdefault((c.task_id, c.kind, c.key), c)
        for unit_rule in UNIT_RULES:
            for c in unit_rule(campaigns, cfg):
                ident = (c.task_id, c.kind, c.key) if c.task_id else (f"campaign:{c.campaign_id}", c.kind, c.key)
                candidates.setdefault(ident, c)
    existing: set[tuple[Any, str, str]] = set(Flag.objects.filter(task_id__in=list(tasks)).values_list("task_id", "kind", "key"))
    existing |= {
        (f"campaign:{cid}", kind, key)
        for cid, kind, key in Flag.objects.filter(task__isnull=True, campaign__in=campaigns).values_list(
            "campaign_id", "kind", "key"
        )
    }
    new = [
        Flag(
            task_id=c.task_id,
            campaign_id=tasks[c.task_id].campaign_id if c.task_id in tasks else c.campaign_id,
            unit_id=c.unit_id,
            kind=c.kind,
            key=c.key,
            explanation=c.explanation,
            detail=_jsonable(c.detail),
        )
        for k, c in candidates.items()
        if k not in existing and (c.task_id is None or c.task_id in tasks)
    ]
    with transaction.atomic():
        Flag.objects.bulk_create(new, ignore_conflicts=True)
    counts: dict[str, int] = defaultdict(int)
    for f in new:
        counts[f.kind] += 1
    return dict(counts)


def _jsonable(detail: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in detail.items()}
