"""Page forms for hidden dangers (the API takes the same fields through its serializers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DangerEvidence, HiddenDanger, SelfInspection


class DateInput(forms.DateInput):
    input_type = "date"


class DangerForm(forms.ModelForm):
    class Meta:
        model = HiddenDanger
        fields = [
            "unit", "title", "location", "category", "level", "found_on", "description", "measure", "responsible_person",
            "deadline",
        ]  # fmt: skip
        widgets = {
            "found_on": DateInput(format="%Y-%m-%d"),
            "deadline": DateInput(format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "measure": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, units: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if editing:
            del self.fields["unit"]
        self.fields["level"].help_text = _("A major hidden danger is escalated to the level above, which supervises it.")


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    stage = forms.ChoiceField(label=_("Shows"), choices=DangerEvidence.Stage.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class SelfInspectionForm(forms.ModelForm):
    class Meta:
        model = SelfInspection
        fields = ["organiser", "title", "checklist", "scope_units", "start_date", "end_date", "campaign"]
        widgets = {
            "start_date": DateInput(format="%Y-%m-%d"),
            "end_date": DateInput(format="%Y-%m-%d"),
            "scope_units": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, organisers: Any, units: Any, checklists: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]
        self.fields["scope_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["checklist"].queryset = checklists  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["scope_units"].help_text = _("Units under the organising unit (a plant inspects itself).")
