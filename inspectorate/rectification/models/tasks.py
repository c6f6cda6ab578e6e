"""Ledger tasks (台账), their measures with milestones, evidence, progress, objections and reopenings."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec
from inspectorate.core.crypto import EncryptedTextField

from .problems import natural_key


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_ACCEPTANCE = "pending_acceptance", _("Pending acceptance")
    UNDER_NOTICE = "under_notice", _("Under public notice")
    CLOSED = "closed", _("Closed (filed)")
    REOPENED = "reopened", _("Reopened")


class SignOffStep(models.TextChoices):
    NONE = "", _("—")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("Acceptance requested")
    SITE_VERIFIED = "site_verified", _("Verified on site")
    SIGNED = "signed", _("Signed")
    UNDER_NOTICE = "under_notice", _("Under notice")
    FILED = "filed", _("Filed")
    RETURNED = "returned", _("Returned")


# The task's place on the sign-off path and its record: written only by the sign-off actions
# (rectification.actions.signoff), never by the task form, the API's create/update, the import or the admin.
SIGNOFF_FIELDS = frozenset(
    {
        "status", "signoff_step", "applied_by", "applied_at", "verified_by", "verified_at", "verification_conclusion",
        "signed_by", "signed_at", "notice_start", "notice_end", "notice_days", "notice_estimated", "closed_on",
        "filed_by", "return_reason", "reopen_count",
    }
)  # fmt: skip
# The states a task may be created in; every later state is reached through sign-off.
NEW_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class ScheduleState(models.TextChoices):
    DONE = "done", _("Done")
    ON_SCHEDULE = "on_schedule", _("On schedule")
    BEHIND = "behind", _("Behind")
    OVERDUE = "overdue", _("Overdue")


class ClosureClaim(models.TextChoices):
    NONE = "", _("—")
    STOPPED = "stopped", _("Production stopped")
    SHUT_DOWN = "shut_down", _("Shut down")
    REMOVED = "removed", _("Removed / demolished")


class ReopenSource(models.TextChoices):
    SPOT_CHECK = "spot_check", _("Spot check")
    LOOK_BACK = "look_back", _("Look-back")
    COMPLAINT = "complaint", _("Complaint")
    MEDIA = "media", _("Media exposure")
    OBJECTION = "objection", _("Objection")


class LeaderRank(models.TextChoices):
    PROVINCE = "province", _("Provincial / ministerial level")
    DEPARTMENT = "department", _("Department / bureau level")
    DIVISION = "division", _("County / division level")
    SECTION = "section", _("Township / section level")
    OTHER = "other", _("Other level")


class LeaderQuerySet(models.QuerySet["Leader"]):
    def active_on(self, day: dt.date) -> LeaderQuerySet:
        """Leaders in post on `day` (both ends inclusive, like memberships)."""
        return self.filter(valid_from__lte=day).filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day))


class Leader(models.Model):
    """A responsible leader, attached to a unit, dated; may have a login.

    Kept by the target's liaison office (rectification.actions.leaders). Ending a leader sets `valid_until` and
    keeps the row: tasks keep pointing at the leader they had, and the history stays in the audit chain.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name or position"), max_length=150)
    post = models.CharField(_("post"), max_length=150, blank=True)
    rank = models.CharField(_("rank"), max_length=20, choices=LeaderRank.choices, default=LeaderRank.OTHER)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    valid_from = models.DateField(_("in post from"), default=timezone.localdate)
    valid_until = models.DateField(_("in post until"), null=True, blank=True)

    objects = LeaderQuerySet.as_manager()

    scope = ScopeSpec(units=("unit",), campaign=None)

    class Meta:
        ordering = ["name"]
        verbose_name = _("responsible leader")
        verbose_name_plural = _("responsible leaders")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                condition=models.Q(valid_until__isnull=True),
                name="leader_unique_current_per_unit",
                violation_error_message=_("This unit already has a current leader with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="leader_dates_ordered",
                violation_error_message=_("A leader cannot leave the post before taking it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post and self.post != self.name else self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("campaign"))
    problem = models.ForeignKey(
        "rectification.Problem", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("problem")
    )
    plan = models.ForeignKey(
        "rectification.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name=_("plan")
    )
    number = models.CharField(_("task number"), max_length=20)
    sort_key = models.CharField(max_length=80, editable=False, db_index=True)
    goal = models.TextField(_("goal"))
    lead_leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("lead leader"))
    lead_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit"))
    implementing_units = models.ManyToManyField(
        "orgs.OrgUnit", blank=True, related_name="+", verbose_name=_("implementing units")
    )
    acceptance_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("acceptance unit")
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Start of the span used for time-proportional progress.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    long_term = models.BooleanField(_("long-term"), default=False)
    review_dates = models.JSONField(_("review dates (long-term)"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED, db_index=True
    )
    signoff_step = models.CharField(_("sign-off step"), max_length=30, choices=SignOffStep.choices, default="", blank=True)
    closure_claim = models.CharField(_("closure claim"), max_length=20, choices=ClosureClaim.choices, default="", blank=True)
    # Sign-off record (history is in the audit trail).
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("verified on site at"), null=True, blank=True)
    verification_conclusion = models.TextField(_("on-site conclusion"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    notice_start = models.DateField(_("notice starts"), null=True, blank=True)
    notice_end = models.DateField(_("notice ends"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("notice (working days)"), null=True, blank=True)
    notice_estimated = models.BooleanField(default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("last return reason"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = ScopeSpec(
        units=("lead_unit", "implementing_units", "acceptance_unit"),
        campaign="campaign",
        owners=("lead_unit", "implementing_units"),
    )

    class Meta:
        ordering = ["campaign", "sort_key"]
        verbose_name = _("ledger task")
        verbose_name_plural = _("ledger tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="task_number_unique",
                violation_error_message=_("This task number is already used in this campaign."),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="task_progress_max_100",
                violation_error_message=_("Progress cannot exceed 100%."),
            ),
            models.CheckConstraint(
                condition=models.Q(long_term=True) | models.Q(deadline__isnull=False),
                name="task_deadline_or_long_term",
                violation_error_message=_("A task needs a deadline unless it is long-term."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.goal[:40]}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.sort_key = natural_key(self.number)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.long_term and self.deadline is None:
            raise ValidationError({"deadline": _("A task needs a deadline unless it is long-term.")})
        if self.start_date and self.deadline and self.start_date > self.deadline:
            raise ValidationError({"start_date": _("The start date cannot fall after the deadline.")})

    @property
    def is_closed(self) -> bool:
        return self.status == TaskStatus.CLOSED

    @property
    def filed_through_signoff(self) -> bool:
        """Closed by the sign-off path: signed, noticed, and filed after the notice ended (what the public sees as done)."""
        return (
            self.status == TaskStatus.CLOSED
            and self.signoff_step == SignOffStep.FILED
            and self.signed_at is not None
            and self.notice_start is not None
            and self.notice_end is not None
            and self.closed_on is not None
            and self.notice_start <= self.notice_end < self.closed_on
        )


class Measure(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="measures", verbose_name=_("task"))
    number = models.PositiveSmallIntegerField(_("measure number"))
    text = models.TextField(_("measure"))
    milestone = models.DateField(_("milestone"))
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    scope = ScopeSpec(units=("task__lead_unit", "task__implementing_units", "task__acceptance_unit"), campaign="task__campaign")

    class Meta:
        ordering = ["task", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="measure_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


def evidence_path(instance: Evidence, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{ext[:8]}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    MONITORING = "monitoring", _("Monitoring data")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


# What an upload may be declared as (OTHER stays readable for older files).
UPLOAD_KINDS = (EvidenceKind.PHOTO, EvidenceKind.MONITORING, EvidenceKind.DOCUMENT, EvidenceKind.VIDEO)


class ImmutableError(Exception):
    pass


class Evidence(models.Model):
    """An evidence file on a measure. Stored once, never changed: the SHA-256 proves it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("task"))
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("measure"))
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.DOCUMENT)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    captured_on = models.DateField(_("captured / dated"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Where the file says it was taken (EXIF GPS of a JPEG photo); empty when the file carries no position.
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    scope = ScopeSpec(units=("task__lead_unit", "task__implementing_units", "task__acceptance_unit"), campaign="task__campaign")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise ImmutableError("evidence is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ImmutableError("evidence is immutable")


class ProgressUpdate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates", verbose_name=_("task"))
    period = models.DateField(_("reporting date"))
    percent = models.PositiveSmallIntegerField(_("progress %"))
    note = models.TextField(_("report"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("task__lead_unit", "task__implementing_units", "task__acceptance_unit"), campaign="task__campaign")

    class Meta:
        ordering = ["-period", "-reported_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection raised during a task's public notice (from the portal or the hotline)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="objections", verbose_name=_("task"))
    text = models.TextField(_("objection"))
    contact = EncryptedTextField(_("contact (kept private)"), blank=True)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.TextField(_("decision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=("task__lead_unit", "task__implementing_units", "task__acceptance_unit"), campaign="task__campaign")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")


class Reopening(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("task"))
    source = models.CharField(_("source"), max_length=20, choices=ReopenSource.choices)
    reason = models.TextField(_("reason"))
    on = models.DateField(_("reopened on"))
    closed_on_before = models.DateField(_("had been closed on"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopeSpec(units=("task__lead_unit", "task__implementing_units", "task__acceptance_unit"), campaign="task__campaign")

    class Meta:
        ordering = ["-on"]
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
