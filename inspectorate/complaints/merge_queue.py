"""The screeners' merge queue: clusters of likely duplicates per intake day, with their evidence.

A cluster is computed from the database on every request (nothing is kept in a process):

1. The day's complaints of the campaign (``intake_day``, the daily cut-off's day; invalid ones left out),
   as the reader may screen them (`restrict(…, "complaints.screen")`), and their look-up keys from
   `DedupKey` (written at intake by `dedup_store`: text bands, polluter key, registry enterprise, ~1 km cell).
2. Candidate pairs: two complaints sharing a key (for cells: one's cell among the other's eight neighbours);
   every pair is on the same day, so the time window holds.
3. Each candidate pair is scored with `dedup_score.score` (the formula is explained there); pairs at or above
   `dedup_score.THRESHOLD` are linked, and so is every merged complaint with its primary (``duplicate_of``).
4. Clusters are the connected groups of two or more.  A cluster's id is its first member (by time received).

Evidence of a pair (`Evidence`): which signals agreed — text (character or word similarity ≥ `TEXT_AGREES`),
polluter (the same registry enterprise or polluter key, or one named in the other's text), place (within
`dedup_score.NEAR_KM` … the ramp's positive half, i.e. closer than 1.75 km), time (within the window) — the
distance in metres, the shared canonical words, and the score.

A cluster is *open* while it has two or more heads (members that are not duplicates) of which one can still be
merged (`mergeable`); merging picks one head as the primary and turns the others into its duplicates
(`actions.merge_cluster`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from inspectorate.accounts.scoping import restrict

from . import dedup_keys, dedup_score, dedup_store
from .models import CaseStatus, Complaint, ComplaintStatus, DedupKey

__all__ = ["Cluster", "Evidence", "cluster_of", "clusters", "days", "mergeable", "untriaged"]

TEXT_AGREES = 0.3
OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.SCREENED)
MAX_DAY = 5000  # complaints of one day compared at most (a national hotline's busiest day is about 3,000)


@dataclass(frozen=True)
class Evidence:
    a: str
    b: str
    score: float
    text: bool
    polluter: bool
    place: bool
    time: bool
    metres: int | None
    shared_words: tuple[str, ...]
    char_similarity: float
    word_similarity: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "score": self.score,
            "signals": {"text": self.text, "polluter": self.polluter, "place": self.place, "time": self.time},
            "metres": self.metres,
            "shared_words": list(self.shared_words),
            "char_similarity": self.char_similarity,
            "word_similarity": self.word_similarity,
        }


@dataclass
class Cluster:
    id: str
    members: list[Complaint]
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def heads(self) -> list[Complaint]:
        return [m for m in self.members if m.status != ComplaintStatus.DUPLICATE]

    @property
    def duplicates(self) -> list[Complaint]:
        return [m for m in self.members if m.status == ComplaintStatus.DUPLICATE]

    @property
    def is_open(self) -> bool:
        heads = self.heads
        return len(heads) >= 2 and any(mergeable(m) for m in heads)

    def signals(self) -> dict[str, bool]:
        """Which signals agreed on at least one linked pair."""
        return {k: any(getattr(e, k) for e in self.evidence) for k in ("text", "polluter", "place", "time")}


def mergeable(c: Complaint) -> bool:
    """A complaint that can still become a duplicate: not decided yet, or accepted into its own case not yet batched."""
    if c.status in OPEN_STATUSES:
        return True
    if c.status != ComplaintStatus.ACCEPTED or c.case_id is None:
        return False
    case = c.case
    return case is not None and case.origin_id == c.pk and case.batch_id is None and case.status != CaseStatus.MERGED


def _screenable(user: Any, campaign: Any) -> QuerySet[Complaint]:
    return restrict(Complaint.objects.select_related("case", "jurisdiction"), user, "complaints.screen").filter(campaign=campaign)


def days(user: Any, campaign: Any) -> list[tuple[dt.date, int]]:
    """The campaign's intake days with the number of complaints on each, latest first."""
    rows = (
        _screenable(user, campaign)
        .exclude(status=ComplaintStatus.INVALID)
        .order_by()
        .values("intake_day")
        .annotate(n=Count("pk"))
        .order_by("-intake_day")
    )
    return [(r["intake_day"], r["n"]) for r in rows]


def untriaged(user: Any, campaign: Any, day: dt.date) -> int:
    """How many of the day's complaints are still waiting for triage (they have no keys yet, so no cluster)."""
    return _screenable(user, campaign).filter(intake_day=day, triaged_at__isnull=True).count()


