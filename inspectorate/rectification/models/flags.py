"""Fake-rectification signals (DOMAIN §7): flags for human review, never verdicts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class FlagKind(models.TextChoices):
    REUSED_EVIDENCE = "reused_evidence", _("Reused evidence")
    RELAPSE = "relapse", _("Relapse (二进宫)")
    EVIDENCE_AFTER_ACCEPTANCE = "evidence_after_acceptance", _("Evidence dated after acceptance")
    EVIDENCE_BEFORE_TASK = "evidence_before_task", _("Evidence dated before the task existed")
    BUNCHED_CLOSURES = "bunched_closures", _("Closures bunched before a deadline")
    SHORTENED_NOTICE = "shortened_notice", _("Shortened public notice")
    CONTRADICTED_STATUS = "contradicted_status", _("Contradicted status")
    NO_SANCTION = "no_sanction", _("Closed without sanction")
    SIMILAR_CLOSURE_TEXT = "similar_closure_text", _("Near-identical closure texts across units")
    # Issue 10, point 7: signals about a unit, a case, an area or a person rather than one task (task may be empty).
    PROMOTED_AFTER_ACCOUNTABILITY = "promoted_after_accountability", _("Held accountable, then promoted or rewarded")
    UNTRUE_CLUSTER = "untrue_cluster", _("Share of “untrue” verdicts far above peers")
    FINES_WITHOUT_EFFECT = "fines_without_effect", _("Fines without effect on assessment")
    COMPLAINT_CONCENTRATION = "complaint_concentration", _("Complaints concentrating again after closure")
    BLANKET_SHUTDOWN = "blanket_shutdown", _("Blanket shutdown (一刀切)")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class Flag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(
        "rectification.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="flags", verbose_name=_("task")
    )
    # Every flag belongs to a campaign (the round); flags about a unit, a case or an area carry the unit concerned.
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit concerned")
    )
    kind = models.CharField(_("signal"), max_length=40, choices=FlagKind.choices)
    key = models.CharField(max_length=200, help_text="What makes this flag unique for its task (idempotent recomputation).")
    explanation = models.TextField(_("explanation"))
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    # Reviewed by the inspecting side only: the task's owners and the campaign's targets are the inspected party.
    scope = ScopeSpec(
        units=("task__lead_unit", "task__implementing_units", "task__acceptance_unit", "unit"),
        campaign="campaign",
        owners=("task__lead_unit", "task__implementing_units", "unit"),
    )

    class Meta:
        ordering = ["-first_seen"]
        verbose_name = _("fake-rectification flag")
        verbose_name_plural = _("fake-rectification flags")
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "key"], name="flag_unique_per_task"),
            models.UniqueConstraint(
                fields=["campaign", "kind", "key"], condition=models.Q(task__isnull=True), name="flag_unique_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.task.number if self.task is not None else self.unit or self.campaign}"

    @property
    def subject_url(self) -> str:
        """The page of what the flag is about: its task, else the case or accountability issue named in `detail`."""
        from django.urls import NoReverseMatch, reverse

        targets = [("rectification:task", self.task_id)] if self.task_id else []
        targets += [("complaints:case", self.detail.get("case")), ("accountability:issue", self.detail.get("issue"))]
        for name, pk in targets:
            if pk:
                try:
                    return reverse(name, args=[pk])
                except NoReverseMatch:
                    continue
        return ""
