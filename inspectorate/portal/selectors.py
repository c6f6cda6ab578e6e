"""What the public portal reads: campaigns, published tables, published plans, notices, the public bulletin line.

Everything here is public by construction: no reporter data, no unpublished table, no complaint text, no unpublished plan.

The public bulletin line is computed from the PUBLISHED disclosure tables only (the latest published version of each
batch as of the day), never from the staff bulletin (`complaints.bulletin`), which counts complaints still being
screened, replies not yet published and penalty figures that are not in the published tables. So its figures are the
ones a reader can check row by row in the published tables: batches, cases, verdicts and the handling status. The
history is the same line as of each day on which a table of the campaign was published.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from inspectorate.campaigns.models import Campaign
from inspectorate.complaints.bulletin import SHANGHAI, end_of
from inspectorate.complaints.models import DisclosureTable, ResultStatus, Verdict
from inspectorate.complaints.selectors import published_tables
from inspectorate.rectification.models import Plan, PlanStatus, SignOffStep, Task


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns whose stationing has begun (announced to the public); newest first."""
    today = timezone.localdate()
    return Campaign.objects.filter(stationing_start__lte=today).select_related("team").order_by("-stationing_start", "code")


def split_current_past(campaigns: Any) -> tuple[list[Campaign], list[Campaign]]:
    """Stationed now (taking reports) and the rest (stationing over)."""
    today = timezone.localdate()
    current = [c for c in campaigns if c.stationing_end >= today]
    past = [c for c in campaigns if c.stationing_end < today]
    return current, past


def team_of(campaign: Campaign) -> Any:
    """The campaign's team (hotline, hours, PO box), or None when no team is recorded."""
    return getattr(campaign, "team", None)


@dataclass
class PublicLine:
    as_of: dt.date
    batches: int = 0
    cases: int = 0
    closed: int = 0
    staged_closed: int = 0
    open: int = 0
    substantiated: int = 0  # true, basically true or partly true
    verdicts: dict[str, int] = field(default_factory=dict)


def _latest_versions(tables: list[DisclosureTable], end: dt.datetime) -> list[DisclosureTable]:
    latest: dict[Any, DisclosureTable] = {}
    for t in tables:
        if t.published_at is None or t.published_at >= end:
            continue
        if t.batch_id not in latest or latest[t.batch_id].version < t.version:
            latest[t.batch_id] = t
    return list(latest.values())


def _line(tables: list[DisclosureTable], as_of: dt.date) -> PublicLine:
    line = PublicLine(as_of=as_of)
    statuses: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    for t in _latest_versions(tables, end_of(as_of)):
        line.batches += 1
        for row in t.rows:
            line.cases += 1
            statuses[row.get("status") or ResultStatus.OPEN] += 1
            if row.get("verdict"):
                verdicts[row["verdict"]] += 1
    line.closed = statuses[ResultStatus.CLOSED]
    line.staged_closed = statuses[ResultStatus.STAGED_CLOSED]
    line.open = line.cases - line.closed - line.staged_closed
    line.verdicts = dict(verdicts)
    line.substantiated = sum(verdicts[v] for v in (Verdict.TRUE, Verdict.BASICALLY_TRUE, Verdict.PARTLY_TRUE))
    return line


def public_bulletin(campaign: Campaign) -> tuple[PublicLine | None, list[PublicLine]]:
    """Today's public line and its history (as of each publication day, newest first); None before any publication."""
    tables = list(published_tables().filter(batch__campaign=campaign).order_by("published_at"))
    if not tables:
        return None, []
    days = sorted({t.published_at.astimezone(SHANGHAI).date() for t in tables if t.published_at}, reverse=True)
    history = [_line(tables, d) for d in days]
    return _line(tables, timezone.localdate()), history


def campaign_tables(campaign: Campaign) -> QuerySet[DisclosureTable]:
    return published_tables().filter(batch__campaign=campaign).order_by("-batch__number", "-version")


def published_plans(campaign: Campaign) -> QuerySet[Plan]:
    return Plan.objects.filter(campaign=campaign, status=PlanStatus.PUBLISHED).select_related("target").order_by("-published_at")


def notices_under_way(campaign: Campaign | None = None) -> QuerySet[Task]:
    today = timezone.localdate()
    qs = Task.objects.filter(signoff_step=SignOffStep.UNDER_NOTICE, notice_end__gte=today)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.select_related("lead_unit", "campaign", "problem").order_by("notice_end", "sort_key")


@dataclass
class ProblemProgress:
    number: str
    title: str
    tasks: int = 0
    done: int = 0
    progress_sum: int = 0

    @property
    def progress(self) -> int:
        """The mean of the tasks' reported progress; a task filed through sign-off counts as 100."""
        return round(self.progress_sum / self.tasks) if self.tasks else 0


def problem_progress(plan: Plan) -> list[ProblemProgress]:
    """Each problem of a published plan with its tasks' progress (the tasks the public plan page lists)."""
    from inspectorate.rectification.public import public_plan_tasks

    out: dict[Any, ProblemProgress] = {}
    for t in public_plan_tasks(plan):
        p = out.setdefault(t.problem_id, ProblemProgress(number=t.problem.number, title=t.problem.title))
        p.tasks += 1
        if t.filed_through_signoff:
            p.done += 1
            p.progress_sum += 100
        else:
            p.progress_sum += min(int(t.progress or 0), 100)
    return list(out.values())
