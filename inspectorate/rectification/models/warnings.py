"""Deadline warnings for the ledger (blue due soon, yellow behind, red overdue), recorded once each."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class WarningLevel(models.TextChoices):
    BLUE = "blue", _("Due soon")
    YELLOW = "yellow", _("Behind schedule")
    RED = "red", _("Overdue")


class WarningSubject(models.TextChoices):
    TASK = "task", _("Task deadline")
    MILESTONE = "milestone", _("Milestone")
    PLAN = "plan", _("Rectification plan")
    REPORT = "report", _("Progress report")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Daily")


class LedgerSettings(models.Model):
    """Per-campaign ledger configuration: how often progress is reported and when a deadline counts as near."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="ledger_settings",
        verbose_name=_("campaign"),
    )
    report_frequency = models.CharField(
        _("progress reports"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    due_soon_days = models.PositiveSmallIntegerField(_("blue warning: days before a deadline"), default=7)
    behind_margin = models.PositiveSmallIntegerField(
        _("behind schedule: margin (percentage points)"),
        default=10,
        help_text=_("A task is behind when its reported progress is more than this below the time-proportional progress."),
    )

    # Fake-rectification signal thresholds (DOMAIN §7); the defaults are the former code constants.
    relapse_days = models.PositiveSmallIntegerField(
        _("relapse: days after closure"),
        default=365,
        validators=[MinValueValidator(1)],
        help_text=_("A new complaint or problem about the same enterprise within this many days after closure is flagged."),
    )
    relapse_radius_m = models.PositiveIntegerField(
        _("relapse: radius (metres)"),
        default=500,
        validators=[MaxValueValidator(50_000)],
        help_text=_("A located complaint within this distance of the enterprise counts as about it."),
    )
    similar_text_percent = models.PositiveSmallIntegerField(
        _("similar closure texts: threshold (%)"),
        default=90,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("Acceptance conclusions of different units at least this similar are flagged."),
    )
    bunch_window_days = models.PositiveSmallIntegerField(
        _("bunched closures: days before the deadline"), default=3, validators=[MinValueValidator(1)]
    )
    bunch_min_tasks = models.PositiveSmallIntegerField(
        _("bunched closures: at least this many tasks"), default=5, validators=[MinValueValidator(2)]
    )
    bunch_min_share_percent = models.PositiveSmallIntegerField(
        _("bunched closures: and this share of the tasks with that deadline (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    # Separated duties: applicant, verifier and signer are three people; a small acceptance unit (one officer)
    # may be allowed to have its verifier also sign, with the case documented.  Each such signature is audited.
    verifier_may_sign = models.BooleanField(
        _("small acceptance units: the verifier may also sign"),
        default=False,
        help_text=_("Only for a documented small-unit case; every signature by the verifier records the reason below."),
    )
    verifier_may_sign_reason = models.TextField(
        _("why the verifier may also sign"),
        blank=True,
        help_text=_("Required when the verifier may also sign: which small acceptance units, and why no second officer."),
    )

    scope = ScopeSpec(units=("campaign__inspecting_unit", "campaign__targets"), campaign="campaign")

    class Meta:
        verbose_name = _("ledger settings")
        verbose_name_plural = _("ledger settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(verifier_may_sign=False) | ~Q(verifier_may_sign_reason=""),
                name="ledger_settings_same_signer_documented",
                violation_error_message=_(
                    "Letting the verifier also sign needs a documented reason (which small acceptance units, and why)."
                ),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        self.verifier_may_sign_reason = (self.verifier_may_sign_reason or "").strip()
        if self.verifier_may_sign and not self.verifier_may_sign_reason:
            raise ValidationError(
                {
                    "verifier_may_sign_reason": _(
                        "Letting the verifier also sign needs a documented reason (which small acceptance units, and why)."
                    )
                }
            )

    def __str__(self) -> str:
        return f"{self.campaign}: {self.get_report_frequency_display()}"


class TaskWarning(models.Model):
    """One row per (subject, reference, level, due date): the deadline run creates it once and reminds once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("responsible unit"))
    task = models.ForeignKey(
        "rectification.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="warnings", verbose_name=_("task")
    )
    plan = models.ForeignKey(
        "rectification.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="warnings", verbose_name=_("plan")
    )
    subject = models.CharField(_("subject"), max_length=20, choices=WarningSubject.choices)
    ref = models.CharField(max_length=64)
    level = models.CharField(_("level"), max_length=10, choices=WarningLevel.choices)
    due_date = models.DateField(_("due"))
    message = models.TextField(_("message"))
    notified = models.PositiveSmallIntegerField(_("people reminded"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("unit",), campaign="campaign")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deadline warning")
        verbose_name_plural = _("deadline warnings")
        constraints = [
            models.UniqueConstraint(fields=["subject", "ref", "level", "due_date"], name="rect_warning_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.message[:60]}"
