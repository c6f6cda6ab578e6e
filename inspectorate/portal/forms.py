"""The public e-mail alert form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.orgs.models import OrgUnit, UnitKind

from . import selectors


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return "\u3000" * obj.depth + obj.name


class AlertForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    campaign = forms.ModelChoiceField(
        label=_("Inspection"), queryset=selectors.public_campaigns(), required=False, empty_label=_("All inspections")
    )
    region = RegionChoiceField(
        label=_("Area"),
        queryset=OrgUnit.objects.filter(kind=UnitKind.GOVERNMENT, active=True).order_by("path"),
        required=False,
        empty_label=_("Everywhere"),
        help_text=_("A province, city or county: you hear of what concerns it and the places under it."),
    )
    results = forms.BooleanField(label=_("New published handling results of transfer batches"), required=False, initial=True)
    notices = forms.BooleanField(label=_("New closures under public notice (objections are open)"), required=False, initial=True)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for robots: people leave it empty

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.public_campaigns()  # "today" is when the form is made, not when the module loads

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("results") and not data.get("notices"):
            raise forms.ValidationError(_("Choose at least one kind of news to hear about."), code="nothing")
        return data
