"""Graded acceptance: which level of unit accepts which class of task, per campaign (configuration)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec
from inspectorate.orgs.models import UnitType

from .problems import Nature


class AcceptanceRule(models.Model):
    """Tasks of `nature` in `campaign` must name an acceptance unit of `unit_type` (e.g. deep-seated → province)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign"))
    nature = models.CharField(_("nature class"), max_length=20, choices=Nature.choices)
    unit_type = models.CharField(_("accepted at level"), max_length=30, choices=UnitType.choices)

    scope = ScopeSpec(units=("campaign__inspecting_unit", "campaign__targets"), campaign="campaign")

    class Meta:
        verbose_name = _("graded acceptance rule")
        verbose_name_plural = _("graded acceptance rules")
        constraints = [models.UniqueConstraint(fields=["campaign", "nature"], name="acceptance_rule_once")]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} → {self.get_unit_type_display()}"


def acceptance_error(campaign_id: Any, nature: str, acceptance_unit: Any) -> str:
    """The rule's complaint about this acceptance unit, or '' when it fits (or no rule applies)."""
    rule = AcceptanceRule.objects.filter(campaign_id=campaign_id, nature=nature).first()
    if rule is None or getattr(acceptance_unit, "unit_type", None) == rule.unit_type:
        return ""
    return str(
        _("%(nature)s tasks are accepted at the level “%(level)s” in this campaign; %(unit)s is not.")
        % {"nature": rule.get_nature_display(), "level": rule.get_unit_type_display(), "unit": acceptance_unit}
    )
