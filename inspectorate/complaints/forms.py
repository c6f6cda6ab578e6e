"""Forms for staff intake, screening, replies and the public report form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspectorate.orgs.models import Sector

from .models import Channel, PollutionType, Rating, ResultStatus, Verdict

STAFF_CHANNELS = [(c, label) for c, label in Channel.choices if c != Channel.WEB]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,video/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class LocationMixin(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    polluter_name = forms.CharField(label=_("Polluter (enterprise or site)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Labels stand on their own line and some end in a question mark: no ":" after them.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PublicComplaintForm(LocationMixin):
    text = forms.CharField(label=_("What is the problem?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    type_hints = forms.MultipleChoiceField(
        label=_("Kind of pollution (optional)"),
        choices=PollutionType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(label=_("Photos or video (optional, photos ≤ 10 MB, video ≤ 50 MB)"), required=False)
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    reporter_phone = forms.CharField(label=_("Your phone (optional)"), max_length=40, required=False)
    anonymous = forms.BooleanField(label=_("Report anonymously"), required=False)
    field_order = ["text", "type_hints", "address", "polluter_name", "lat", "lon", "attachments", "anonymous"]


class StaffComplaintForm(LocationMixin):
    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(label=_("Received at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    text = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    type_hints = forms.MultipleChoiceField(
        label=_("Pollution types"), choices=PollutionType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    reporter_name = forms.CharField(label=_("Reporter name"), max_length=100, required=False)
    reporter_phone = forms.CharField(label=_("Reporter phone"), max_length=40, required=False)
    # Channel-specific fields.
    call_duration = forms.IntegerField(label=_("Call duration (seconds)"), required=False, min_value=0)
    postmark = forms.DateField(label=_("Letter postmark"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    wechat_id = forms.CharField(label=_("WeChat message id"), max_length=100, required=False)
    email_from = forms.CharField(label=_("E-mail message id"), max_length=200, required=False)
    visitors = forms.IntegerField(label=_("Number of visitors"), required=False, min_value=1)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False)

    def channel_details(self) -> dict[str, Any]:
        d = self.cleaned_data
        ch = d.get("channel")
        out: dict[str, Any] = {}
        if ch == Channel.PHONE and d.get("call_duration") is not None:
            out["call_duration_s"] = d["call_duration"]
        if ch == Channel.LETTER and d.get("postmark"):
            out["postmark"] = d["postmark"].isoformat()
        if ch == Channel.WECHAT and d.get("wechat_id"):
            out["wechat_id"] = d["wechat_id"]
        if ch == Channel.EMAIL and d.get("email_from"):
            out["email_message_id"] = d["email_from"]
        if ch == Channel.VISIT and d.get("visitors"):
            out["visitors"] = d["visitors"]
        return out


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet of the day's calls (.xlsx or .csv)"))


class ClassifyForm(forms.Form):
    pollution_types = forms.MultipleChoiceField(
        label=_("Pollution types"), choices=PollutionType.choices, widget=forms.CheckboxSelectMultiple
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)


class ReplyForm(forms.Form):
    summary = forms.CharField(label=_("Investigation summary"), widget=forms.Textarea(attrs={"rows": 4}))
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ResultStatus.choices)
    next_step = forms.CharField(label=_("Next step"), required=False)
    next_step_date = forms.DateField(label=_("Committed date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ordered_to_rectify = forms.IntegerField(label=_("Enterprises ordered to rectify"), min_value=0, initial=0)
    cases_filed = forms.IntegerField(label=_("Penalty cases filed"), min_value=0, initial=0)
    penalty_lines = forms.CharField(
        label=_("Penalty decisions: one per line, “enterprise, fine in yuan”"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    criminal_cases = forms.IntegerField(label=_("Criminal cases opened"), min_value=0, initial=0)
    detained_administrative = forms.IntegerField(label=_("Administrative detentions"), min_value=0, initial=0)
    detained_criminal = forms.IntegerField(label=_("Criminal detentions"), min_value=0, initial=0)
    interviewed = forms.IntegerField(label=_("Persons interviewed"), min_value=0, initial=0)
    held_accountable = forms.IntegerField(label=_("Persons held accountable"), min_value=0, initial=0)
    explanation = forms.CharField(
        label=_("Explanation of verdict and sanctions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when an “untrue” verdict comes with orders, penalties, criminal cases or detentions."),
    )
    evidence = MultipleFileField(label=_("Evidence files"), required=False, widget=MultipleFileInput())

    def penalties(self) -> list[dict[str, str]]:
        out = []
        for line in (self.cleaned_data.get("penalty_lines") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, amount = line.replace("，", ",").rpartition(",")
            out.append({"enterprise_name": name.strip(), "amount": amount.strip() or "0"})
        return out


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label=_("How satisfied are you with the result?"), choices=Rating.Score.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class TrackForm(forms.Form):
    receipt_code = forms.CharField(label=_("Receipt code"), max_length=16)
    secret = forms.CharField(label=_("Tracking secret"), max_length=12)