def evidence(a: Complaint, b: Complaint, fa: dedup_score.Features, fb: dedup_score.Features) -> Evidence:
    sig = dedup_score.signals(fa, fb)
    km = sig.get("km")
    return Evidence(
        a=str(a.pk),
        b=str(b.pk),
        score=round(dedup_score.score(fa, fb), 3),
        text=max(sig["J"], sig["W"]) >= TEXT_AGREES,
        polluter=sig.get("P", 0.0) > 0,
        place=sig.get("L", 0.0) > 0,
        time=sig.get("D", 0.0) > 0,
        metres=None if km is None else round(km * 1000),
        shared_words=tuple(sorted(fa.words & fb.words)),
        char_similarity=round(sig["J"], 3),
        word_similarity=round(sig["W"], 3),
    )


def _query_keys(c: Complaint) -> set[tuple[str, int]]:
    return {("c", dedup_keys.key64("c", dedup_keys.cell_name(cell))) for cell in dedup_keys.cells_around(c.lat, c.lon)}


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _group(members: dict[str, Complaint], links: Iterable[tuple[str, str]]) -> list[list[str]]:
    parent = {k: k for k in members}
    for a, b in links:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for k in members:
        groups[_find(parent, k)].append(k)
    return [g for g in groups.values() if len(g) >= 2]


def clusters(user: Any, campaign: Any, day: dt.date) -> list[Cluster]:
    """The day's clusters as `user` may screen them: open ones first, then by size and time."""
    qs = _screenable(user, campaign).filter(intake_day=day).exclude(status=ComplaintStatus.INVALID)
    found = list(qs.order_by("received_at", "pk")[:MAX_DAY])
    members = {str(c.pk): c for c in found}
    # Primaries of the day's duplicates received on an earlier day belong to the cluster too.
    outside = {str(c.duplicate_of_id) for c in found if c.duplicate_of_id and str(c.duplicate_of_id) not in members}
    if outside:
        for c in _screenable(user, campaign).filter(pk__in=outside):
            members[str(c.pk)] = c
    keyed: dict[tuple[str, int], set[str]] = defaultdict(set)
    own: dict[str, set[tuple[str, int]]] = defaultdict(set)
    rows = DedupKey.objects.filter(complaint_id__in=list(members)).values_list("complaint_id", "kind", "key")
    for raw_id, kind, key in rows:
        keyed[(kind, key)].add(str(raw_id))
        own[str(raw_id)].add((kind, key))
    pairs: set[tuple[str, str]] = set()
    for cid, c in members.items():
        for k in own[cid] | _query_keys(c):
            for other in keyed.get(k, ()):
                if other != cid:
                    pairs.add((cid, other) if cid < other else (other, cid))
    feats = {cid: dedup_store.complaint_features(c) for cid, c in members.items()}
    linked: dict[tuple[str, str], Evidence] = {}
    for a, b in sorted(pairs):
        ev = evidence(members[a], members[b], feats[a], feats[b])
        if ev.score >= dedup_score.THRESHOLD:
            linked[(a, b)] = ev
    for cid, c in members.items():
        p = str(c.duplicate_of_id) if c.duplicate_of_id else ""
        pair = (cid, p) if cid < p else (p, cid)
        if p in members and pair not in linked:
            linked[pair] = evidence(members[pair[0]], members[pair[1]], feats[pair[0]], feats[pair[1]])
    out = []
    for group in _group(members, linked):
        ms = sorted((members[g] for g in group), key=lambda c: (c.received_at, str(c.pk)))
        ids = {str(m.pk) for m in ms}
        found_ev = sorted((e for (a, b), e in linked.items() if a in ids and b in ids), key=lambda e: -e.score)
        out.append(Cluster(id=str(ms[0].pk), members=ms, evidence=found_ev))
    out.sort(key=lambda cl: (not cl.is_open, -len(cl.members), cl.members[0].received_at, cl.id))
    return out


def open_counts(user: Any, campaign: Any, day_list: Iterable[dt.date]) -> dict[dt.date, int]:
    """The number of open clusters on each of the given days."""
    return {d: sum(1 for cl in clusters(user, campaign, d) if cl.is_open) for d in day_list}


def cluster_of(user: Any, campaign: Any, day: dt.date, member: Any) -> Cluster | None:
    """The day's cluster that holds the complaint `member` (an id), or None."""
    ref = str(member)
    return next((cl for cl in clusters(user, campaign, day) if any(str(m.pk) == ref for m in cl.members)), None)
