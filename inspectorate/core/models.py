"""Core tables: administrator overrides of the working-day calendar, and the attempts counted by `core.throttle`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A date whose working/non-working status is fixed by an administrator.

    It wins over chinese-calendar, and it is how future years' holiday
    arrangements are entered before a library release carries them.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("E.g. National Day, or adjusted workday"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("day off")
        return f"{self.date.isoformat()} {kind} {self.label}".strip()


class ThrottleHit(models.Model):
    """One counted attempt (a wrong tracking secret, a public submission …) for `core.throttle`.

    Kept in the database, not in one process's memory, so that every app process counts the same attempts.
    The key is stored as a SHA-256 (no client addresses in the table)."""

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key_hash", "at"], name="throttle_scope_key_at")]
        verbose_name = _("throttled attempt")
        verbose_name_plural = _("throttled attempts")

    def __str__(self) -> str:
        return f"{self.scope} {self.at.isoformat()}"


class VersionStamp(models.Model):
    """The version of a piece of editable data that processes keep in memory (the keyword dictionary, the
    routing units and polygons, the enterprise names). `core.stamps.bump(name)` gives it a new token whenever
    the data changes; every process compares the token with the one its copy was built from before each use,
    so an edit is seen by every process at once (`core.stamps`)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("version stamp")
        verbose_name_plural = _("version stamps")

    def __str__(self) -> str:
        return f"{self.name} {self.token[:8]}"


class SchedulerRun(models.Model):
    """One run of a scheduled job for one day (and target, e.g. a campaign), written by `core.scheduler`.

    The unique (job, target, day) row is how a slot is claimed: of two schedulers only the one whose insert
    succeeds runs the job, so a day's work is never done twice."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=60)
    target = models.CharField(_("target"), max_length=60, blank=True, help_text=_("E.g. the campaign of a cut-off."))
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.JSONField(_("what changed"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-day", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "target", "day"],
                name="scheduler_run_once_per_day",
                violation_error_message=_("This job has already run for this day."),
            )
        ]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return f"{self.job}{' ' + self.target if self.target else ''} {self.day.isoformat()} {self.status}"


class CreateKey(models.Model):
    """A client's Idempotency-Key on a create (see `inspectorate.core.idempotency`)."""

    client_scope = models.CharField(max_length=150)
    resource = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client_scope", "resource", "key"], name="core_createkey_unique")]

    def __str__(self) -> str:
        return f"{self.client_scope}:{self.resource}:{self.key}"
