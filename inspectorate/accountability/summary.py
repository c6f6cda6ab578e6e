"""The accountability summary by rank and measure (DOMAIN.md §4.5, §6.2), and the bulletin's two person counts.

A person is (name with its spaces normalised, unit). Counting rules:
- "held accountable" counts distinct persons: one person with several measures, or in several issues, counts once;
- each measure column counts the distinct persons who received that measure (so the columns may add up to more
  than the persons: a person admonished and sanctioned appears in both columns, once in the total);
- a rank row counts the distinct persons recorded at that rank;
- "person-times" (人次) counts the records themselves, as some bulletins do (DOMAIN.md §6.3, Qinghai).

Bulletin (complaints.bulletin) figures, per campaign, as of a day:
- interviewed: distinct persons named in the campaign's interviews held on or before the day (the count
  discloses no name, so disclosure of the interview itself is not required);
- held_accountable: distinct persons in the records of the campaign's PUBLISHED issues, published on or before the
  day (undisclosed discipline matters are never counted in a published line, DOMAIN.md §10).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .models import AccountabilityRecord, InterviewPerson, IssueStatus, Measure, Rank


def person_key(name: str, unit_id: Any) -> tuple[str, str]:
    return (" ".join(name.split()), str(unit_id))


@dataclass
class SummaryRow:
    rank: str
    label: str
    persons: int = 0
    person_times: int = 0
    by_measure: dict[str, int] = field(default_factory=dict)


@dataclass
class Summary:
    rows: list[SummaryRow]
    total: SummaryRow
    measures: list[tuple[str, str]]


def summarise(records: Iterable[tuple[str, Any, str, str]]) -> Summary:
    """From (person_name, unit_id, rank, measure) tuples, the table by rank (rows) and measure (columns)."""
    persons: dict[str, set[tuple[str, str]]] = {}
    cells: dict[tuple[str, str], set[tuple[str, str]]] = {}
    times: dict[str, int] = {}
    for name, unit_id, rank, measure in records:
        key = person_key(name, unit_id)
        for r in (rank, ""):
            persons.setdefault(r, set()).add(key)
            cells.setdefault((r, measure), set()).add(key)
            times[r] = times.get(r, 0) + 1
    measures = [(str(m.value), str(m.label)) for m in Measure]

    def row(rank: str, label: str) -> SummaryRow:
        return SummaryRow(
            rank=rank,
            label=label,
            persons=len(persons.get(rank, ())),
            person_times=times.get(rank, 0),
            by_measure={m: len(cells.get((rank, m), ())) for m, _label in measures},
        )

    return Summary(rows=[row(str(r.value), str(r.label)) for r in Rank], total=row("", ""), measures=measures)


def summary_for(records: Any) -> Summary:
    """The summary of a (scoped) record queryset."""
    return summarise(records.values_list("person_name", "unit_id", "rank", "measure"))


def _published_records(campaigns: Any, as_of: dt.date, region: Any = None) -> Any:
    qs = AccountabilityRecord.objects.filter(
        issue__campaign__in=campaigns, issue__status=IssueStatus.PUBLISHED, issue__published_on__lte=as_of
    )
    if region is not None:
        qs = qs.filter(unit__path__startswith=region.path)
    return qs


def held_accountable(campaigns: Any, as_of: dt.date, region: Any = None) -> int | None:
    """Distinct persons held accountable in published records, or None while the campaigns have none."""
    if not _published_records(campaigns, as_of).exists():
        return None
    rows = _published_records(campaigns, as_of, region).values_list("person_name", "unit_id")
    return len({person_key(n, u) for n, u in rows})


def interviewed(campaigns: Any, as_of: dt.date, region: Any = None) -> int | None:
    """Distinct persons interviewed on or before `as_of`, or None while the campaigns have no interview records."""
    base = InterviewPerson.objects.filter(interview__campaign__in=campaigns, interview__interview_date__lte=as_of)
    if not base.exists():
        return None
    if region is not None:
        base = base.filter(unit__path__startswith=region.path)
    return len({person_key(n, u) for n, u in base.values_list("name", "unit_id")})
