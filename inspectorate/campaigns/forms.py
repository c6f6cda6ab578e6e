"""Page forms for campaigns: the office's campaign form, the team's edit form, the roster.

The forms only parse input; saving goes through `actions` (authorize, atomic, audit), whose model validation
errors are shown back on the form with `apply_errors`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import TEAM_ROLES, Role
from inspectorate.orgs.selectors import units_for

from . import selectors
from .actions import TEAM_FIELDS
from .api import target_choices
from .models import Campaign, Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# The office's fields, in page order; the team's own campaign fields follow (actions.TEAM_FIELDS).
OFFICE_FIELDS = (
    "code", "name_zh", "name_en", "level", "campaign_type", "round_no", "batch_no", "inspecting_unit", "targets",
    "parent", "pre_notice_date", "mobilisation_date", "stationing_start", "stationing_end", "report_due",
    "archived_on", "reply_days", "reply_day_unit", "daily_cutoff", "notice_working_days",
)  # fmt: skip
TEAM_CAMPAIGN_FIELDS = tuple(sorted(TEAM_FIELDS))
TEAM_MODEL_FIELDS = (
    "name_zh",
    "name_en",
    "code",
    "leader_title",
    "hotline",
    "hotline_opens",
    "hotline_closes",
    "po_box",
    "email",
)
# The team's validation errors land on the form's prefixed team fields.
TEAM_ALIASES = {name: f"team_{name}" for name in TEAM_MODEL_FIELDS}


def _styled(field: forms.Field) -> forms.Field:
    if isinstance(field, forms.DateField):
        field.widget = DATE
    elif isinstance(field, forms.TimeField):
        field.widget = TIME
    return field


class CampaignForm(forms.Form):
    """The office sees every field (`office=True`); the team leader its own fields and the team's."""

    def __init__(self, *args: Any, user: Any, instance: Campaign | None = None, office: bool = True, **kwargs: Any) -> None:
        team = Team.objects.filter(campaign=instance).first() if instance is not None else None
        if instance is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {}
            for name in OFFICE_FIELDS + TEAM_CAMPAIGN_FIELDS:
                initial[name] = getattr(instance, name)
            initial["inspecting_unit"] = instance.inspecting_unit_id
            initial["parent"] = instance.parent_id
            initial["targets"] = [t.pk for t in instance.targets.all()]
            if team is not None:
                initial.update({f"team_{name}": getattr(team, name) for name in TEAM_MODEL_FIELDS})
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.office = office
        names = (OFFICE_FIELDS if office else ()) + TEAM_CAMPAIGN_FIELDS
        for name in names:
            self.fields[name] = _styled(Campaign._meta.get_field(name).formfield())  # type: ignore[union-attr,arg-type]
        if office:
            self.fields["inspecting_unit"].queryset = units_for(user, "campaigns.create")  # type: ignore[attr-defined]
            self.fields["targets"].queryset = target_choices(user)  # type: ignore[attr-defined]
            self.fields["parent"].queryset = selectors.campaigns_for(user).select_related(None).prefetch_related(None)  # type: ignore[attr-defined]
            if instance is not None:
                self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=instance.pk)  # type: ignore[attr-defined]
        for name in TEAM_MODEL_FIELDS:
            field = _styled(Team._meta.get_field(name).formfield())  # type: ignore[union-attr,arg-type]
            field.label = _("Team: %(field)s") % {"field": field.label}
            self.fields[f"team_{name}"] = field

    def campaign_data(self) -> tuple[dict[str, Any], list[Any] | None]:
        """(field changes, targets or None) for the action."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("team_") and k != "targets"}
        targets = list(self.cleaned_data["targets"]) if "targets" in self.cleaned_data else None
        return data, targets

    def team_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[f"team_{name}"] for name in TEAM_MODEL_FIELDS}


class TeamMemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in Role if r in TEAM_ROLES])
    title = forms.CharField(label=_("Title in the team"), max_length=150, required=False)
    valid_from = forms.DateField(label=_("From"), widget=DATE, required=False)
    valid_until = forms.DateField(label=_("Until"), widget=DATE, required=False)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user is called “%(name)s”."), params={"name": username})
        return user


class EndMemberForm(forms.Form):
    valid_until = forms.DateField(label=_("Last day"), widget=DATE, required=False)
