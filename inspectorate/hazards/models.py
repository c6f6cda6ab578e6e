"""Hidden dangers (隐患) and self-inspection campaigns (自查自纠) on the enterprise side.

A hidden danger belongs to an org unit (a plant, a subsidiary, the group); each level of the
three-level tree (group → subsidiary → plant) sees and supervises its subtree through the unit
path.  A major danger is escalated on creation to the level above (`supervising_unit`).

A self-inspection runs a checklist template over scope units; each submitted run keeps its
answers, and a failed answer becomes a hidden danger (linked both ways).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspectorate.accounts.scoping import ScopeSpec


class DangerLevel(models.TextChoices):
    GENERAL = "general", pgettext_lazy("hidden danger", "General")
    MAJOR = "major", pgettext_lazy("hidden danger", "Major")


class DangerStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("hidden danger", "Open")
    RECTIFYING = "rectifying", pgettext_lazy("hidden danger", "Rectifying")
    PENDING_VERIFICATION = "pending_verification", pgettext_lazy("hidden danger", "Pending verification")
    CLOSED = "closed", pgettext_lazy("hidden danger", "Closed")


class DangerCategory(models.TextChoices):
    AIR = "air", _("Air emissions")
    WATER = "water", _("Wastewater")
    SOLID_WASTE = "solid_waste", _("Solid waste")
    HAZARDOUS_WASTE = "hazardous_waste", _("Hazardous waste")
    FACILITY = "facility", _("Pollution-control facility")
    MONITORING = "monitoring", _("Online monitoring")
    ECOLOGY = "ecology", _("Ecological damage")
    PERMIT = "permit", _("Permits and procedures")
    OTHER = "other", _("Other")


class HiddenDanger(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("number"), max_length=20, unique=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    supervising_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervising unit (escalated to)"),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    title = models.CharField(_("hidden danger"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=DangerCategory.choices)
    level = models.CharField(
        pgettext_lazy("hidden danger", "level"), max_length=10, choices=DangerLevel.choices, default=DangerLevel.GENERAL
    )
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("found by")
    )
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    measure = models.TextField(_("rectification measure"), blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    deadline = models.DateField(pgettext_lazy("hidden danger", "deadline"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("hidden danger", "status"), max_length=24, choices=DangerStatus.choices, default=DangerStatus.OPEN
    )
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rectified by"),
    )
    submitted_at = models.DateTimeField(_("submitted for verification at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.TextField(_("verification conclusion"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    problem = models.ForeignKey(
        "rectification.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hidden_dangers",
        verbose_name=_("ledger problem"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = ScopeSpec(units=("unit",), campaign=None)

    class Meta:
        ordering = ["deadline", "number"]
        verbose_name = _("hidden danger")
        verbose_name_plural = _("hidden dangers")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def is_overdue(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return bool(self.deadline and self.status != DangerStatus.CLOSED and self.deadline < day)  # type: ignore[operator]


def danger_file_path(instance: DangerEvidence, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"hazards/{instance.sha256[:2]}/{instance.sha256}.{ext[:8]}"


class DangerEvidence(models.Model):
    """A file on a hidden danger (photo of the finding, proof of the fix). Stored once, never changed."""

    class Stage(models.TextChoices):
        FOUND = "found", _("As found")
        RECTIFIED = "rectified", _("After rectification")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    danger = models.ForeignKey(HiddenDanger, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("hidden danger"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.FOUND)
    file = models.FileField(_("file"), upload_to=danger_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    scope = ScopeSpec(units=("danger__unit",), campaign=None)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("hidden-danger file")
        verbose_name_plural = _("hidden-danger files")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


class ChecklistTemplate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner unit"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # A checklist is used below the unit that keeps it; the units below may read it too.
    scope = ScopeSpec(units=("owner_unit",), units_up=("owner_unit",), campaign=None)

    class Meta:
        ordering = ["title"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("checklist"))
    position = models.PositiveSmallIntegerField(_("position"))
    category = models.CharField(_("category"), max_length=20, choices=DangerCategory.choices)
    requirement = models.CharField(_("requirement"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    photo_required = models.BooleanField(_("photo required for every answer"), default=False)

    class Meta:
        ordering = ["template", "position"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"],
                name="checklist_item_position_unique",
                violation_error_message=_("Two items of a checklist cannot share a position."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.requirement}"


class SelfInspection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organiser = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organised by"))
    title = models.CharField(_("title"), max_length=200)
    checklist = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist"))
    scope_units = models.ManyToManyField("orgs.OrgUnit", related_name="+", verbose_name=_("units inspected"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("in preparation for (campaign)"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The organiser and the inspected units see it; so do members below an inspected unit (a mine of a subsidiary).
    scope = ScopeSpec(units=("organiser", "scope_units"), units_up=("scope_units",), campaign=None)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="self_inspection_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ChecklistRun(models.Model):
    """One filled checklist: an inspector's answers for one unit, saved in one go."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        SelfInspection, on_delete=models.PROTECT, related_name="runs", verbose_name=_("self-inspection")
    )
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit inspected"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    scope = ScopeSpec(units=("unit", "inspection__organiser"), campaign=None)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("filled checklist")
        verbose_name_plural = _("filled checklists")

    def __str__(self) -> str:
        return f"{self.inspection} · {self.unit}"


def answer_photo_path(instance: Answer, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"hazards/{instance.photo_sha256[:2]}/{instance.photo_sha256}.{ext[:8]}"


class Answer(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOT_APPLICABLE = "na", _("Not applicable")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(ChecklistRun, on_delete=models.CASCADE, related_name="answers", verbose_name=_("filled checklist"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.FileField(_("photo"), upload_to=answer_photo_path, max_length=300, blank=True)
    photo_name = models.CharField(_("photo file name"), max_length=255, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    hidden_danger = models.OneToOneField(
        HiddenDanger,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="origin_answer",
        verbose_name=_("hidden danger"),
    )

    class Meta:
        ordering = ["run", "item__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["run", "item"], name="answer_item_once_per_run")]

    def __str__(self) -> str:
        return f"{self.item.position}: {self.result}"
