"""Triage of a received complaint: classify it, route it, look for its possible duplicates, store its look-up keys.

Intake (`submit_complaint`) validates and stores the complaint with its receipt; triage fills in what the
screeners work from: the suggested pollution types and sector, the jurisdiction and how it was found, the
enterprise named, the possible duplicates (`similar`), the stored duplicate-score features and the `DedupKey`
rows through which later complaints find this one. `triaged_at` says when it was done.

Where triage runs is `settings.INTAKE_TRIAGE`:

* ``"inline"`` (the default, the embedded set-up): in the request, inside the transaction that stores the
  complaint; the audit event `complaint.receive` records the routing with the receipt.
* ``"worker"`` (the production profile, `bin/serve`): intake queues a `triage_complaint` task in the transaction
  that stores the complaint (the database task backend: the task row commits or rolls back with it) and
  answers at once; the task worker triages the complaint and records `complaint.triage`. A burst of intake
  (a hotline system pushing its backlog, a campaign's first morning) is absorbed by the insert alone, and the
  worker keeps the queue in received order.

Either way a complaint is triaged once: `triage` locks its row and does nothing when `triaged_at` is set.
Whatever needs the result before the worker got to it calls `ensure_triaged` (every screening action on the
complaint, so a manual routing is never overwritten) or `triage_pending` (closing a day's intake, the merge
queue, `manage.py triage_pending` after a worker outage).

Duplicates found by a complaint triaged out of order: a complaint still waiting has no keys yet, so a
duplicate triaged before it does not list it; when its own turn comes it finds the other (its keys are stored
by then). The pair is found from one side or the other, as with two requests racing in the inline mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inspectorate import audit
from inspectorate.audit import snapshot

from .. import classify, routing, similarity
from ..models import Complaint

ACTOR = "system:triage"
# The fields triage sets (besides the dedup keys, stored in their own table).
FIELDS = [
    "suggested_types", "suggested_sector", "pollution_types", "sector", "polluter", "jurisdiction", "route_method",
    "similar", "dedup_grams", "dedup_words", "dedup_polluter", "triaged_at",
]  # fmt: skip
AUDITED = ["jurisdiction", "route_method", "pollution_types", "polluter"]


def deferred() -> bool:
    """True when intake leaves triage to the task worker (`settings.INTAKE_TRIAGE == "worker"`)."""
    return getattr(settings, "INTAKE_TRIAGE", "inline") == "worker"


@dataclass(frozen=True)
class Assessment:
    values: dict[str, Any]  # field name -> value, for every name in FIELDS but triaged_at

    def apply(self, complaint: Complaint) -> None:
        for name, value in self.values.items():
            setattr(complaint, name, value)
        complaint.triaged_at = timezone.now()


def assess(
    campaign: Any,
    *,
    text: str,
    lat: float | None,
    lon: float | None,
    address: str,
    polluter_name: str,
    type_hints: list[str],
    received_at: Any,
    exclude: Any = None,
) -> Assessment:
    """What triage sets on a complaint with these attributes (reads only; nothing is written)."""
    suggestion = classify.suggest(f"{text} {polluter_name}")
    route = routing.route(campaign, lat=lat, lon=lon, address=address, polluter_name=polluter_name)
    types = sorted(set(type_hints) | set(suggestion.pollution_types)) if type_hints else suggestion.pollution_types
    enterprise = route.enterprise
    similar = similarity.find_similar(
        campaign, text, lat=lat, lon=lon, polluter_name=polluter_name, enterprise=enterprise.pk if enterprise else None,
        types=types, at=received_at, exclude=exclude,
    )  # fmt: skip
    return Assessment(
        {
            "suggested_types": suggestion.pollution_types,
            "suggested_sector": suggestion.sector,
            "pollution_types": types,
            "sector": suggestion.sector or (enterprise.sector if enterprise else ""),
            "polluter": enterprise,
            "jurisdiction": route.unit,
            "route_method": route.method,
            "similar": [[i, s] for i, s in similar],
            **similarity.stored_features(text, polluter_name),  # what its duplicate score needs, for every process
        }
    )


def lock(complaint_id: Any) -> Complaint | None:
    """The complaint, its row locked until the transaction ends; its campaign is read, not locked (`of=self`):
    intake's inserts take a key-share lock on the campaign row at commit, and a campaign locked here while this
    transaction waits for the audit chain's head (held by such an insert) would deadlock the two."""
    return Complaint.objects.select_for_update(of=("self",)).select_related("campaign").filter(pk=complaint_id).first()


def triage(complaint_id: Any) -> bool:
    """Triage one stored complaint unless that was done already; True when this call did it."""
    with transaction.atomic():
        c = lock(complaint_id)
        if c is None or c.triaged_at is not None:
            return False
        assess(
            c.campaign, text=c.text, lat=c.lat, lon=c.lon, address=c.address, polluter_name=c.polluter_name,
            type_hints=list(c.type_hints or ()), received_at=c.received_at, exclude=c.pk,
        ).apply(c)  # fmt: skip
        c.save(update_fields=FIELDS)
        similarity.index_add(c, new=True)
        audit.record(ACTOR, "complaint.triage", c, after={**snapshot(c, AUDITED), "similar": len(c.similar)})
    return True


def ensure_triaged(complaint: Complaint) -> Complaint:
    """The complaint, triaged now if the worker has not done it yet (its fields refreshed in place)."""
    if complaint.triaged_at is None:
        triage(complaint.pk)  # or the worker was quicker: either way the row now holds the result
        complaint.refresh_from_db(fields=FIELDS)
    return complaint


def pending(campaign: Any = None) -> Any:
    """The complaints not triaged yet (of one campaign), oldest first."""
    qs = Complaint.objects.filter(triaged_at__isnull=True)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("received_at", "pk")


def triage_pending(campaign: Any = None, *, up_to: Any = None, limit: int | None = None) -> int:
    """Triage what is still waiting (of one campaign, received on intake days up to `up_to`), oldest first;
    returns how many this call triaged."""
    qs = pending(campaign)
    if up_to is not None:
        qs = qs.filter(intake_day__lte=up_to)
    ids = list(qs.values_list("pk", flat=True)[:limit] if limit else qs.values_list("pk", flat=True))
    return sum(1 for pk in ids if triage(pk))


def queue(complaint: Complaint) -> None:
    """Queue the complaint's triage for the task worker (inside the transaction that stores it)."""
    from ..tasks import triage_complaint

    triage_complaint.enqueue(str(complaint.pk))
