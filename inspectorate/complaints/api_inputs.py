"""Input serializers of the complaints and case API: every write endpoint and custom action reads its body (and
every non-list GET its query) through one of these, as rectification does.

Bad input answers 400 with field errors in DRF's format (`{"field": ["message", …]}`), in the user's language,
before anything is saved.  Objects named in a body (units, cases) are looked up within the user's scope: one out of
scope reads as unknown.  Bounds follow the database columns, so that a huge number is a 400, never an overflow.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from inspectorate.core.parsers import loads_limited
from inspectorate.orgs.selectors import units_for

from . import selectors
from .actions.intake import MAX_TEXT
from .models import Case, Channel

PG_INT_MAX = 2_147_483_647  # PositiveIntegerField's upper bound on PostgreSQL
MAX_FINE = 999_999_999_999  # PenaltyDecision.amount: 14 digits, 2 of them decimals
MAX_LIST = 200
MAX_REASON = 2000


class BlankIsNone:
    """An optional value where an empty string means "not given" (as the hand-written parsing read it)."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if isinstance(data, str) and not data.strip():
            data = None
        return super().validate_empty_values(data)  # type: ignore[misc]


class OptionalFloat(BlankIsNone, serializers.FloatField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)


class OptionalDate(BlankIsNone, serializers.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        kwargs.setdefault("error_messages", {"invalid": _("Give the date as YYYY-MM-DD.")})
        super().__init__(**kwargs)


def reason_field(*, required: bool = False) -> serializers.CharField:
    if required:
        return serializers.CharField(max_length=MAX_REASON)
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_REASON)


