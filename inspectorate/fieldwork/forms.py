"""Server-rendered forms; every choice limited to the user's scope. Saving goes through `actions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inspectorate.campaigns.models import Campaign
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.complaints.models import PollutionType
from inspectorate.orgs.models import Enterprise, OrgUnit
from inspectorate.orgs.selectors import enterprises_for, units_for
from inspectorate.rectification.forms import DATE

from .models import ItemStatus, Rank, VisitKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class _Scoped(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns_for(user).select_related(None).prefetch_related(None)  # type: ignore[attr-defined]
        for name in ("target_unit", "unit"):
            if name in self.fields:
                self.fields[name].queryset = units_for(user).select_related(None).exclude(kind="inspectorate")  # type: ignore[attr-defined]
        if "enterprises" in self.fields:
            self.fields["enterprises"].queryset = enterprises_for(user).select_related(None)  # type: ignore[attr-defined]


class InfoRequestForm(_Scoped):
    target_unit = forms.ModelChoiceField(label=_("Requested from"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Subject"), max_length=300)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("Regulations on Eco-environmental Protection Inspection Work"),
    )
    due_at = forms.DateTimeField(label=_("Due at"), widget=DATETIME)
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40)
    items = forms.CharField(
        label=_("Documents or data requested"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line."),
    )

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_("List at least one document or data item."))
        return lines


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, user: Any, target: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (  # type: ignore[attr-defined]
            units_for(user).select_related(None).filter(path__startswith=target.path).exclude(pk=target.pk).order_by("path")
        )


class DeliverForm(forms.Form):
    documents = MultipleFileField(label=_("Files"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    declarant_name = forms.CharField(label=_("Declarant"), max_length=100, required=False)
    declared_at = forms.DateTimeField(label=_("Declared at"), widget=DATETIME, required=False)
    declaration = forms.BooleanField(label=_("I declare these documents true, accurate and complete."), required=False)


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Mark"),
        choices=[(s, ItemStatus(s).label) for s in (ItemStatus.COMPLETE, ItemStatus.INCOMPLETE, ItemStatus.REFUSED)],
    )
    reason = forms.CharField(label=_("Reason"), required=False)


class TalkForm(_Scoped):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    person_name = forms.CharField(label=_("Person talked to"), max_length=100)
    post = forms.CharField(label=_("Post"), max_length=200)
    rank = forms.ChoiceField(label=_("Rank"), choices=Rank.choices, initial=Rank.OTHER)
    date = forms.DateField(label=_("Date"), widget=DATE)
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes (team only)"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class VisitForm(_Scoped):
    unit = forms.ModelChoiceField(label=_("Unit visited"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    planned_on = forms.DateField(label=_("Planned for"), widget=DATE)
    location = forms.CharField(label=_("Location"), max_length=300)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    enterprises = forms.ModelMultipleChoiceField(label=_("Enterprises"), queryset=Enterprise.objects.none(), required=False)


class CompleteForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    summary = forms.CharField(label=_("Summary of what was found"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))


class PhotosForm(forms.Form):
    attachments = MultipleFileField(label=_("Photos or videos"))


class ToCaseForm(forms.Form):
    is_key = forms.BooleanField(label=_("Key case"), required=False)
    pollution_types = forms.MultipleChoiceField(label=_("Pollution types"), choices=PollutionType.choices, required=False)


class ToProblemForm(forms.Form):
    number = forms.CharField(label=_("Problem number"), max_length=20, required=False)
    title = forms.CharField(label=_("Problem"), max_length=500, required=False)
