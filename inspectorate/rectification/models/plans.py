"""The rectification plan per target: drafting → internal_review → submitted → approved → published."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class PlanStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    INTERNAL_REVIEW = "internal_review", _("Internal review")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


PLAN_FLOW: dict[str, tuple[str, str]] = {
    # target state: (required current state, action)
    PlanStatus.INTERNAL_REVIEW: (PlanStatus.DRAFTING, "plans.manage"),
    PlanStatus.SUBMITTED: (PlanStatus.INTERNAL_REVIEW, "plans.manage"),
    PlanStatus.APPROVED: (PlanStatus.SUBMITTED, "plans.approve"),
    PlanStatus.PUBLISHED: (PlanStatus.APPROVED, "plans.manage"),
}


class Plan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="plans", verbose_name=_("campaign"))
    target = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("target"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("plan text (internal)"), blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFTING)
    due = models.DateField(_("due"), null=True, blank=True)
    due_estimated = models.BooleanField(_("due date estimated"), default=False)
    due_rule = models.CharField(_("due-date rule"), max_length=100, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by_body = models.CharField(_("approving body"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("target",), campaign="campaign")

    class Meta:
        ordering = ["campaign", "target", "-version"]
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "target", "version"],
                name="plan_version_unique",
                violation_error_message=_("This plan version already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        if self.due is None or self.status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED):
            return False
        return (self.submitted_on or timezone.localdate()) > self.due