class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    """An org unit by id, among the units the requesting user sees (context["request"])."""

    default_error_messages = {
        "does_not_exist": _("Unknown unit."),
        "incorrect_type": _("Unknown unit."),
        "required": _("This field is required."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("pk_field", serializers.UUIDField(error_messages={"invalid": _("Unknown unit.")}))
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return units_for(self.context["request"].user)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool | dict | list):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def unit_list(field_required: bool = False) -> serializers.ListField:
    return serializers.ListField(
        child=ScopedUnitField(), required=field_required, default=list if not field_required else serializers.empty,
        max_length=MAX_LIST,
    )  # fmt: skip


class CaseRefField(serializers.Field):
    """A case by id or by its number, among the cases the requesting user sees."""

    default_error_messages = {"unknown": _("Unknown case.")}

    def to_internal_value(self, data: Any) -> Case:
        if not isinstance(data, str | uuid.UUID) or not str(data).strip() or len(str(data)) > 100:
            self.fail("unknown")
        cases = selectors.cases_for(self.context["request"].user)
        ref = str(data).strip()
        try:
            found = cases.filter(pk=uuid.UUID(ref)).first()
        except ValueError:
            found = None
        found = found or cases.filter(number=ref).first()
        if found is None:
            self.fail("unknown")
        return found

    def to_representation(self, value: Any) -> str:
        return str(value.pk)


def campaign_field(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=100, help_text="Campaign id or code", **kwargs)


class PenaltyInputSerializer(serializers.Serializer):
    enterprise_name = serializers.CharField(max_length=2000)
    amount = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        min_value=Decimal(0),
        max_value=Decimal(MAX_FINE),
        required=False,
        default=Decimal(0),
    )
    decision_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PenaltiesField(serializers.ListField):
    """A JSON list of penalties, or the same list as a JSON string (a multipart reply sends it so)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", PenaltyInputSerializer())
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        kwargs.setdefault("max_length", MAX_LIST)
        super().__init__(**kwargs)

    def get_value(self, dictionary: Any) -> Any:
        if hasattr(dictionary, "getlist") and self.field_name in dictionary:
            return dictionary.get(self.field_name)  # a form's single JSON string, not a list of form values
        return super().get_value(dictionary)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = loads_limited(data) if data.strip() else []
            except ValueError:
                raise serializers.ValidationError(_("Send penalties as a JSON list.")) from None
            if not isinstance(data, list):
                raise serializers.ValidationError(_("Send penalties as a JSON list."))
        return super().to_internal_value(data)


# -- complaints --------------------------------------------------------------------------------------------------


class ComplaintCreateSerializer(serializers.Serializer):
    campaign = campaign_field()
    channel = serializers.ChoiceField(choices=Channel.choices)
    text = serializers.CharField()  # its length is the action's to judge (its own message)
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    polluter_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    type_hints = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list, max_length=50)
    channel_details = serializers.DictField(required=False, default=dict)


class SimilarInputSerializer(serializers.Serializer):
    campaign = campaign_field()
    text = serializers.CharField(required=False, allow_blank=True, default="")
    polluter_name = serializers.CharField(required=False, allow_blank=True, default="")
    lat = OptionalFloat(min_value=-90, max_value=90)
    lon = OptionalFloat(min_value=-180, max_value=180)


class ReasonInputSerializer(serializers.Serializer):
    reason = reason_field()


class ClassifyInputSerializer(serializers.Serializer):
    pollution_types = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=50
    )
    sector = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class RouteInputSerializer(serializers.Serializer):
    unit = ScopedUnitField()
    reason = reason_field()


class AcceptInputSerializer(serializers.Serializer):
    is_key = serializers.BooleanField(required=False, allow_null=True, default=None)
    lead_unit = ScopedUnitField(required=False, allow_null=True, default=None)
    co_units = unit_list()
    pollution_types = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, allow_null=True, default=None, max_length=50
    )
    sector = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None, max_length=40)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)


class MergeIntoInputSerializer(serializers.Serializer):
    into = CaseRefField(help_text="The case's id or number")
    reason = reason_field()


class ImportInputSerializer(serializers.Serializer):
    campaign = campaign_field()
    file = serializers.FileField(error_messages={"required": _("Attach the .xlsx file of the day's calls.")})


class ImportQuerySerializer(serializers.Serializer):
    background = serializers.BooleanField(required=False, default=False)


class AttachmentQuerySerializer(serializers.Serializer):
    download = serializers.BooleanField(required=False, default=False)


# -- cases and batches -------------------------------------------------------------------------------------------


class DispatchInputSerializer(serializers.Serializer):
    unit = ScopedUnitField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_REASON)


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        default=0,
        min_value=0,
        max_value=PG_INT_MAX,
        error_messages={"min_value": _("Enter a whole number of zero or more."), "invalid": _("Enter a whole number.")},
    )


class ReplyInputSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)
    verdict = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    status = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    measures = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)
    next_step = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)
    next_step_date = OptionalDate()
    explanation = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)
    penalties = PenaltiesField()
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=MAX_LIST)
    ordered_to_rectify = _count()
    cases_filed = _count()
    criminal_cases = _count()
    detained_administrative = _count()
    detained_criminal = _count()
    interviewed = _count()
    held_accountable = _count()


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("accept", "accept"), ("return", "return")],
        error_messages={"invalid_choice": _("Say accept or return."), "required": _("Say accept or return.")},
    )
    reason = reason_field()


class SplitInputSerializer(serializers.Serializer):
    units = unit_list()
    reason = reason_field()


class JointInputSerializer(serializers.Serializer):
    lead_unit = ScopedUnitField()
    co_units = unit_list()
    reason = reason_field()


class KeyInputSerializer(serializers.Serializer):
    is_key = serializers.BooleanField(required=False, default=True)


class CloseDayInputSerializer(serializers.Serializer):
    campaign = campaign_field()
    day = serializers.DateField(error_messages={"invalid": _("Give the date as YYYY-MM-DD.")})


class NoticeQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=100, help_text="The receiving unit's code or id")
    kind = serializers.ChoiceField(choices=[("xlsx", "xlsx"), ("docx", "docx")], required=False, default="xlsx")


class BulletinQuerySerializer(serializers.Serializer):
    campaign = campaign_field()
    as_of = OptionalDate(help_text="Default: today (Asia/Shanghai)")
    batch = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=PG_INT_MAX,
        error_messages={"invalid": _("Give the batch number as a whole number.")},
    )
    region = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class ClusterQuerySerializer(serializers.Serializer):
    campaign = campaign_field()
    day = serializers.DateField(error_messages={"invalid": _("Give the date as YYYY-MM-DD.")})
    open = serializers.BooleanField(required=False, default=False, help_text="Only clusters still to merge")


def read(serializer_class: type[serializers.Serializer], data: Any, request: Any) -> dict[str, Any]:
    """Validate `data` with `serializer_class` (400 with field errors) and return the validated data."""
    body = serializer_class(data=data, context={"request": request})
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)
