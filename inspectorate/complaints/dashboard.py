"""Dashboard cards for complaints and cases, counted within the user's scope."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.reports.dashboard import Card

from .models import CaseStatus, ComplaintStatus
from .selectors import cases_for, complaints_for

OPEN = [CaseStatus.TRANSFERRED, CaseStatus.DISPATCHED, CaseStatus.RETURNED]


def complaint_cards(user: Any) -> list[Card]:
    cards: list[Card] = []
    if has_role_anywhere(user, "complaints.screen"):
        waiting = complaints_for(user).filter(status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.SCREENED]).count()
        cards.append(Card(_("Complaints to screen"), waiting, reverse("complaints:list") + "?status=received"))
    cases = cases_for(user)
    today = timezone.localdate()
    cards.append(Card(_("Open cases"), cases.filter(status__in=OPEN).count(), reverse("complaints:cases")))
    cards.append(
        Card(
            _("Overdue cases"),
            cases.filter(status__in=OPEN, due_date__lt=today).count(),
            reverse("complaints:cases") + "?overdue=true",
            tone="red",
        )
    )
    return cards
