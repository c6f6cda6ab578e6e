"""Pollution-control facilities (registry, maintenance, daily running logs, warnings) and construction projects
under the three-simultaneities rule (三同时), both kept by the enterprise side."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class FacilityType(models.TextChoices):
    DUST = "dust_removal", _("Dust removal")
    DESULFURISATION = "desulfurisation", _("Desulfurisation")
    DENITRIFICATION = "denitrification", _("Denitrification")
    WASTEWATER = "wastewater", _("Wastewater treatment")
    MONITORING = "online_monitoring", _("Online monitoring")
    VOCS = "vocs", _("VOCs treatment")
    OTHER = "other", _("Other")


class LogStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    STOPPED = "stopped", _("Stopped")
    FAULT = "fault", _("Fault")


class ReviewState(models.TextChoices):
    NONE = "", _("Not flagged")
    PENDING = "pending", _("Flagged for review")
    CONFIRMED = "confirmed", _("Reviewed: explanation accepted")
    REJECTED = "rejected", _("Reviewed: not accepted")


FACILITY_SCOPE = ScopeSpec(units=("unit", "enterprise__org_unit"))


def _facility_scope(prefix: str) -> ScopeSpec:
    return ScopeSpec(units=(f"{prefix}__unit", f"{prefix}__enterprise__org_unit"))


class Facility(models.Model):
    """A pollution-control facility of a plant (unit in the enterprise tree), optionally tied to a regulated enterprise.

    The plant's people see it; the levels above see their subtree; so does the government unit where the
    enterprise is registered. A sibling plant does not.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    facility_type = models.CharField(_("type"), max_length=30, choices=FacilityType.choices)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="facilities", verbose_name=_("unit (plant)"))
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("regulated enterprise"),
    )
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    commissioned_on = models.DateField(_("commissioning date"), null=True, blank=True)
    capacity = models.DecimalField(_("design capacity"), max_digits=14, decimal_places=2, null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=40, blank=True, help_text=_("e.g. m³/h, t/d"))
    active = models.BooleanField(_("in service"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = FACILITY_SCOPE

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("pollution-control facility")
        verbose_name_plural = _("pollution-control facilities")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="facility_unit_name_unique",
                violation_error_message=_("This unit already has a facility with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lon__isnull=True)
                | models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="facility_latlon_valid",
                violation_error_message=_("Latitude and longitude must both be given and in range."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0, capacity_unit__gt=""),
                name="facility_capacity_with_unit",
                violation_error_message=_("A design capacity must be positive and have a unit."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def position(self) -> tuple[float, float] | None:
        """The facility's location, else its enterprise's."""
        if self.lat is not None and self.lon is not None:
            return float(self.lat), float(self.lon)
        ent = self.enterprise
        if ent is not None and ent.lat is not None and ent.lon is not None:
            return float(ent.lat), float(ent.lon)
        return None


class MaintenancePlan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="plans", verbose_name=_("facility"))
    title = models.CharField(_("maintenance item"), max_length=200)
    interval_days = models.PositiveIntegerField(_("interval (days)"))
    starts_on = models.DateField(_("first due on"))
    active = models.BooleanField(_("active"), default=True)

    scope = _facility_scope("facility")

    class Meta:
        ordering = ["facility", "title"]
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_days__gte=1),
                name="maintenance_interval_positive",
                violation_error_message=_("The interval must be at least one day."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class MaintenanceRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="maintenance", verbose_name=_("facility"))
    plan = models.ForeignKey(
        MaintenancePlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("maintenance plan"),
    )
    done_on = models.DateField(_("done on"))
    description = models.TextField(_("work done"))
    performed_by = models.CharField(_("performed by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = _facility_scope("facility")

    class Meta:
        ordering = ["-done_on", "-created_at"]
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")

    def __str__(self) -> str:
        return f"{self.facility} {self.done_on}"


class FacilityLog(models.Model):
    """One day's running state of a facility. One log per facility per day; never for a future day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="logs", verbose_name=_("facility"))
    day = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=LogStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    review = models.CharField(_("review"), max_length=10, choices=ReviewState.choices, default="", blank=True)
    review_reasons = models.JSONField(_("why flagged"), default=list, blank=True)
    nearby_complaints = models.JSONField(default=list, blank=True)  # complaint ids; their text stays with intake
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    scope = _facility_scope("facility")

    class Meta:
        ordering = ["-day", "facility"]
        verbose_name = _("daily running log")
        verbose_name_plural = _("daily running logs")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "day"],
                name="facility_log_one_per_day",
                violation_error_message=_("This facility already has a log for this day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.day}"


class WarningKind(models.TextChoices):
    MISSING_LOG = "missing_log", _("Daily log missing")
    MAINTENANCE_OVERDUE = "maintenance_overdue", _("Maintenance overdue")


class FacilityWarning(models.Model):
    """Raised by the daily jobs: a missing log (`periodic.facility_log_check`; `day` is the day without a log,
    resolved when the late log is entered) or an overdue maintenance (`periodic.maintenance_check`; `plan` is set,
    `day` is the missed due date, resolved when a record for the plan is entered)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="warnings", verbose_name=_("facility"))
    kind = models.CharField(_("kind"), max_length=30, choices=WarningKind.choices)
    plan = models.ForeignKey(
        MaintenancePlan,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="warnings",
        verbose_name=_("maintenance plan"),
    )
    day = models.DateField(_("for the day"))
    raised_at = models.DateTimeField(_("raised at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    scope = _facility_scope("facility")

    class Meta:
        ordering = ["-day", "facility"]
        verbose_name = _("facility warning")
        verbose_name_plural = _("facility warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind", "day"], condition=models.Q(plan__isnull=True), name="facility_warning_once"
            ),
            models.UniqueConstraint(
                fields=["plan", "day"], condition=models.Q(plan__isnull=False), name="facility_warning_plan_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="maintenance_overdue", plan__isnull=False)
                | (~models.Q(kind="maintenance_overdue") & models.Q(plan__isnull=True)),
                name="facility_warning_plan_iff_maintenance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.facility} {self.day}"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    IN_OPERATION = "in_operation", _("In operation")


class StepKind(models.TextChoices):
    """The steps every project needs before operation, in order."""

    EIA = "eia", _("EIA approval")
    DESIGN = "design", _("Environmental facilities designed with the main works")
    CONSTRUCTION = "construction", _("Environmental facilities built with the main works")
    COMMISSIONING = "commissioning", _("Environmental facilities commissioned with the main works")


class Project(models.Model):
    """A construction project of a plant; it goes into operation only once every step is on record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("project name"), max_length=200)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="projects", verbose_name=_("unit"))
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("regulated enterprise"),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    operation_since = models.DateField(_("in operation since"), null=True, blank=True)
    override_reason = models.TextField(_("reason for operating with missing steps"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = FACILITY_SCOPE

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="project_unit_name_unique",
                violation_error_message=_("This unit already has a project with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProjectStep(models.Model):
    """One step on record: its date, the document's number/title and (optionally) the file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps", verbose_name=_("project"))
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    done_on = models.DateField(_("date"))
    reference = models.CharField(_("document number or title"), max_length=200, help_text=_("For the EIA: the approval number."))
    document = models.FileField(_("document"), upload_to="facilities/projects/%Y/%m/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope = _facility_scope("project")

    class Meta:
        ordering = ["project", "done_on"]
        verbose_name = _("three-simultaneities step")
        verbose_name_plural = _("three-simultaneities steps")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="project_step_once",
                violation_error_message=_("This step is already on record for the project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()}"


# --- Government-enterprise visits (政企走访) ------------------------------------------------------------------


class VisitTopic(models.TextChoices):
    CLEAN_PRODUCTION = "clean_production", _("Clean production")
    AIR = "air_pollution", _("Air-pollution control")
    WATER = "water_pollution", _("Water-pollution control")
    SAFETY = "work_safety", _("Work safety")
    PERMITS = "permits", _("Permits and approvals")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    OTHER = "other", _("Other")


class RequestStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")


class EnterpriseVisit(models.Model):
    """A government unit visits an enterprise (unit in the enterprise tree); both sides see the visit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    government_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="visits_made", verbose_name=_("visiting government unit")
    )
    enterprise_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="visits_received", verbose_name=_("visited enterprise")
    )
    visited_on = models.DateField(_("date of the visit"))
    participants = models.TextField(_("participants"))
    topics = models.JSONField(_("topics"), default=list)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("government_unit", "enterprise_unit"))

    class Meta:
        ordering = ["-visited_on"]
        verbose_name = _("government-enterprise visit")
        verbose_name_plural = _("government-enterprise visits")

    def __str__(self) -> str:
        return f"{self.government_unit} → {self.enterprise_unit} {self.visited_on}"

    def topic_labels(self) -> list[str]:
        return [str(VisitTopic(t).label) for t in self.topics if t in VisitTopic.values]


class VisitRequest(models.Model):
    """A problem or request the enterprise raised to the government: an owner, a due date and an answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(EnterpriseVisit, on_delete=models.PROTECT, related_name="requests", verbose_name=_("visit"))
    title = models.CharField(_("problem or request"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    topic = models.CharField(_("topic"), max_length=30, choices=VisitTopic.choices, default=VisitTopic.OTHER)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RAISED)
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("visit__government_unit", "visit__enterprise_unit", "owner_unit"))

    class Meta:
        ordering = ["visit", "created_at"]
        verbose_name = _("raised problem")
        verbose_name_plural = _("raised problems")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "title"],
                name="visit_request_title_once",
                violation_error_message=_("This problem is already recorded for the visit."),
            )
        ]

    def __str__(self) -> str:
        return self.title
