"""The team's own fieldwork: information requests (资料调阅), individual talks (个别谈话) and site visits (走访/暗访)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class ItemStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ASSIGNED = "assigned", _("Assigned to a department")
    DELIVERED = "delivered", _("Delivered")
    COMPLETE = "complete", _("Complete")
    INCOMPLETE = "incomplete", _("Incomplete (returned)")
    REFUSED = "refused", _("Refused")


# Items still owed by the target: past the due time they count as possible obstruction.
OWED = (ItemStatus.ISSUED, ItemStatus.ASSIGNED, ItemStatus.INCOMPLETE)


class InfoRequest(models.Model):
    """A document request (调阅函) from the team to a target unit: items, legal basis, due time, contact."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="info_requests", verbose_name=_("campaign")
    )
    number = models.PositiveIntegerField(_("number"))
    target_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="info_requests", verbose_name=_("requested from")
    )
    title = models.CharField(_("subject"), max_length=300)
    legal_basis = models.TextField(_("legal basis"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopeSpec(units=("target_unit", "items__department"), campaign="campaign")

    class Meta:
        ordering = ["-issued_at", "-number"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="info_request_number_unique",
                violation_error_message=_("This request number is already used in this campaign."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("issued_at")),
                name="info_request_due_after_issue",
                violation_error_message=_("The due time must be after the time the request is issued."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Information request %(n)s · %(title)s") % {"n": self.number, "title": self.title})

    def is_past_due(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.due_at


class InfoRequestItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="items", verbose_name=_("request"))
    seq = models.PositiveSmallIntegerField(_("No."))
    description = models.TextField(_("documents or data requested"))
    department = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="info_request_items",
        verbose_name=_("assigned department"),
    )
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.ISSUED)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("reason"), blank=True)

    scope = ScopeSpec(units=("request__target_unit", "department"), campaign="request__campaign")

    class Meta:
        ordering = ["request", "seq"]
        verbose_name = _("requested item")
        verbose_name_plural = _("requested items")
        constraints = [models.UniqueConstraint(fields=["request", "seq"], name="info_request_item_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.description[:60]}"

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return self.status in OWED and self.request.is_past_due(now)


class Delivery(models.Model):
    """One delivered version of an item's documents, with the truthfulness declaration (who, when)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(InfoRequestItem, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("item"))
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="info_requests/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    note = models.TextField(_("note"), blank=True)
    declarant_name = models.CharField(_("declarant"), max_length=100)
    declared_at = models.DateTimeField(_("declared at"))
    declaration = models.TextField(_("declaration"))
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)

    scope = ScopeSpec(units=("item__request__target_unit", "item__department"), campaign="item__request__campaign")

    class Meta:
        ordering = ["item", "version", "delivered_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Rank(models.TextChoices):
    MINISTERIAL = "ministerial", _("Ministerial / provincial level")
    BUREAU = "bureau", _("Department / bureau level")
    DIVISION = "division", _("Division level")
    SECTION = "section", _("Section level")
    OTHER = "other", _("Other")


class Talk(models.Model):
    """An individual talk (个别谈话). The notes are for the team and the discipline body only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="talks", verbose_name=_("campaign"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    person_name = models.CharField(_("person talked to"), max_length=100)
    post = models.CharField(_("post"), max_length=200)
    rank = models.CharField(_("rank"), max_length=12, choices=Rank.choices, default=Rank.OTHER)
    date = models.DateField(_("date"))
    topics = models.TextField(_("topics"))
    notes = models.TextField(_("notes (team only)"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("unit",), campaign="campaign")

    class Meta:
        ordering = ["-date", "person_name"]
        verbose_name = _("individual talk")
        verbose_name_plural = _("individual talks")

    def __str__(self) -> str:
        return f"{self.person_name} ({self.post}) {self.date:%Y-%m-%d}"


class VisitKind(models.TextChoices):
    ANNOUNCED = "announced", _("Announced visit")
    UNANNOUNCED = "unannounced", _("Unannounced visit")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


class SiteVisit(models.Model):
    """A site visit (走访) or unannounced check (暗访). An unannounced one stays hidden from the target until done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="site_visits", verbose_name=_("campaign")
    )
    number = models.PositiveIntegerField(_("number"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit visited"))
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    planned_on = models.DateField(_("planned for"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    summary = models.TextField(_("summary of what was found"), blank=True)
    enterprises = models.ManyToManyField("orgs.Enterprise", blank=True, related_name="+", verbose_name=_("enterprises"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("unit",), campaign="campaign")

    class Meta:
        ordering = ["-planned_on", "-number"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="site_visit_number_unique"),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | (models.Q(lat__gte=-90) & models.Q(lat__lte=90)),
                name="site_visit_lat_range",
                violation_error_message=_("Latitude must lie between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=models.Q(lon__isnull=True) | (models.Q(lon__gte=-180) & models.Q(lon__lte=180)),
                name="site_visit_lon_range",
                violation_error_message=_("Longitude must lie between -180 and 180."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Site visit %(n)s · %(place)s") % {"n": self.number, "place": self.location})


class VisitFinding(models.Model):
    """One finding of a visit; it can become a complaint case or a rectification problem, once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("visit"))
    seq = models.PositiveSmallIntegerField(_("No."))
    text = models.TextField(_("finding"))
    enterprise = models.ForeignKey(
        "orgs.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("enterprise")
    )
    case = models.ForeignKey(
        "complaints.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    problem = models.ForeignKey(
        "rectification.Problem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("problem"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("visit__unit",), campaign="visit__campaign")

    class Meta:
        ordering = ["visit", "seq"]
        verbose_name = _("visit finding")
        verbose_name_plural = _("visit findings")
        constraints = [models.UniqueConstraint(fields=["visit", "seq"], name="visit_finding_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text[:60]}"


class VisitPhoto(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    file = models.FileField(_("file"), upload_to="visits/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    scope = ScopeSpec(units=("visit__unit",), campaign="visit__campaign")

    class Meta:
        ordering = ["visit", "uploaded_at"]

    def __str__(self) -> str:
        return self.name
