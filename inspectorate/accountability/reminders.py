"""Reminder e-mails to the responsible contacts (daily jobs in `periodic.py`):

* interviews whose 30-day report is due soon (within the campaign's `due_soon_days`, default 7) or overdue, to
  the liaison offices of the interviewed units (memberships granting `interviews.report` on one of them) and to
  the interviewed leaders who have an account (the leader register's user);
* items of information requests still owed (issued, assigned or returned as incomplete) whose due time is
  within `ITEM_SOON_HOURS` or past, to the coordinator of the requested unit (`info_requests.assign` on it) and,
  once assigned, to the department's people (`info_requests.deliver` on the department).

Idempotent per day: each (object, recipient, day) is recorded in `ReminderMail` before its message leaves, under
a unique constraint, so a second run on the same day sends nothing twice; a message that fails to send is not
recorded (the next run tries again). Each object reminded gets one audit event per run with the count.

Language: the recipient's, when the account carries one (a `language` attribute of "zh-hans" or "en");
otherwise the message is in Chinese with the English text below it.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.models import Membership
from inspectorate.accounts.roles import roles_with
from inspectorate.rectification.models import LedgerSettings

from .actions.interviews import report_warning
from .deadlines import DEFAULT_SOON_DAYS
from .models import Interview, InterviewStatus, ReminderMail, ReminderSubject

ITEM_SOON_HOURS = 24
LANGS = ("zh-hans", "en")
Recipient = tuple[str, Any]  # (address, user)


def language_of(user: Any) -> str:
    """The recipient's language if the account says so, else "" (Chinese with English below)."""
    lang = str(getattr(user, "language", "") or "").lower().replace("_", "-")
    if lang.startswith("zh"):
        return "zh-hans"
    return "en" if lang.startswith("en") else ""


def compose(lang: str, subject: Callable[[], str], body: Callable[[], str]) -> tuple[str, str]:
    """Subject and body in `lang`, or Chinese then English when the language is not known."""
    if lang:
        with translation.override(lang):
            return subject(), body()
    with translation.override("zh-hans"):
        zh = subject(), body()
    with translation.override("en"):
        en = subject(), body()
    return f"{zh[0]} / {en[0]}"[:300], f"{zh[1]}\n\n———— English ————\n\n{en[1]}"


def _members(units: list[Any], action: str, day: dt.date) -> list[Recipient]:
    """For each unit, the people holding `action` on it, or failing that on the nearest unit above it that has some
    (a county's report is owed through the city's liaison office when the county has none of its own)."""
    out: list[Recipient] = []
    roles = roles_with(action)
    for unit in units:
        ids = [uuid.UUID(seg) for seg in unit.path.strip("/").split("/")]
        rows = (
            Membership.objects.filter(org_unit__in=ids, role__in=roles, valid_from__lte=day, user__is_active=True)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            .exclude(user__email="")
            .select_related("user", "org_unit")
        )
        by_depth: dict[int, list[Recipient]] = {}
        for m in rows:
            if m.org_unit is None:
                continue
            by_depth.setdefault(m.org_unit.depth, []).append((m.user.email, m.user))
        if by_depth:
            out += by_depth[max(by_depth)]
    return out


def _send(
    subject_kind: str, obj: Any, level: str, day: dt.date, to: list[Recipient], make: Callable[[str], tuple[str, str]]
) -> int:
    """Record and send one message per new recipient of the day; returns the number sent."""
    sent = 0
    seen: set[str] = set()
    connection = get_connection()
    for address, user in to:
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        lang = language_of(user)
        subject, body = make(lang)
        try:
            with transaction.atomic():
                ReminderMail.objects.create(
                    subject=subject_kind, ref=obj.pk, level=level, day=day, recipient=address, user=user,
                    language=lang, mail_subject=subject[:300],
                )  # fmt: skip
                EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection).send()
        except IntegrityError:
            continue  # already reminded today
        except (OSError, smtplib.SMTPException):
            continue  # not recorded: tried again by the next run
        sent += 1
    return sent


