"""Process-based KPI assessment (过程考核): a scheme per period grades units with weighted process and result
indicators, deductions per event and one-vote veto items. Scores are computed from the platform's own records
(`metrics.py`), kept line by line with the events behind each line, adjusted with reasons and reviewed."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec


class IndicatorKind(models.TextChoices):
    PROCESS = "process", _("Process indicator")
    RESULT = "result", _("Result indicator")
    DEDUCTION = "deduction", _("Deduction per event")
    VETO = "veto", _("One-vote veto")


WEIGHTED_KINDS = (IndicatorKind.PROCESS, IndicatorKind.RESULT)


class Scheme(models.Model):
    """An assessment scheme of one unit (usually a group) for one period over the units it grades.

    The owner's subtree sees the scheme (its rules are no secret to the graded units); the scores are scoped
    separately: a graded unit sees its own score only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("assessing unit"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    units = models.ManyToManyField("orgs.OrgUnit", related_name="+", verbose_name=_("assessed units"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(_("scores computed at"), null=True, blank=True)

    scope = ScopeSpec(units=("owner_unit",), units_up=("owner_unit",), campaign=None)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("KPI assessment scheme")
        verbose_name_plural = _("KPI assessment schemes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="kpi_scheme_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["owner_unit", "title"],
                name="kpi_scheme_title_unique",
                violation_error_message=_("This unit already has an assessment scheme with this title."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """One line of a scheme. Process and result indicators carry a weight (all weights add up to 100) and score
    weight × rate; a deduction takes `points` per event up to `cap`; a veto item zeroes the total on any event."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("scheme"))
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("indicator"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=IndicatorKind.choices)
    metric = models.CharField(_("computed from"), max_length=40)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("points per event"), max_digits=5, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(_("at most"), max_digits=5, decimal_places=2, null=True, blank=True)

    scope = ScopeSpec(units=("scheme__owner_unit",), units_up=("scheme__owner_unit",), campaign=None)

    class Meta:
        ordering = ["scheme", "position"]
        verbose_name = _("KPI indicator")
        verbose_name_plural = _("KPI indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "position"],
                name="kpi_indicator_position_unique",
                violation_error_message=_("Two indicators of a scheme cannot share a position."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["process", "result"])
                | models.Q(weight__gt=0, weight__lte=100, points__isnull=True),
                name="kpi_indicator_weighted",
                violation_error_message=_("A process or result indicator needs a weight between 0 and 100 (no points)."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="deduction") | models.Q(points__gt=0, weight__isnull=True),
                name="kpi_indicator_deduction_points",
                violation_error_message=_("A deduction needs positive points per event (no weight)."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="veto") | models.Q(points__isnull=True, weight__isnull=True),
                name="kpi_indicator_veto_plain",
                violation_error_message=_("A veto item has neither weight nor points."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class ScoreStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    REVIEWED = "reviewed", _("Reviewed")


class Score(models.Model):
    """A unit's score under a scheme: the computed lines (with their events), adjustments, the final score and the
    rank among the scheme's units. The unit and the levels above see it; a sibling does not."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="scores", verbose_name=_("scheme"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    lines = models.JSONField(_("lines"), default=list)
    computed = models.DecimalField(_("computed score"), max_digits=6, decimal_places=2, default=Decimal("0"))
    vetoed = models.BooleanField(_("vetoed"), default=False)
    adjustment = models.DecimalField(_("adjustments"), max_digits=6, decimal_places=2, default=Decimal("0"))
    final = models.DecimalField(_("final score"), max_digits=6, decimal_places=2, default=Decimal("0"))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ScoreStatus.choices, default=ScoreStatus.COMPUTED)
    computed_at = models.DateTimeField(_("computed at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    scope = ScopeSpec(units=("unit", "scheme__owner_unit"), campaign=None)

    class Meta:
        ordering = ["scheme", "rank", "unit__path"]
        verbose_name = _("KPI score")
        verbose_name_plural = _("KPI scores")
        constraints = [models.UniqueConstraint(fields=["scheme", "unit"], name="kpi_score_once")]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.unit}"


class Adjustment(models.Model):
    """A reviewer's change to a score, with its reason: positive or negative points, optionally on one line."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("score"))
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    scope = ScopeSpec(units=("score__unit", "score__scheme__owner_unit"), campaign=None)

    class Meta:
        ordering = ["score", "made_at"]
        verbose_name = _("score adjustment")
        verbose_name_plural = _("score adjustments")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(points=0),
                name="kpi_adjustment_nonzero",
                violation_error_message=_("An adjustment must change the score."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} {self.points:+}"
