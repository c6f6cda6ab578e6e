"""Page forms of the kpi app: a scheme with its indicator rows (a formset). Saving goes through `actions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.orgs.models import OrgUnit
from inspectorate.orgs.selectors import units_for

from . import metrics
from .models import Indicator, IndicatorKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchemeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    owner_unit = forms.ModelChoiceField(label=_("Assessing unit"), queryset=OrgUnit.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    units = forms.ModelMultipleChoiceField(
        label=_("Assessed units"), queryset=OrgUnit.objects.none(), help_text=_("Units below the assessing unit.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = units_for(user, "kpi.manage")
        self.fields["owner_unit"].queryset = mine  # type: ignore[attr-defined]
        self.fields["units"].queryset = mine  # type: ignore[attr-defined]


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    metric = forms.ChoiceField(label=_("Computed from"), choices=metrics.choices())
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, required=False)
    points = forms.DecimalField(label=_("Points per event"), max_digits=5, decimal_places=2, required=False)
    cap = forms.DecimalField(label=_("At most"), max_digits=5, decimal_places=2, required=False)


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=8, max_num=30)


def indicator_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of the formset, in order (empty rows are skipped)."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


__all__ = ["Indicator", "IndicatorFormSet", "SchemeForm", "indicator_rows"]
