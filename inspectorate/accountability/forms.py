"""Server-rendered forms for interviews, accountability issues, records and career events; choices limited to the
user's scope. Saving goes through `actions` (the same rules, errors and audit as the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.campaigns.models import Campaign
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.orgs.models import OrgUnit
from inspectorate.orgs.selectors import units_for
from inspectorate.rectification.forms import DATE

from .models import CareerEventKind, InterviewReason, Measure, Rank, ResponsibleUnitType

__all__ = ["CareerEventForm", "InterviewForm", "IssueForm", "RecordForm"]


def _units(user: Any) -> Any:
    return units_for(user).select_related(None).exclude(kind="inspectorate").order_by("path")


class _Campaign(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["campaign"]
        else:
            self.fields["campaign"].queryset = campaigns_for(user).select_related(None).prefetch_related(None)  # type: ignore[attr-defined]
        for name in ("units", "responsible_units"):
            if name in self.fields:
                self.fields[name].queryset = _units(user)  # type: ignore[attr-defined]


class InterviewForm(_Campaign):
    title = forms.CharField(label=_("Subject"), max_length=200)
    reason = forms.ChoiceField(label=_("Reason"), choices=InterviewReason.choices)
    reason_note = forms.CharField(label=_("Reason in detail"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    interviewer = forms.CharField(label=_("Interviewing authority"), max_length=200, required=False)
    units = forms.ModelMultipleChoiceField(label=_("Interviewed units"), queryset=OrgUnit.objects.none())
    interview_date = forms.DateField(label=_("Interview date"), widget=DATE)
    report_due = forms.DateField(
        label=_("Report due"), widget=DATE, required=False, help_text=_("Empty: 30 days after the interview.")
    )
    requirements = forms.CharField(label=_("Requirements"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    persons = forms.CharField(
        label=_("Interviewed persons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: name | post | unit (the unit may be left out when one unit is interviewed)."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, editing=editing, **kwargs)
        if editing:
            del self.fields["persons"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, due = data.get("interview_date"), data.get("report_due")
        if first and due and due < first:
            self.add_error("report_due", _("The report cannot be due before the interview."))
        if "persons" in self.fields and "units" in data:
            data["persons"] = self._persons(self.cleaned_data.get("persons") or "", list(data["units"]))
        return data

    def _persons(self, text: str, units: list[Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for line in text.splitlines():
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            if not parts[0]:
                continue
            label = parts[2] if len(parts) > 2 else ""
            match = (
                [u for u in units if label in (u.name_zh, u.name_en, u.code)] if label else units[:1] if len(units) == 1 else []
            )
            if not match:
                self.add_error(
                    "persons", _("“%(line)s”: name the person's unit, one of the interviewed units.") % {"line": line.strip()}
                )
                continue
            if any(r["name"] == parts[0] and r["unit"] == match[0] for r in rows):
                self.add_error("persons", _("%(name)s is listed twice.") % {"name": parts[0]})
                continue
            rows.append({"name": parts[0], "post": parts[1] if len(parts) > 1 else "", "unit": match[0]})
        return rows


class IssueForm(_Campaign):
    title = forms.CharField(label=_("Title"), max_length=200)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 5}))
    responsible_units = forms.ModelMultipleChoiceField(label=_("Responsible units"), queryset=OrgUnit.objects.none())
    suggested_people = forms.CharField(
        label=_("Suggested people"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The team's suggestion; never shown to the target or the public."),
    )
    handed_over_on = forms.DateField(label=_("Handed over on"), widget=DATE)


class RecordForm(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=100)
    post = forms.CharField(label=_("Post"), max_length=150, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    rank = forms.ChoiceField(label=_("Rank"), choices=Rank.choices)
    unit_type = forms.ChoiceField(label=_("Unit type"), choices=ResponsibleUnitType.choices)
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    approving_body = forms.CharField(label=_("Approving body"), max_length=200)
    decided_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Any, issue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paths = issue.campaign.target_paths()
        units = _units(user)
        self.fields["unit"].queryset = units.filter(pk__in=[u.pk for u in units if any(u.path.startswith(p) for p in paths)])  # type: ignore[attr-defined]


class CareerEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Career event"), choices=CareerEventKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    new_post = forms.CharField(label=_("New post or distinction"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
