"""Feedback from the inspection team and the problems it (or other sources) names."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class Source(models.TextChoices):
    CENTRAL_FEEDBACK = "central_feedback", _("Central feedback")
    PROVINCIAL_FEEDBACK = "provincial_feedback", _("Provincial feedback")
    COMPLAINT_CASE = "complaint_case", _("Complaint case")
    SELF_FOUND = "self_found", _("Self-found (self-inspection)")
    LOOK_BACK = "look_back", _("Look-back finding")


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    TIME_LIMITED = "time_limited", _("Time-limited")
    LONG_TERM = "long_term", _("Long-term")


class Nature(models.TextChoices):
    SPECIFIC = "specific", _("Specific")
    COMMON = "common", _("Common")
    DEEP_SEATED = "deep_seated", _("Deep-seated")


def natural_key(number: str) -> str:
    """'1.10' sorts after '1.9': each segment zero-padded."""
    parts = []
    for seg in (number or "").split("."):
        seg = seg.strip()
        parts.append(seg.zfill(6) if seg.isdigit() else seg)
    return ".".join(parts)


class Feedback(models.Model):
    """The team's feedback to a target: date, document, summary."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="feedbacks", verbose_name=_("campaign")
    )
    target = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("target"))
    date = models.DateField(_("feedback date"))
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("target",), campaign="campaign")

    class Meta:
        ordering = ["-date"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback records")

    def __str__(self) -> str:
        return f"{self.document_no or _('Feedback')} ({self.date:%Y-%m-%d})"


class Problem(models.Model):
    """One problem to rectify, with its source and class, and a link to where it came from.

    A complaint case is linked by `origin_case` (a foreign key to complaints.Case, set through a
    scoped picker); `origin_case_number` keeps the number as written for imported and legacy rows
    (a data migration linked the rows whose number matched a case in the same campaign).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="problems", verbose_name=_("campaign")
    )
    feedback = models.ForeignKey(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems", verbose_name=_("feedback")
    )
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit"))
    number = models.CharField(_("number"), max_length=20)
    sort_key = models.CharField(max_length=80, editable=False, db_index=True)
    title = models.CharField(_("problem"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    urgency = models.CharField(_("urgency class"), max_length=20, choices=Urgency.choices, default=Urgency.TIME_LIMITED)
    nature = models.CharField(_("nature class"), max_length=20, choices=Nature.choices, default=Nature.SPECIFIC)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("enterprise concerned"),
    )
    origin_case = models.ForeignKey(
        "complaints.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectification_problems",
        verbose_name=_("complaint case"),
    )
    origin_case_number = models.CharField(_("complaint case number"), max_length=40, blank=True)
    origin_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    origin_id = models.CharField(max_length=64, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    is_violation = models.BooleanField(_("substantiated violation"), default=False)
    penalty_ref = models.CharField(_("order / penalty record"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("unit",), campaign="campaign")

    class Meta:
        ordering = ["campaign", "sort_key"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="problem_number_unique",
                violation_error_message=_("This problem number is already used in this campaign."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.sort_key = natural_key(self.number)
        super().save(*args, **kwargs)
