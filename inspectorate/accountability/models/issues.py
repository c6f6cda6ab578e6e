"""Accountability issues handed over by the team and the records of what was done to each person.

handed_over → transferred (to the discipline body) → investigating → decided → published

Who sees what (accountability.selectors): the campaign's team and the discipline role (`accountability.view`)
see everything; the target (plain `view` on the campaign's target) sees an issue once it is transferred, without
the suggested people, and its records only once published; the public sees published issues and records only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class IssueStatus(models.TextChoices):
    HANDED_OVER = "handed_over", _("Handed over by the team")
    TRANSFERRED = "transferred", _("Transferred to the discipline body")
    INVESTIGATING = "investigating", _("Under investigation")
    DECIDED = "decided", _("Decided")
    PUBLISHED = "published", _("Published")


# The states in which the target sees an issue (facts and responsible units; never the suggested people).
TARGET_VISIBLE = (IssueStatus.TRANSFERRED, IssueStatus.INVESTIGATING, IssueStatus.DECIDED, IssueStatus.PUBLISHED)


class Rank(models.TextChoices):
    """DOMAIN.md §4.5: the rank of the person held accountable, as the published figures break it down."""

    PROVINCE = "province", _("Provincial / ministerial level")
    DEPARTMENT = "department", _("Department / bureau level")
    DIVISION = "division", _("County / division level")
    OTHER = "other", _("Other level")


class ResponsibleUnitType(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    GOVERNMENT = "government", _("Government")
    DEPARTMENT = "department", _("Government department")
    SOE = "soe", _("State-owned enterprise")
    OTHER = "other", _("Other unit")


class Measure(models.TextChoices):
    ADMONISHMENT = "admonishment", _("Admonishment talk")
    SANCTION = "sanction", _("Party or government sanction")
    ORGANISATIONAL = "organisational", _("Organisational handling")
    CIRCULAR = "circular", _("Circular (通报)")
    JUDICIAL = "judicial", _("Transferred to judicial organs")
    OTHER = "other", _("Other measure")


class AccountabilityIssue(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="accountability_issues", verbose_name=_("campaign")
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    facts = models.TextField(_("facts"))
    responsible_units = models.ManyToManyField("orgs.OrgUnit", related_name="+", verbose_name=_("responsible units"))
    suggested_people = models.TextField(
        _("suggested people"), blank=True, help_text=_("The team's suggestion; never shown to the target or the public.")
    )
    problem = models.ForeignKey(
        "rectification.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("problem")
    )
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.HANDED_OVER)
    handed_over_on = models.DateField(_("handed over on"), default=timezone.localdate)
    discipline_body = models.CharField(_("discipline body"), max_length=200, blank=True)
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    investigation_started_on = models.DateField(_("investigation started on"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    publication_ref = models.CharField(_("publication (where released)"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(units=("campaign__targets",), campaign="campaign", owners=("responsible_units",))

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("accountability issue")
        verbose_name_plural = _("accountability issues")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="accountability_issue_number_unique",
                violation_error_message=_("This campaign already has an accountability issue with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AccountabilityRecord(models.Model):
    """One measure taken against one person for one issue. A person is (name, unit)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    issue = models.ForeignKey(AccountabilityIssue, on_delete=models.PROTECT, related_name="records", verbose_name=_("issue"))
    person_name = models.CharField(_("name"), max_length=100)
    post = models.CharField(_("post"), max_length=150, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices)
    unit_type = models.CharField(_("unit type"), max_length=20, choices=ResponsibleUnitType.choices)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    approving_body = models.CharField(_("approving body"), max_length=200)
    decided_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(units=("issue__campaign__targets",), campaign="issue__campaign")

    class Meta:
        ordering = ["issue", "person_name", "measure"]
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "person_name", "unit", "measure"],
                name="accountability_record_person_measure_once",
                violation_error_message=_("This person already has this measure recorded for this issue."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.get_measure_display()}"


class HandoverPack(models.Model):
    """The feedback handover pack (docx: feedback report, accountability-issue list, case-file index), archived
    with its sha256 so that the handed-over version can be proven later. Rows are never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="handover_packs", verbose_name=_("campaign")
    )
    file = models.FileField(_("file"), upload_to="accountability/handover/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    issues = models.PositiveIntegerField(_("accountability issues"))
    cases = models.PositiveIntegerField(_("case files"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(units=("campaign__targets",), campaign="campaign")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("handover pack")
        verbose_name_plural = _("handover packs")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.created_at:%Y-%m-%d}"


class CareerEventKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    REWARD = "reward", _("Reward or commendation")
    TRANSFER = "transfer", _("Transfer at the same rank")


class CareerEvent(models.Model):
    """A later step in the career of a person held accountable (a promotion, a reward, a transfer), recorded by the
    discipline body. A promotion or reward soon after the measure is a fake-rectification signal (DOMAIN.md §7)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(
        AccountabilityRecord, on_delete=models.PROTECT, related_name="career_events", verbose_name=_("accountability record")
    )
    kind = models.CharField(_("career event"), max_length=20, choices=CareerEventKind.choices)
    on = models.DateField(_("date"))
    new_post = models.CharField(_("new post or distinction"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where it was announced."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(units=("record__issue__campaign__targets",), campaign="record__issue__campaign")

    class Meta:
        ordering = ["record", "on"]
        verbose_name = _("career event")
        verbose_name_plural = _("career events")

    def __str__(self) -> str:
        return f"{self.record.person_name} · {self.get_kind_display()} {self.on}"
