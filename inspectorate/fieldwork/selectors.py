"""Scoped reads. An unannounced visit reaches the target only once it is recorded as done."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from inspectorate.accounts.scoping import restrict

from .models import OWED, InfoRequest, InfoRequestItem, ItemStatus, SiteVisit, Talk, VisitFinding, VisitKind, VisitStatus


def requests_for(user: Any, action: str = "view") -> QuerySet[InfoRequest]:
    now = timezone.now()
    return restrict(
        InfoRequest.objects.select_related("campaign", "target_unit").annotate(
            item_count=Count("items", distinct=True),
            overdue_count=Count("items", filter=Q(items__status__in=OWED, due_at__lt=now), distinct=True),
            refused_count=Count("items", filter=Q(items__status=ItemStatus.REFUSED), distinct=True),
            complete_count=Count("items", filter=Q(items__status=ItemStatus.COMPLETE), distinct=True),
        ),
        user,
        action,
    )


def items_for(user: Any, action: str = "view") -> QuerySet[InfoRequestItem]:
    return restrict(InfoRequestItem.objects.select_related("request", "request__campaign", "department"), user, action)


def obstruction(requests: QuerySet[InfoRequest]) -> dict[str, int]:
    """Overdue items (past due, not delivered) as possible obstruction, and refused items, over `requests`."""
    now = timezone.now()
    items = InfoRequestItem.objects.filter(request__in=requests.values("pk"))
    overdue = items.filter(status__in=OWED, request__due_at__lt=now)
    return {
        "requests": requests.count(),
        "items": items.count(),
        "overdue_items": overdue.count(),
        "overdue_requests": overdue.values("request").distinct().count(),
        "refused_items": items.filter(status=ItemStatus.REFUSED).count(),
    }


def talks_for(user: Any, action: str = "view") -> QuerySet[Talk]:
    return restrict(Talk.objects.select_related("campaign", "unit"), user, action)


def notes_readable(user: Any, talks: QuerySet[Talk]) -> set[Any]:
    """The ids among `talks` whose notes the user may read (the team, the discipline body)."""
    return set(restrict(Talk.objects.filter(pk__in=talks.values("pk")), user, "talks.notes").values_list("pk", flat=True))


def visits_for(user: Any, action: str = "view") -> QuerySet[SiteVisit]:
    qs = restrict(SiteVisit.objects.select_related("campaign", "unit"), user, action)
    team = restrict(SiteVisit.objects.all(), user, "fieldwork.record").values("pk")
    return qs.filter(Q(kind=VisitKind.ANNOUNCED) | Q(status=VisitStatus.DONE) | Q(pk__in=team))


def findings_for(user: Any, action: str = "view") -> QuerySet[VisitFinding]:
    return restrict(VisitFinding.objects.select_related("visit", "case", "problem"), user, action).filter(
        visit__in=visits_for(user).values("pk")
    )
