"""Interviews (约谈): a formal summons and warning of a unit's leaders, with a report due 30 days later.

scheduled → held (minutes, requirements) → report_received (date, file) → verified (result)
Public disclosure is a separate step (published flag and date); only published interviews reach the portal.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec

# DOMAIN.md §5: the interview report is due 30 calendar days after the interview (a default; the team may set another).
REPORT_DAYS = 30


def default_report_due(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=REPORT_DAYS)


class InterviewReason(models.TextChoices):
    LAGGING = "lagging_rectification", _("Lagging rectification")
    REPEATED = "repeated_complaints", _("Repeated complaints")
    SERIOUS = "serious_case", _("Serious case")
    OTHER = "other", _("Other reason")


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held (minuted)")
    REPORT_RECEIVED = "report_received", _("Report received")
    VERIFIED = "verified", _("Verified")


class Verification(models.TextChoices):
    NONE = "", _("—")
    SATISFACTORY = "satisfactory", _("Rectification verified")
    UNSATISFACTORY = "unsatisfactory", _("Rectification not satisfactory")


class Interview(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="interviews", verbose_name=_("campaign")
    )
    title = models.CharField(_("subject"), max_length=200)
    reason = models.CharField(_("reason"), max_length=30, choices=InterviewReason.choices)
    reason_note = models.TextField(_("reason in detail"), blank=True)
    interviewer = models.CharField(_("interviewing authority"), max_length=200, blank=True)
    units = models.ManyToManyField("orgs.OrgUnit", related_name="+", verbose_name=_("interviewed units"))
    interview_date = models.DateField(_("interview date"))
    minutes = models.TextField(_("minutes"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    report_due = models.DateField(_("report due"))
    report_received_on = models.DateField(_("report received on"), null=True, blank=True)
    report_file = models.FileField(_("report file"), upload_to="accountability/reports/%Y/%m/", blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    verification = models.CharField(_("verification result"), max_length=20, choices=Verification.choices, blank=True, default="")
    verification_note = models.TextField(_("verification note"), blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED)
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    # The team reaches its campaign's interviews; on the inspected side, the interviewed units' subtrees.
    scope = ScopeSpec(units=("units",), campaign="campaign", owners=("units",))

    class Meta:
        ordering = ["-interview_date", "title"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report_due__gte=models.F("interview_date")),
                name="interview_report_after_interview",
                violation_error_message=_("The report cannot be due before the interview."),
            ),
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_on__isnull=False),
                name="interview_published_has_date",
                violation_error_message=_("A published interview needs its publication date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def report_pending(self) -> bool:
        return self.status in (InterviewStatus.SCHEDULED, InterviewStatus.HELD)


class InterviewPerson(models.Model):
    """A leader summoned to the interview (linked to the target's leader register when one fits)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField(_("name"), max_length=100)
    post = models.CharField(_("post"), max_length=150, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    leader = models.ForeignKey(
        "rectification.Leader", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("leader")
    )

    scope = ScopeSpec(units=("interview__units",), campaign="interview__campaign")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "name", "unit"],
                name="interview_person_once",
                violation_error_message=_("This person is already listed for this interview."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class InterviewWarning(models.Model):
    """A report-due warning (yellow: due soon, red: overdue), recorded once per interview, level and due date."""

    class Level(models.TextChoices):
        YELLOW = "yellow", _("Report due soon")
        RED = "red", _("Report overdue")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="warnings")
    level = models.CharField(max_length=10, choices=Level.choices)
    due_date = models.DateField()
    message = models.TextField()
    raised_on = models.DateField()

    scope = ScopeSpec(units=("interview__units",), campaign="interview__campaign")

    class Meta:
        ordering = ["-raised_on"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "level", "due_date"], name="interview_warning_once"),
        ]

    def __str__(self) -> str:
        return self.message
