"""E-mail alerts: subscribe (double opt-in), confirm, unsubscribe, and the daily digest.

The digest job (`portal/periodic.py`) runs once a day from 08:00 Beijing time. For every confirmed alert it
collects what is new since the previous e-mail, narrowed to the alert's campaign and area exactly as the RSS
feeds narrow (`feeds.results_for`, `feeds.notices_for`):

- results tables published after `results_through` (up to the run's moment);
- closures whose public notice started after `notices_through` and before today (a notice that starts today is
  in tomorrow's e-mail, so one published late in the day is never skipped).

The alert's cut-offs are moved forward in the same statement that claims it (a conditional UPDATE on the old
values), before the e-mail is sent: two schedulers, or a rerun, never send the same items twice. If sending
fails the cut-offs are put back and the error is raised, so the run is recorded as failed and retried.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from inspectorate.audit import record
from inspectorate.campaigns.models import Campaign
from inspectorate.orgs.models import OrgUnit

from .models import Alert

ACTOR = "public"


def normalise(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    return salted_hmac("inspectorate.portal.alert", normalise(email)).hexdigest()


def area_key(campaign: Campaign | None, region: OrgUnit | None) -> str:
    return f"{campaign.pk if campaign else ''}|{region.pk if region else ''}"


def link(name: str, *args: Any) -> str:
    return settings.PUBLIC_BASE_URL + reverse(name, args=args)


def _send(alert: Alert, subject: str, template: str, context: dict[str, Any]) -> None:
    """One e-mail in the alert's language: plain text, with the unsubscribe link in the body and the header."""
    unsubscribe = link("portal:alert_unsubscribe", alert.token)
    with translation.override(alert.language):
        ctx = {"alert": alert, "unsubscribe": unsubscribe, "portal": link("portal:index"), **context}
        body = render_to_string(template, ctx)
        subject = str(subject)
    msg = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[alert.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )
    msg.send()


def _confirmation(alert: Alert) -> None:
    with translation.override(alert.language):
        subject = translation.gettext("Please confirm your e-mail alert")
    _send(alert, subject, "portal/email/alert_confirm.txt", {"confirm": link("portal:alert_confirm", alert.token)})


@transaction.atomic
def subscribe(
    email: str,
    *,
    campaign: Campaign | None,
    region: OrgUnit | None,
    results: bool,
    notices: bool,
    language: str,
) -> tuple[Alert, bool]:
    """Ask for an alert; a confirmation e-mail goes out. The same address and area again updates the request
    (and sends the confirmation again while unconfirmed) instead of adding a second alert; an active alert stays
    active. Returns the alert and whether a confirmation was sent."""
    key = email_hash(email)
    alert = Alert.objects.select_for_update().filter(email_hash=key, area_key=area_key(campaign, region)).first()
    created = alert is None
    if alert is None:
        alert = Alert(email=normalise(email), email_hash=key, campaign=campaign, region=region)
        alert.area_key = area_key(campaign, region)
    elif alert.unsubscribed_at is not None:  # asked again after leaving: confirm again
        alert.unsubscribed_at = None
        alert.confirmed_at = None
    alert.results, alert.notices, alert.language = results, notices, language
    alert.save()
    record(ACTOR, "alert.subscribe" if created else "alert.update", alert, after={"results": results, "notices": notices})
    if alert.active:
        return alert, False
    _confirmation(alert)  # inside the transaction: if the mail cannot be sent, nothing is kept
    return alert, True


@transaction.atomic
def confirm(alert: Alert, *, now: dt.datetime | None = None) -> bool:
    """Start the alert (from the link in the confirmation e-mail). Anything published before now is not sent."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.active:
        return False
    now = now or timezone.now()
    alert.confirmed_at = now
    alert.unsubscribed_at = None
    alert.results_through = now
    alert.notices_through = timezone.localtime(now).date() - dt.timedelta(days=1)
    alert.save(update_fields=["confirmed_at", "unsubscribed_at", "results_through", "notices_through"])
    record(ACTOR, "alert.confirm", alert)
    return True


@transaction.atomic
def unsubscribe(alert: Alert, *, now: dt.datetime | None = None) -> bool:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.unsubscribed_at is not None:
        return False
    alert.unsubscribed_at = now or timezone.now()
    alert.save(update_fields=["unsubscribed_at"])
    record(ACTOR, "alert.unsubscribe", alert)
    return True


@dataclass
class Digest:
    results: list[Any] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.results or self.notices)


def collect(alert: Alert, *, now: dt.datetime) -> Digest:
    """What is new for this alert since its last e-mail (see the module docstring)."""
    from .feeds import notices_for, results_for

    digest = Digest()
    if alert.results:
        qs = results_for(alert.campaign, alert.region).filter(published_at__lte=now)
        if alert.results_through is not None:
            qs = qs.filter(published_at__gt=alert.results_through)
        digest.results = list(qs.order_by("published_at")[:100])
    if alert.notices:
        yesterday = timezone.localtime(now).date() - dt.timedelta(days=1)
        notices = notices_for(alert.campaign, alert.region, current_only=False).filter(notice_start__lte=yesterday)
        if alert.notices_through is not None:
            notices = notices.filter(notice_start__gt=alert.notices_through)
        digest.notices = list(notices.order_by("notice_start", "sort_key")[:100])
    return digest


def _claim(alert: Alert, now: dt.datetime) -> bool:
    """Move the alert's cut-offs to this run, if nobody else did since it was read."""
    yesterday = timezone.localtime(now).date() - dt.timedelta(days=1)
    done = Alert.objects.filter(pk=alert.pk, results_through=alert.results_through, notices_through=alert.notices_through).update(
        results_through=now, notices_through=yesterday, last_sent_at=now
    )
    return bool(done)


def send_digests(now: dt.datetime | None = None) -> dict[str, int]:
    """Send each active alert its e-mail of what is new; the counts are stored with the scheduler run."""
    now = now or timezone.now()
    sent = checked = items = 0
    active = Alert.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    for alert in active.select_related("campaign", "region").order_by("pk"):
        checked += 1
        digest = collect(alert, now=now)
        if not digest:
            continue
        before = (alert.results_through, alert.notices_through, alert.last_sent_at)
        if not _claim(alert, now):
            continue  # another scheduler took it
        try:
            with translation.override(alert.language):
                subject = translation.gettext("New on the inspection portal: %(n)d item(s)") % {
                    "n": len(digest.results) + len(digest.notices)
                }
            _send(alert, subject, "portal/email/alert_digest.txt", {"digest": digest, "base": settings.PUBLIC_BASE_URL})
        except Exception:
            Alert.objects.filter(pk=alert.pk).update(results_through=before[0], notices_through=before[1], last_sent_at=before[2])
            raise
        sent += 1
        items += len(digest.results) + len(digest.notices)
    return {"alerts": checked, "emails": sent, "items": items}
