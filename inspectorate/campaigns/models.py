"""Inspection campaigns: level, type, round and batch, team, targets, phases and clock rules."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec
from inspectorate.core import calendar


def evening_close() -> dt.time:
    """20:00: the default daily intake cut-off and hotline closing time. A callable, not a fixed `dt.time`: Django's
    check for fixed defaults (fields.W161) compares a time-of-day default with the clock, and `check --deploy`
    failed for the 20 seconds around 20:00 UTC each day."""
    return dt.time(20, 0)


class Level(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial")
    GROUP = "group", _("Group-internal")


class CampaignType(models.TextChoices):
    ROUTINE = "routine", _("Routine inspection")
    SPECIAL = "special", _("Special inspection")
    LOOK_BACK = "look_back", _("Look-back")


class DayUnit(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class Stage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PRE_NOTIFIED = "pre_notified", _("Pre-notified")
    STATIONED = "stationed", _("Stationed")
    FIELD_DESCENT = "field_descent", _("Stationed: field descent")
    WITHDRAWN = "withdrawn", _("Withdrawn, awaiting feedback")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given, plan being drafted")
    RECTIFYING = "rectifying", _("Rectifying")
    ARCHIVED = "archived", _("Archived")


# Default length of the stay, in calendar days (DOMAIN.md §1: central ≈ 30, provincial 20–25, special ≈ 14).
DEFAULT_STAY_DAYS = {Level.CENTRAL: 30, Level.PROVINCIAL: 25, Level.GROUP: 20}
SPECIAL_STAY_DAYS = 14
DEFAULT_REPLY_DAYS = {Level.CENTRAL: 10, Level.PROVINCIAL: 7, Level.GROUP: 7}
PRE_NOTICE_DAYS = 7
PLAN_WORKING_DAYS = 30


class Campaign(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Also the Open311 jurisdiction id."))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    campaign_type = models.CharField(_("type"), max_length=20, choices=CampaignType.choices, default=CampaignType.ROUTINE)
    round_no = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)
    batch_no = models.PositiveSmallIntegerField(_("batch"), null=True, blank=True)
    inspecting_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="campaigns_run", verbose_name=_("inspecting body")
    )
    targets = models.ManyToManyField("orgs.OrgUnit", related_name="campaigns_targeting", verbose_name=_("targets"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("spawned from / looks back at"),
    )
    # Phases (dates, Asia/Shanghai).
    pre_notice_date = models.DateField(_("pre-notice letter"), null=True, blank=True)
    mobilisation_date = models.DateField(_("mobilisation meeting"), null=True, blank=True)
    stationing_start = models.DateField(_("stationing starts"))
    stationing_end = models.DateField(_("stationing ends"), blank=True)
    descent_start = models.DateField(_("field descent starts"), null=True, blank=True)
    feedback_date = models.DateField(_("feedback"), null=True, blank=True)
    plan_due = models.DateField(_("rectification plan due"), null=True, blank=True)
    report_due = models.DateField(_("implementation report due"), null=True, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    # Clock rules (DOMAIN.md §5), per campaign.
    reply_days = models.PositiveSmallIntegerField(_("case reply deadline"), blank=True)
    reply_day_unit = models.CharField(_("counted in"), max_length=10, choices=DayUnit.choices, default=DayUnit.CALENDAR)
    daily_cutoff = models.TimeField(_("daily intake cut-off"), default=evening_close)
    notice_working_days = models.PositiveSmallIntegerField(_("sign-off notice (working days)"), default=5)
    summary = models.TextField(_("summary"), blank=True)

    scope = ScopeSpec(units=("inspecting_unit", "targets"), campaign="", units_up=("targets",))

    class Meta:
        ordering = ["-stationing_start", "code"]
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stationing_end__gte=models.F("stationing_start")),
                name="campaign_stationing_ordered",
                violation_error_message=_("The stay cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    # -- defaults and validation ------------------------------------------------
    def default_stay_days(self) -> int:
        if self.campaign_type == CampaignType.SPECIAL:
            return SPECIAL_STAY_DAYS
        return DEFAULT_STAY_DAYS.get(Level(self.level), 25)

    def apply_defaults(self) -> None:
        if self.stationing_start and not self.stationing_end:
            self.stationing_end = self.stationing_start + dt.timedelta(days=self.default_stay_days() - 1)
        if self.stationing_start and not self.pre_notice_date:
            self.pre_notice_date = self.stationing_start - dt.timedelta(days=PRE_NOTICE_DAYS)
        if self.stationing_start and not self.mobilisation_date:
            self.mobilisation_date = self.stationing_start
        if not self.reply_days:
            self.reply_days = DEFAULT_REPLY_DAYS.get(Level(self.level), 10) if self.level else 10
        if self.feedback_date and not self.plan_due:
            self.plan_due = calendar.add_working_days(self.feedback_date, PLAN_WORKING_DAYS)

    def clean(self) -> None:
        self.apply_defaults()
        errors: dict[str, object] = {}
        if self.stationing_start and self.stationing_end and self.stationing_end < self.stationing_start:
            errors["stationing_end"] = _("The stay cannot end before it starts.")
        if self.pre_notice_date and self.stationing_start and self.pre_notice_date > self.stationing_start:
            errors["pre_notice_date"] = _("The pre-notice letter must come before the stay starts.")
        if (
            self.mobilisation_date
            and self.stationing_end
            and not ((self.pre_notice_date or self.mobilisation_date) <= self.mobilisation_date <= self.stationing_end)
        ):
            errors["mobilisation_date"] = _("The mobilisation meeting must fall between the pre-notice and the end of the stay.")
        if (
            self.descent_start
            and self.stationing_start
            and self.stationing_end
            and not (self.stationing_start <= self.descent_start <= self.stationing_end)
        ):
            errors["descent_start"] = _("Field descent must start during the stay.")
        if self.feedback_date and self.stationing_end and self.feedback_date < self.stationing_end:
            errors["feedback_date"] = _("Feedback cannot come before the stay ends.")
        if self.plan_due and self.feedback_date and self.plan_due < self.feedback_date:
            errors["plan_due"] = _("The plan cannot be due before the feedback.")
        if self.report_due and self.plan_due and self.report_due < self.plan_due:
            errors["report_due"] = _("The implementation report cannot be due before the plan.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        self.apply_defaults()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    # -- derived --------------------------------------------------------------
    def stage(self, today: dt.date | None = None) -> Stage:
        today = today or timezone.localdate()
        if self.archived_on and today >= self.archived_on:
            return Stage.ARCHIVED
        if self.feedback_date and today >= self.feedback_date:
            if self.plan_due and today > self.plan_due:
                return Stage.RECTIFYING
            return Stage.FEEDBACK_GIVEN
        if today > self.stationing_end:
            return Stage.WITHDRAWN
        if today >= self.stationing_start:
            if self.descent_start and today >= self.descent_start:
                return Stage.FIELD_DESCENT
            return Stage.STATIONED
        if self.pre_notice_date and today >= self.pre_notice_date:
            return Stage.PRE_NOTIFIED
        return Stage.PLANNED

    @property
    def current_stage(self) -> Stage:
        return self.stage()

    def stay_days(self) -> int:
        return (self.stationing_end - self.stationing_start).days + 1

    def is_intake_open(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.stationing_start <= on <= self.stationing_end

    def target_paths(self) -> list[str]:
        cached = getattr(self, "_target_paths", None)
        if cached is None:
            cached = list(self.targets.values_list("path", flat=True))
            self._target_paths = cached
        return cached

    def phases(self) -> list[tuple[str, dt.date | None, bool]]:
        """(label, date, estimated) in order, for the campaign page."""
        plan_estimated = bool(self.feedback_date and calendar.is_estimated_range(self.feedback_date, self.plan_due))
        return [
            (str(_("Pre-notice letter")), self.pre_notice_date, False),
            (str(_("Mobilisation meeting")), self.mobilisation_date, False),
            (str(_("Stationing starts")), self.stationing_start, False),
            (str(_("Field descent starts")), self.descent_start, False),
            (str(_("Stationing ends")), self.stationing_end, False),
            (str(_("Feedback")), self.feedback_date, False),
            (str(_("Rectification plan due")), self.plan_due, plan_estimated),
            (str(_("Implementation report due")), self.report_due, False),
        ]


class Team(models.Model):
    """The inspection team stationed for one campaign."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="team", verbose_name=_("campaign"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    code = models.CharField(_("team code"), max_length=10, help_text=_("Used in case numbers, e.g. 3 in D3GX…"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("leader")
    )
    leader_title = models.CharField(_("leader's position"), max_length=200, blank=True)
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    po_box = models.CharField(_("PO box"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hotline_opens = models.TimeField(_("hotline opens"), default=dt.time(8, 0))
    hotline_closes = models.TimeField(_("hotline closes"), default=evening_close)

    scope = ScopeSpec(
        units=("campaign__inspecting_unit", "campaign__targets"), campaign="campaign", units_up=("campaign__targets",)
    )

    class Meta:
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def clean(self) -> None:
        if self.hotline_opens and self.hotline_closes and self.hotline_opens == self.hotline_closes:
            raise ValidationError({"hotline_closes": _("The hotline cannot open and close at the same time.")})
