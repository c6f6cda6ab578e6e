"""Home dashboard cards. Each provider takes the user and returns cards counted within the user's scope.

Apps add providers to `PROVIDERS` (dotted paths) so the dashboard grows with them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


@dataclass
class Card:
    label: str
    value: int | str
    url: str = ""
    hint: str = ""  # a second line of text, shown as is (translate it)
    tone: str = ""  # "red" | "yellow" | "blue": the warning colour of the card


PROVIDERS: list[str] = [
    "inspectorate.reports.dashboard.foundation_cards",
    "inspectorate.complaints.dashboard.complaint_cards",
    "inspectorate.rectification.dashboard.cards",
]


def foundation_cards(user: Any) -> list[Card]:
    from django.urls import reverse

    from inspectorate.campaigns.models import Campaign
    from inspectorate.campaigns.selectors import campaigns_for
    from inspectorate.orgs.selectors import enterprises_for, units_for

    dates = ("stationing_start", "stationing_end", "pre_notice_date", "descent_start", "feedback_date", "plan_due", "archived_on")
    campaigns = list(Campaign.objects.filter(pk__in=campaigns_for(user).values("pk")).only("id", *dates))
    stages: Counter[str] = Counter(str(c.stage().value) for c in campaigns)
    stationed = stages.get("stationed", 0) + stages.get("field_descent", 0)
    return [
        Card(_("Campaigns in scope"), len(campaigns), reverse("campaigns:list")),
        Card(_("Teams stationed now"), stationed, reverse("campaigns:list")),
        Card(_("In rectification"), stages.get("rectifying", 0) + stages.get("feedback_given", 0), reverse("campaigns:list")),
        Card(_("Org units in scope"), units_for(user).count(), reverse("orgs:units")),
        Card(_("Regulated enterprises"), enterprises_for(user).count(), reverse("orgs:enterprises")),
    ]


def cards_for(user: Any) -> list[Card]:
    out: list[Card] = []
    for dotted in PROVIDERS:
        out.extend(import_string(dotted)(user))
    return out
