"""Figures and links that contradict themselves, found across the apps (`manage.py check_data`).

Each check returns `Contradiction`s; none of them changes data. What counts as a contradiction:

* problem_case        a problem's complaint case is missing (a number that resolves to no case of the campaign,
                      or a complaint-sourced problem with no case at all), belongs to another campaign, or lies
                      outside the problem's responsible unit; a "substantiated violation" whose case was found untrue
* verdict             a reply finds the complaint untrue yet orders, penalises, opens criminal cases or detains,
                      without an explanation, or without the reviewer's flag
* published_row       a published disclosure row with an "untrue" verdict and sanctions, and no explanation
* bulletin            a bulletin whose parts exceed their whole (see complaints.bulletin.inconsistencies)
* signoff             a task at a sign-off step without the earlier steps' records, in the wrong order, closed
                      without being filed, or applied, verified and signed by the same person
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.bulletin import SHANGHAI, bulletin, inconsistencies
from inspectorate.complaints.models import (
    SANCTION_FIELDS,
    Case,
    CaseStatus,
    DisclosureTable,
    HandlingResult,
    Verdict,
    verdict_conflicts,
)
from inspectorate.rectification.actions.problems import case_link_error
from inspectorate.rectification.models import Problem, SignOffStep, Source, Task, TaskStatus

KINDS = ("problem_case", "verdict", "published_row", "bulletin", "signoff")
SANCTION_WORDS = ("责令整改", "立案处罚", "罚款", "立案侦查", "拘留")


@dataclass(frozen=True)
class Contradiction:
    kind: str
    campaign: str
    ref: str  # the object as people name it: problem 6, case D2HN…, task 6.1, batch 2
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"[{self.kind}] {self.campaign} {self.ref}: {self.message}"


def find(campaigns: Iterable[Campaign] | None = None, *, as_of: dt.date | None = None) -> list[Contradiction]:
    """Every contradiction in the given campaigns (all when None), bulletins computed as of `as_of` (today)."""
    selected = list(campaigns) if campaigns is not None else list(Campaign.objects.order_by("code"))
    as_of = as_of or timezone.localdate()
    found: list[Contradiction] = []
    for check in (problem_cases, verdicts, published_rows, signoffs):
        found.extend(check(selected))
    found.extend(bulletins(selected, as_of))
    return found


def problem_cases(campaigns: list[Campaign]) -> Iterator[Contradiction]:
    problems = (
        Problem.objects.filter(campaign__in=campaigns)
        .select_related("campaign", "unit", "origin_case__campaign", "origin_case__region")
        .select_related("origin_case__lead_unit", "origin_case__handler_unit")
        .prefetch_related("origin_case__co_units")
        .order_by("campaign__code", "sort_key")
    )
    for p in problems:
        ref = _("problem %(n)s") % {"n": p.number}
        case = p.origin_case
        if case is None:
            if p.origin_case_number:
                yield Contradiction(
                    "problem_case",
                    p.campaign.code,
                    ref,
                    _("case number %(number)s matches no case of this campaign.") % {"number": p.origin_case_number},
                )
            elif p.source == Source.COMPLAINT_CASE:
                yield Contradiction("problem_case", p.campaign.code, ref, _("comes from a complaint case but links none."))
            continue
        error = case_link_error(p, case)
        if error:
            yield Contradiction("problem_case", p.campaign.code, ref, error)
        if p.origin_case_number and p.origin_case_number != case.number:
            yield Contradiction(
                "problem_case",
                p.campaign.code,
                ref,
                _("cites case %(cited)s but links case %(linked)s.") % {"cited": p.origin_case_number, "linked": case.number},
            )
        if p.is_violation and case.verdict == Verdict.UNTRUE:
            yield Contradiction(
                "problem_case",
                p.campaign.code,
                ref,
                _("is marked a substantiated violation, but its case %(case)s was found untrue.") % {"case": case.number},
            )


def verdicts(campaigns: list[Campaign]) -> Iterator[Contradiction]:
    results = (
        HandlingResult.objects.filter(case__campaign__in=campaigns, verdict=Verdict.UNTRUE)
        .annotate(n_penalties=Count("penalties"))
        .select_related("case__campaign")
        .order_by("case__campaign__code", "case__number", "version")
    )
    for r in results:
        conflicts = verdict_conflicts(r.verdict, {k: getattr(r, k) for k in SANCTION_FIELDS}, penalties=r.n_penalties)
        if not conflicts:
            continue
        ref = _("case %(case)s reply v%(v)s") % {"case": r.case.number, "v": r.version}
        if not r.explanation.strip():
            yield Contradiction(
                "verdict",
                r.case.campaign.code,
                ref,
                _("an “untrue” verdict with %(what)s and no explanation.") % {"what": ", ".join(conflicts)},
            )
        if not r.verdict_conflict:
            yield Contradiction(
                "verdict", r.case.campaign.code, ref, _("an “untrue” verdict with sanctions is not flagged for the reviewer.")
            )


def published_rows(campaigns: list[Campaign]) -> Iterator[Contradiction]:
    tables = (
        DisclosureTable.objects.filter(batch__campaign__in=campaigns, status=DisclosureTable.Status.PUBLISHED)
        .select_related("batch__campaign")
        .order_by("batch__campaign__code", "batch__number", "version")
    )
    for t in tables:
        for row in t.rows:
            accountability = str(row.get("accountability") or "")
            if row.get("verdict") != Verdict.UNTRUE or not any(w in accountability for w in SANCTION_WORDS):
                continue
            if str(row.get("verdict_note") or "").strip():
                continue
            yield Contradiction(
                "published_row",
                t.batch.campaign.code,
                _("batch %(b)s table v%(v)s, case %(case)s") % {"b": t.batch.number, "v": t.version, "case": row.get("number")},
                _("published as “untrue” with “%(what)s” and no explanation.") % {"what": accountability},
            )


def bulletins(campaigns: list[Campaign], as_of: dt.date) -> Iterator[Contradiction]:
    with_cases = set(
        Case.objects.filter(campaign__in=campaigns).exclude(status=CaseStatus.MERGED).values_list("campaign_id", flat=True)
    )
    for c in campaigns:
        if c.pk not in with_cases:
            continue
        for problem in inconsistencies(bulletin([c], as_of)):
            yield Contradiction("bulletin", c.code, _("bulletin as of %(d)s") % {"d": as_of.isoformat()}, problem)


# The records each sign-off step needs, in the order the steps happen.
STEP_ORDER: list[str] = [
    SignOffStep.ACCEPTANCE_REQUESTED,
    SignOffStep.SITE_VERIFIED,
    SignOffStep.SIGNED,
    SignOffStep.UNDER_NOTICE,
    SignOffStep.FILED,
]
STEP_NEEDS: dict[str, tuple[str, ...]] = {
    SignOffStep.ACCEPTANCE_REQUESTED: ("applied_at",),
    SignOffStep.SITE_VERIFIED: ("verified_at", "verification_conclusion"),
    SignOffStep.SIGNED: ("signed_at",),
    SignOffStep.UNDER_NOTICE: ("notice_start", "notice_end"),
    SignOffStep.FILED: ("closed_on",),
}


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value.astimezone(SHANGHAI).date() if isinstance(value, dt.datetime) else value


def signoffs(campaigns: list[Campaign]) -> Iterator[Contradiction]:
    tasks = (
        Task.objects.filter(campaign__in=campaigns)
        .filter(Q(status=TaskStatus.CLOSED) | Q(signoff_step__in=STEP_ORDER))
        .select_related("campaign")
        .order_by("campaign__code", "sort_key")
    )
    for t in tasks:
        ref = _("task %(n)s") % {"n": t.number}
        code = t.campaign.code
        if t.status == TaskStatus.CLOSED and t.signoff_step != SignOffStep.FILED:
            yield Contradiction(
                "signoff", code, ref, _("closed without being filed (sign-off step: %(s)s).") % {"s": t.signoff_step or "—"}
            )
        reached = STEP_ORDER[: STEP_ORDER.index(t.signoff_step) + 1] if t.signoff_step in STEP_ORDER else STEP_ORDER
        missing = [f for step in reached for f in STEP_NEEDS[step] if not getattr(t, f)]
        if missing:
            yield Contradiction(
                "signoff",
                code,
                ref,
                _("at “%(step)s” without %(fields)s.") % {"step": t.get_signoff_step_display(), "fields": ", ".join(missing)},
            )
        moments = [
            ("applied_at", _day(t.applied_at)),
            ("verified_at", _day(t.verified_at)),
            ("signed_at", _day(t.signed_at)),
            ("notice_start", t.notice_start),
            ("notice_end", t.notice_end),
        ]
        known = [(name, day) for name, day in moments if day is not None]
        for (a, da), (b, db) in itertools.pairwise(known):
            if da > db:  # type: ignore[operator]
                yield Contradiction(
                    "signoff", code, ref, _("%(a)s (%(da)s) comes after %(b)s (%(db)s).") % {"a": a, "da": da, "b": b, "db": db}
                )
        if t.closed_on and t.notice_end and t.closed_on <= t.notice_end:
            yield Contradiction(
                "signoff",
                code,
                ref,
                _("filed on %(c)s, before the notice ended on %(e)s.") % {"c": t.closed_on, "e": t.notice_end},
            )
        people = {"applied_by": t.applied_by_id, "verified_by": t.verified_by_id, "signed_by": t.signed_by_id}
        named = [(k, v) for k, v in people.items() if v is not None]
        for i, (a, pa) in enumerate(named):
            for b, pb in named[i + 1 :]:
                if pa == pb:
                    yield Contradiction("signoff", code, ref, _("%(a)s and %(b)s are the same person.") % {"a": a, "b": b})
