"""Scoped reads for interviews and accountability: one line of `restrict` each, plus the target's narrower view.

Issues: `accountability.view` (the campaign's team, the discipline body) reaches every issue of its scope; plain
`view` (the target's liaison office, auditors of the target) reaches an issue only once it is transferred
(`TARGET_VISIBLE`), and the serializers and pages leave out its suggested people. Records: `accountability.view`
reaches all of them; plain `view` only those of published issues. The public reads `published_*` (portal).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from inspectorate.accounts.scoping import restrict

from .models import AccountabilityIssue, AccountabilityRecord, Interview, IssueStatus
from .models.issues import TARGET_VISIBLE


def interviews_for(user: Any, action: str = "view") -> QuerySet[Interview]:
    return restrict(Interview.objects.select_related("campaign"), user, action).prefetch_related("units", "persons__unit")


def _issue_base() -> QuerySet[AccountabilityIssue]:
    return AccountabilityIssue.objects.select_related("campaign").prefetch_related("responsible_units")


def full_issue_ids(user: Any) -> Any:
    """Issues whose drafts (suggested people) the user may read."""
    return restrict(AccountabilityIssue.objects.all(), user, "accountability.view").values("pk")


def issues_for(user: Any, action: str = "view") -> QuerySet[AccountabilityIssue]:
    if action != "view":
        return restrict(_issue_base(), user, action)
    handed = restrict(AccountabilityIssue.objects.filter(status__in=TARGET_VISIBLE), user, "view").values("pk")
    return _issue_base().filter(Q(pk__in=full_issue_ids(user)) | Q(pk__in=handed))


def records_for(user: Any, action: str = "view") -> QuerySet[AccountabilityRecord]:
    base = AccountabilityRecord.objects.select_related("issue", "issue__campaign", "unit")
    if action != "view":
        return restrict(base, user, action)
    full = restrict(AccountabilityRecord.objects.all(), user, "accountability.view").values("pk")
    published = restrict(AccountabilityRecord.objects.filter(issue__status=IssueStatus.PUBLISHED), user, "view").values("pk")
    return base.filter(Q(pk__in=full) | Q(pk__in=published))


def published_interviews(campaign: Any) -> QuerySet[Interview]:
    """Public: the campaign's disclosed interviews."""
    return Interview.objects.filter(campaign=campaign, published=True).prefetch_related("units", "persons__unit")


def published_issues(campaign: Any) -> QuerySet[AccountabilityIssue]:
    """Public: the campaign's published accountability issues with their records."""
    return (
        AccountabilityIssue.objects.filter(campaign=campaign, status=IssueStatus.PUBLISHED)
        .prefetch_related("responsible_units", "records__unit")
        .order_by("number")
    )


def published_records(campaign: Any) -> QuerySet[AccountabilityRecord]:
    return AccountabilityRecord.objects.filter(issue__campaign=campaign, issue__status=IssueStatus.PUBLISHED)
