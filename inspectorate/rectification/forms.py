"""Server-rendered forms for the people who keep the ledger; every choice is limited to the user's scope.

The forms only validate input; saving goes through `actions` (authorize, atomic, audit).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import restrict
from inspectorate.campaigns.models import Campaign
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.complaints.selectors import cases_for
from inspectorate.orgs.models import OrgUnit
from inspectorate.orgs.selectors import units_for

from . import selectors
from .models import UPLOAD_KINDS, Feedback, Leader, LeaderRank, Measure, Nature, Problem, Source, Urgency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FeedbackForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    target = forms.ModelChoiceField(label=_("Target"), queryset=OrgUnit.objects.none())
    date = forms.DateField(label=_("Feedback date"), widget=DATE)
    document_no = forms.CharField(label=_("Document number"), max_length=100, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns_for(user).select_related(None).prefetch_related(None)  # type: ignore[attr-defined]
        self.fields["target"].queryset = units_for(user).select_related(None)  # type: ignore[attr-defined]


class ProblemForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    number = forms.CharField(label=_("Number"), max_length=20)
    title = forms.CharField(label=_("Problem"), max_length=500)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    urgency = forms.ChoiceField(label=_("Urgency class"), choices=Urgency.choices, initial=Urgency.TIME_LIMITED)
    nature = forms.ChoiceField(label=_("Nature class"), choices=Nature.choices, initial=Nature.SPECIFIC)
    feedback = forms.ModelChoiceField(label=_("Feedback it comes from"), queryset=Feedback.objects.none(), required=False)
    case = forms.CharField(
        label=_("Complaint case number"),
        max_length=40,
        required=False,
        help_text=_("Type the number of a case you can see in this campaign; it is linked to the problem."),
        widget=forms.TextInput(attrs={"list": "case-options", "autocomplete": "off"}),
    )
    is_violation = forms.BooleanField(label=_("Substantiated violation"), required=False)
    penalty_ref = forms.CharField(label=_("Order / penalty record"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, instance: Problem | None = None, **kwargs: Any) -> None:
        self.user, self.instance = user, instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(instance, f) for f in ("number", "title", "description", "source", "urgency", "nature")},
                "campaign": instance.campaign_id,
                "unit": instance.unit_id,
                "feedback": instance.feedback_id,
                "case": instance.origin_case.number if instance.origin_case else instance.origin_case_number,
                "is_violation": instance.is_violation,
                "penalty_ref": instance.penalty_ref,
            }
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns_for(user).select_related(None).prefetch_related(None)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_for(user).select_related(None)  # type: ignore[attr-defined]
        self.fields["feedback"].queryset = selectors.feedback_for(user)  # type: ignore[attr-defined]
        if instance is not None:
            self.fields["campaign"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        campaign, feedback, number = data.get("campaign"), data.get("feedback"), (data.get("case") or "").strip()
        if campaign is not None and feedback is not None and feedback.campaign_id != campaign.pk:
            self.add_error("feedback", _("This feedback belongs to another campaign."))
        data["origin_case"], data["origin_case_number"] = None, number
        if number and campaign is not None:
            case = cases_for(self.user).filter(campaign=campaign, number=number).first()
            legacy = self.instance is not None and self.instance.origin_case_id is None
            if case is not None:
                data["origin_case"] = case
            elif not (legacy and number == self.instance.origin_case_number):  # type: ignore[union-attr]
                self.add_error("case", _("No case with this number that you can see in this campaign."))
        return data

    def model_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        keys = ("number", "title", "description", "unit", "source", "urgency", "nature", "feedback", "is_violation")
        fields = {k: d[k] for k in keys}
        fields.update(penalty_ref=d["penalty_ref"], origin_case=d["origin_case"], origin_case_number=d["origin_case_number"])
        return fields


class PlanForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    target = forms.ModelChoiceField(label=_("Target"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Plan text (internal)"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    public_summary = forms.CharField(
        label=_("Public summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Shown on the portal once the plan is published."),
    )

    def __init__(self, *args: Any, user: Any, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "campaign": instance.campaign_id,
                "target": instance.target_id,
                "title": instance.title,
                "body": instance.body,
                "public_summary": instance.public_summary,
            }
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns_for(user).select_related(None).prefetch_related(None)  # type: ignore[attr-defined]
        self.fields["target"].queryset = units_for(user).select_related(None)  # type: ignore[attr-defined]
        if instance is not None:
            self.fields["campaign"].disabled = self.fields["target"].disabled = True


def parse_dates(text: str) -> list[dt.date]:
    out = []
    for token in re.split(r"[\s,;，；、]+", text.strip()):
        if not token:
            continue
        try:
            out.append(dt.date.fromisoformat(token))
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a date; write dates as YYYY-MM-DD."), params={"value": token}, code="invalid"
            ) from None
    return sorted(set(out))


class TaskForm(forms.Form):
    problem = forms.ModelChoiceField(label=_("Problem"), queryset=Problem.objects.none())
    number = forms.CharField(label=_("Task number"), max_length=20)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_leader = forms.ModelChoiceField(label=_("Lead leader"), queryset=Leader.objects.none())
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=OrgUnit.objects.none())
    implementing_units = forms.ModelMultipleChoiceField(
        label=_("Implementing units"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    acceptance_unit = forms.ModelChoiceField(label=_("Acceptance unit"), queryset=OrgUnit.objects.none())
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DATE,
        help_text=_("Start of the span for the time-proportional progress; empty means the day the task was entered."),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    long_term = forms.BooleanField(label=_("Long-term (no deadline; reviewed on set dates)"), required=False)
    review_dates = forms.CharField(
        label=_("Review dates"),
        required=False,
        help_text=_("For long-term tasks: dates as YYYY-MM-DD, separated by commas."),
    )

    def __init__(self, *args: Any, user: Any, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(instance, f) for f in ("number", "goal", "start_date", "deadline", "long_term")},
                "problem": instance.problem_id,
                "lead_leader": instance.lead_leader_id,
                "lead_unit": instance.lead_unit_id,
                "acceptance_unit": instance.acceptance_unit_id,
                "implementing_units": [u.pk for u in instance.implementing_units.all()],
                "review_dates": ", ".join(str(d) for d in instance.review_dates or []),
            }
        super().__init__(*args, **kwargs)
        units = units_for(user).select_related(None)
        self.fields["problem"].queryset = selectors.problems_for(user)  # type: ignore[attr-defined]
        # Current leaders in the user's scope; an existing task keeps the leader it has, even one who has left.
        leaders = restrict(Leader.objects.active_on(timezone.localdate()).select_related("unit"), user, "view")
        if instance is not None:
            leaders = leaders | Leader.objects.filter(pk=instance.lead_leader_id).select_related("unit")
        self.fields["lead_leader"].queryset = leaders  # type: ignore[attr-defined]
        for name in ("lead_unit", "acceptance_unit"):
            self.fields[name].queryset = units  # type: ignore[attr-defined]
        # Active units (an ended department is not offered again), plus those an existing task already names.
        implementing = units.filter(active=True)
        if instance is not None:
            implementing = implementing | OrgUnit.objects.filter(pk__in=instance.implementing_units.values("pk"))
        self.fields["implementing_units"].queryset = implementing  # type: ignore[attr-defined]
        if instance is not None:
            self.fields["problem"].disabled = True

    def clean_review_dates(self) -> list[dt.date]:
        return parse_dates(self.cleaned_data.get("review_dates") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("long_term"):
            data["deadline"] = None
            if not data.get("review_dates") and "review_dates" not in self.errors:
                self.add_error("review_dates", _("A long-term task needs at least one review date."))
        else:
            data["review_dates"] = []
            if data.get("deadline") is None and "deadline" not in self.errors:
                self.add_error("deadline", _("A task needs a deadline unless it is long-term."))
        start, deadline = data.get("start_date"), data.get("deadline")
        if start and deadline and start > deadline:
            self.add_error("start_date", _("The start date cannot fall after the deadline."))
        return data

    def model_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        keys = ("number", "goal", "lead_leader", "lead_unit", "acceptance_unit", "start_date", "deadline", "long_term")
        fields = {k: d[k] for k in keys}
        fields["review_dates"] = [x.isoformat() for x in d["review_dates"]]
        return fields


class MeasureForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=1, widget=forms.NumberInput(attrs={"class": "narrow"}))
    text = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}))
    milestone = forms.DateField(label=_("Milestone"), widget=DATE)


class BaseMeasureFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        numbers = [m["number"] for m in self.measures()]
        if len(numbers) != len(set(numbers)):
            raise ValidationError(_("Measure numbers must be unique within a task."))

    def measures(self) -> list[dict[str, Any]]:
        return [
            {"number": f.cleaned_data["number"], "text": f.cleaned_data["text"], "milestone": f.cleaned_data["milestone"]}
            for f in self.forms
            if f.cleaned_data and not self.is_dropped(f)
        ]

    def is_dropped(self, form: forms.Form) -> bool:
        return bool(form.cleaned_data.get("DELETE"))


MeasureFormSet = forms.formset_factory(MeasureForm, formset=BaseMeasureFormSet, extra=2, can_delete=True)


class ProgressForm(forms.Form):
    period = forms.DateField(label=_("Reporting date"), widget=DATE, required=False)
    percent = forms.IntegerField(label=_("Progress (percent)"), min_value=0, max_value=100)
    measures_done = forms.MultipleChoiceField(
        label=_("Measures done"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    note = forms.CharField(label=_("What was done this period"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, task: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"percent": task.progress})
        super().__init__(*args, **kwargs)
        self.fields["measures_done"].choices = [  # type: ignore[attr-defined]
            (str(m.pk), f"{m.number}. {m.text[:80]} ({m.milestone:%Y-%m-%d})") for m in task.measures.all() if not m.done
        ]


class LeaderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    post = forms.CharField(label=_("Post"), max_length=150, required=False)
    rank = forms.ChoiceField(label=_("Rank"), choices=LeaderRank.choices, initial=LeaderRank.OTHER)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    valid_from = forms.DateField(label=_("In post from"), widget=DATE)

    def __init__(self, *args: Any, user: Any, instance: Leader | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(instance, f) for f in ("name", "post", "rank", "valid_from")},
                "unit": instance.unit_id,
            }
        kwargs.setdefault("initial", {}).setdefault("valid_from", timezone.localdate())
        super().__init__(*args, **kwargs)
        # Units where the user keeps the ledger (tasks.manage), i.e. its liaison office's subtree.
        self.fields["unit"].queryset = units_for(user, "tasks.manage").select_related(None)  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    """An evidence upload: the measure it proves, what it is, and when it was captured (both required)."""

    measure = forms.ModelChoiceField(label=_("Task and measure"), queryset=Measure.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *[(k.value, k.label) for k in UPLOAD_KINDS]])
    captured_on = forms.DateField(label=_("Captured on"), widget=DATE)
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, measures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["measure"]
        field.queryset = measures
        field.label_from_instance = lambda m: f"{m.task.number} · {m.number}. {m.text[:60]}"

    def clean_captured_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["captured_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The capture date cannot be in the future."), code="future")
        return day


class DepartmentForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Under unit"), queryset=OrgUnit.objects.none())
    code = forms.CharField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, instance: OrgUnit | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"parent": instance.parent_id, "code": instance.code, "name_zh": instance.name_zh,
                                 "name_en": instance.name_en}  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units_for(user, "departments.manage").select_related(None)  # type: ignore[attr-defined]
        if instance is not None:
            self.fields["parent"].disabled = True
