"""Page forms; every choice is limited to the user's scope. Saving goes through `actions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.orgs.models import Enterprise, OrgUnit
from inspectorate.orgs.selectors import enterprises_for, units_for

from . import selectors
from .models import Facility, FacilityType, LogStatus, MaintenancePlan, StepKind, VisitTopic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    facility_type = forms.ChoiceField(label=_("Type"), choices=FacilityType.choices)
    unit = forms.ModelChoiceField(label=_("Unit (plant)"), queryset=OrgUnit.objects.none())
    enterprise = forms.ModelChoiceField(label=_("Regulated enterprise"), queryset=Enterprise.objects.none(), required=False)
    lat = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False)
    lon = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False)
    commissioned_on = forms.DateField(label=_("Commissioning date"), required=False, widget=DATE)
    capacity = forms.DecimalField(label=_("Design capacity"), max_digits=14, decimal_places=2, required=False)
    capacity_unit = forms.CharField(label=_("Capacity unit"), max_length=40, required=False, help_text=_("e.g. m³/h, t/d"))
    active = forms.BooleanField(label=_("In service"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, "facilities.manage")  # type: ignore[attr-defined]
        self.fields["enterprise"].queryset = enterprises_for(user)  # type: ignore[attr-defined]


class LogForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    day = forms.DateField(label=_("Date"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=LogStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required in practice for a stop or a fault: without one the log is flagged for review."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = selectors.facilities_for(user, "facilities.log").filter(active=True)  # type: ignore[attr-defined]
        self.fields["day"].initial = timezone.localdate()
        self.fields["status"].initial = LogStatus.RUNNING


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Maintenance item"), max_length=200)
    interval_days = forms.IntegerField(label=_("Interval (days)"), min_value=1)
    starts_on = forms.DateField(label=_("First due on"), widget=DATE)


class MaintenanceForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Maintenance plan"), queryset=MaintenancePlan.objects.none(), required=False)
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    description = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}))
    performed_by = forms.CharField(label=_("Performed by"), max_length=200, required=False)

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = facility.plans.filter(active=True)  # type: ignore[attr-defined]
        self.fields["done_on"].initial = timezone.localdate()


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    enterprise = forms.ModelChoiceField(label=_("Regulated enterprise"), queryset=Enterprise.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, "projects.manage")  # type: ignore[attr-defined]
        self.fields["enterprise"].queryset = enterprises_for(user)  # type: ignore[attr-defined]


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    done_on = forms.DateField(label=_("Date"), widget=DATE)
    reference = forms.CharField(label=_("Document number or title"), max_length=200)
    document = forms.FileField(label=_("Document"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OperateForm(forms.Form):
    on = forms.DateField(label=_("In operation since"), widget=DATE, required=False)
    override_reason = forms.CharField(
        label=_("Reason for operating with missing steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only an authorised role may override; the reason is kept in the audit trail."),
    )


class VisitForm(forms.Form):
    government_unit = forms.ModelChoiceField(label=_("Visiting government unit"), queryset=OrgUnit.objects.none())
    enterprise_unit = forms.ModelChoiceField(
        label=_("Visited enterprise"), queryset=OrgUnit.objects.filter(kind="enterprise", active=True)
    )
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}))
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=VisitTopic.choices, widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["government_unit"].queryset = units_for(user, "visits.manage").filter(kind="government")  # type: ignore[attr-defined]
