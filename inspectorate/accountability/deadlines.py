"""Interview report deadlines: yellow when the report is due within N days, red once the due date has passed with
no report. `run()` is idempotent: each warning (interview, level, due date) is recorded once, with an audit event.
Entry point: the daily scheduler job in `periodic.py`. N is the campaign's ledger setting `due_soon_days`
(rectification) when it has one, else 7, so the product warns alike everywhere.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.rectification.models import LedgerSettings

from .actions.interviews import report_warning
from .models import Interview, InterviewStatus, InterviewWarning

DEFAULT_SOON_DAYS = 7


def run(today: dt.date | None = None) -> dict[str, int]:
    with translation.override(settings.LANGUAGE_CODE):
        return _run(today or timezone.localdate())


def _run(today: dt.date) -> dict[str, int]:
    counts = {"yellow": 0, "red": 0}
    soon = dict(LedgerSettings.objects.values_list("campaign_id", "due_soon_days"))
    existing = set(InterviewWarning.objects.values_list("interview_id", "level", "due_date"))
    pending = Interview.objects.filter(status__in=[InterviewStatus.SCHEDULED, InterviewStatus.HELD])
    for interview in pending.filter(report_due__lte=today + dt.timedelta(days=max([DEFAULT_SOON_DAYS, *soon.values()]))):
        level = report_warning(interview, today, soon.get(interview.campaign_id, DEFAULT_SOON_DAYS))
        if not level or (interview.pk, level, interview.report_due) in existing:
            continue
        if level == "red":
            message = _("Interview “%(t)s”: the report due %(d)s has not come in.")
        else:
            message = _("Interview “%(t)s”: the report is due %(d)s.")
        message = message % {"t": interview.title, "d": f"{interview.report_due:%Y-%m-%d}"}
        try:
            with transaction.atomic():
                InterviewWarning.objects.create(
                    interview=interview, level=level, due_date=interview.report_due, message=message, raised_on=today
                )
                audit.record(
                    "system:interview_deadlines",
                    "interview.deadline_warning",
                    interview,
                    after={"level": level, "message": message},
                )
        except IntegrityError:
            continue
        counts[level] += 1
    return counts