def interview_reminders(day: dt.date) -> dict[str, int]:
    counts = {"soon": 0, "overdue": 0, "mails": 0}
    soon_days = dict(LedgerSettings.objects.values_list("campaign_id", "due_soon_days"))
    horizon = day + dt.timedelta(days=max([DEFAULT_SOON_DAYS, *soon_days.values()]))
    pending = Interview.objects.filter(status__in=[InterviewStatus.SCHEDULED, InterviewStatus.HELD], report_due__lte=horizon)
    for interview in pending.prefetch_related("units", "persons__leader__user"):
        warning = report_warning(interview, day, soon_days.get(interview.campaign_id, DEFAULT_SOON_DAYS))
        if not warning:
            continue
        level = "overdue" if warning == "red" else "soon"
        units = list(interview.units.all())
        to = _members(units, "interviews.report", day)
        to += [
            (p.leader.user.email, p.leader.user)
            for p in interview.persons.all()
            if p.leader and p.leader.user and p.leader.user.email
        ]

        def make(lang: str, i: Interview = interview, level: str = level, units: list[Any] = units) -> tuple[str, str]:
            params = {
                "t": i.title,
                "d": f"{i.report_due:%Y-%m-%d}",
                "day": f"{i.interview_date:%Y-%m-%d}",
                "url": reverse("accountability:interview", args=[i.pk]),
            }

            def subject() -> str:
                if level == "overdue":
                    return _("Overdue: the interview report for “%(t)s” was due %(d)s") % params
                return _("Reminder: the interview report for “%(t)s” is due %(d)s") % params

            def body() -> str:
                text = _("After the interview of %(day)s (“%(t)s”), %(units)s must report on the rectification by %(d)s.") % {
                    **params,
                    "units": "、".join(str(u) for u in units),
                }
                if i.requirements:
                    text += "\n" + _("Requirements: %(r)s") % {"r": i.requirements}
                return text + "\n" + _("File the report on the platform: %(url)s") % params

            return compose(lang, subject, body)

        sent = _send(ReminderSubject.INTERVIEW_REPORT, interview, level, day, to, make)
        if sent:
            counts[level] += 1
            counts["mails"] += sent
            audit.record("system:reminders", "interview.reminder", interview, after={"level": level, "mails": sent})
    return counts


def item_reminders(day: dt.date, now: dt.datetime) -> dict[str, int]:
    from inspectorate.fieldwork.models import OWED, InfoRequestItem

    counts = {"soon": 0, "overdue": 0, "mails": 0}
    items = InfoRequestItem.objects.filter(
        status__in=OWED, request__due_at__lte=now + dt.timedelta(hours=ITEM_SOON_HOURS)
    ).select_related("request", "request__target_unit", "department")
    for item in items:
        req = item.request
        level = "overdue" if req.due_at < now else "soon"
        to = _members([req.target_unit], "info_requests.assign", day)
        if item.department_id:
            to += _members([item.department], "info_requests.deliver", day)

        def make(lang: str, item: Any = item, req: Any = req, level: str = level) -> tuple[str, str]:
            params = {
                "n": item.seq,
                "no": req.number,
                "d": f"{timezone.localtime(req.due_at):%Y-%m-%d %H:%M}",
                "title": req.title,
                "desc": item.description,
                "contact": req.contact_name,
                "phone": req.contact_phone,
                "url": reverse("fieldwork:request", args=[req.pk]),
            }

            def subject() -> str:
                if level == "overdue":
                    return _("Overdue: item %(n)s of information request No. %(no)s was due %(d)s") % params
                return _("Reminder: item %(n)s of information request No. %(no)s is due %(d)s") % params

            def body() -> str:
                return "\n".join(
                    [
                        _("%(title)s, item %(n)s: %(desc)s") % params,
                        _("Due: %(d)s. The team's contact: %(contact)s, %(phone)s.") % params,
                        _("Deliver it on the platform: %(url)s") % params,
                    ]
                )

            return compose(lang, subject, body)

        sent = _send(ReminderSubject.INFO_REQUEST_ITEM, item, level, day, to, make)
        if sent:
            counts[level] += 1
            counts["mails"] += sent
            audit.record("system:reminders", "info_request_item.reminder", item, after={"level": level, "mails": sent})
    return counts
