"""Dashboard cards for rectification (counted within the user's scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.reports.dashboard import Card

from .models import FlagStatus, TaskStatus
from .schedule import filter_schedule
from .selectors import flags_for


def cards(user: Any) -> list[Card]:
    from inspectorate.accounts.scoping import restrict

    from .models import Task, TaskWarning

    qs = restrict(Task.objects.all(), user, "view")
    counts = qs.aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status=TaskStatus.CLOSED)))
    overdue = filter_schedule(qs, "overdue", timezone.localdate()).count()
    url = reverse("rectification:ledger")
    return [
        Card(_("Ledger tasks"), counts["total"], url, _("%(n)s closed") % {"n": counts["closed"]}),
        Card(_("Overdue tasks"), overdue, url + "?overdue=true"),
        Card(_("Open flags"), flags_for(user).filter(status=FlagStatus.OPEN).count(), reverse("rectification:flags")),
        Card(_("Ledger warnings (red)"), restrict(TaskWarning.objects.filter(level="red"), user, "view").count(), url),
    ]
