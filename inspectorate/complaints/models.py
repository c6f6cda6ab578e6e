"""Complaints during the stay: intake, classification dictionary, cases, transfer batches, results, disclosure.

DOMAIN.md §4.2: Complaint → (screen) → Case → TransferBatch → HandlingResult → DisclosureTable.
Reporter identity lives only on Complaint, encrypted; cases, batches, results and the
portal never carry it.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.accounts.scoping import ScopeSpec
from inspectorate.core.crypto import EncryptedTextField, mask_name, mask_phone
from inspectorate.orgs.models import Sector


class PollutionType(models.TextChoices):
    WATER = "water", _("Water (水)")
    AIR = "air", _("Air (大气)")
    SOIL = "soil", _("Soil (土壤)")
    ECOLOGY = "ecology", _("Ecology (生态)")
    NOISE = "noise", _("Noise (噪声)")
    RADIATION = "radiation", _("Radiation (辐射)")
    MARINE = "marine", _("Marine (海洋)")
    SOLID_WASTE = "solid_waste", _("Solid waste (固废)")
    COOKING_FUMES = "cooking_fumes", _("Cooking fumes (油烟)")
    DUST = "dust", _("Dust (扬尘)")
    OTHER = "other", _("Other (其他)")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    WEB = "web", _("Web")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("E-mail")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SCREENED = "screened", _("Screened")
    INVALID = "invalid", _("Invalid")
    DUPLICATE = "duplicate", _("Duplicate")
    ACCEPTED = "accepted", _("Accepted")


class RouteMethod(models.TextChoices):
    POLYGON = "polygon", _("Map location")
    ADDRESS = "address", _("Address text")
    ENTERPRISE = "enterprise", _("Enterprise registry")
    MANUAL = "manual", _("Set by staff")
    NONE = "none", _("Not routed")


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


def new_tracking_secret() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(6))


class Complaint(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("campaign")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    intake_day = models.DateField(
        _("intake day"), db_index=True, help_text=_("The day whose cut-off this complaint falls under.")
    )
    text = models.TextField(_("description"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    polluter_name = models.CharField(_("polluter"), max_length=200, blank=True)
    # What the duplicate score needs, stored at intake (`dedup_store.stored_features`); NULL: not yet computed.
    dedup_grams = models.BinaryField(null=True, editable=False)
    dedup_words = models.TextField(blank=True, editable=False)
    dedup_polluter = models.CharField(max_length=200, blank=True, editable=False)
    polluter = models.ForeignKey(
        "orgs.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        verbose_name=_("enterprise"),
    )
    # Protected reporter identity (DOMAIN.md §10).
    reporter_name = EncryptedTextField(_("reporter name"), blank=True)
    reporter_phone = EncryptedTextField(_("reporter phone"), blank=True)
    # Classification: suggestions from the dictionary, confirmed by staff.
    type_hints = models.JSONField(_("type hints from the reporter"), default=list, blank=True)
    suggested_types = models.JSONField(_("suggested pollution types"), default=list, blank=True)
    suggested_sector = models.CharField(_("suggested sector"), max_length=20, blank=True)
    pollution_types = models.JSONField(_("pollution types"), default=list, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    types_confirmed = models.BooleanField(_("classification confirmed"), default=False)
    # Routing.
    jurisdiction = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("jurisdiction")
    )
    route_method = models.CharField(_("routed by"), max_length=12, choices=RouteMethod.choices, default=RouteMethod.NONE)
    # Screening.
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates", verbose_name=_("duplicate of")
    )
    case = models.ForeignKey(
        "complaints.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints", verbose_name=_("case")
    )
    similar = models.JSONField(_("possible duplicates"), default=list, blank=True)
    # When classification, routing and the duplicate check were done (`actions.triage`); NULL: still waiting.
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    # Receipt and tracking.
    receipt_code = models.CharField(_("receipt code"), max_length=16, unique=True, default=new_receipt_code)
    tracking_secret = models.CharField(_("tracking secret"), max_length=12, default=new_tracking_secret)
    # Intake details.
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    channel_details = models.JSONField(_("channel details"), default=dict, blank=True)
    extra = models.JSONField(_("extra attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = ScopeSpec(units=(), campaign="campaign")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["campaign", "status"], name="complaint_campaign_status"),
            models.Index(fields=["received_at"], name="complaint_untriaged", condition=models.Q(triaged_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lon__isnull=True)
                | models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="complaint_latlon_valid",
                violation_error_message=_("Latitude and longitude must both be given and in range."),
            )
        ]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_phone)

    @property
    def reporter_name_masked(self) -> str:
        return mask_name(self.reporter_name)

    @property
    def reporter_phone_masked(self) -> str:
        return mask_phone(self.reporter_phone)


class DedupKey(models.Model):
    """A look-up key of a complaint for duplicate detection (`dedup_store`), written at intake.

    Kinds: ``b`` text band (MinHash LSH), ``p`` polluter key, ``e`` registry enterprise, ``c`` ~1 km cell.
    Kept in the database so every process finds every complaint stored so far.
    """

    KINDS = (("b", "text band"), ("p", "polluter"), ("e", "enterprise"), ("c", "cell"))

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="dedup_keys")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=1, choices=KINDS)
    key = models.BigIntegerField()
    received_at = models.DateTimeField()  # the complaint's, so a key's most recent complaints are one index range

    class Meta:
        indexes = [models.Index(fields=["campaign", "kind", "key", "-received_at"], name="dedupkey_recent")]
        constraints = [models.UniqueConstraint(fields=["complaint", "kind", "key"], name="dedupkey_unique")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}:{self.key}"


class Attachment(models.Model):
    """A photo or video sent with a complaint (size and type checked at intake)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(units=(), campaign="complaint__campaign")

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key: the same key with the same body returns the first result."""

    client_scope = models.CharField(max_length=150, blank=True)
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client_scope", "key"], name="idempotency_scope_key_unique")]

    def __str__(self) -> str:
        return f"{self.client_scope}:{self.key}"


class KeywordRule(models.Model):
    """One entry of the editable bilingual classification dictionary."""

    class Language(models.TextChoices):
        ZH = "zh", _("Chinese")
        EN = "en", _("English")

    term = models.CharField(_("term"), max_length=60)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ZH)
    pollution_type = models.CharField(_("pollution type"), max_length=20, choices=PollutionType.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["language", "term"]
        verbose_name = _("classification keyword")
        verbose_name_plural = _("classification keywords")
        constraints = [
            models.UniqueConstraint(fields=["term", "language", "pollution_type", "sector"], name="keyword_unique"),
            models.CheckConstraint(
                condition=~models.Q(pollution_type="", sector=""),
                name="keyword_has_target",
                violation_error_message=_("A keyword must point to a pollution type or a sector."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.pollution_type or self.sector}"


class IntakeConfig(models.Model):
    """Per-campaign settings for case numbers and deadline colours (defaults apply when absent)."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="intake_config")
    region_code = models.CharField(_("region code in case numbers"), max_length=10, blank=True, help_text=_("E.g. GX, HN."))
    team_code = models.CharField(_("team code in case numbers"), max_length=10, blank=True)
    channel_letters = models.JSONField(_("channel letters"), default=dict, blank=True)
    due_soon_days = models.PositiveSmallIntegerField(_("yellow: due within (days)"), default=1)
    notice_days = models.PositiveSmallIntegerField(_("blue: due within (days)"), default=3)

    scope = ScopeSpec(units=(), campaign="campaign")

    def __str__(self) -> str:
        return str(self.campaign_id)


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    BATCHED = "batched", _("In a batch")
    TRANSFERRED = "transferred", _("Transferred")
    DISPATCHED = "dispatched", _("Dispatched")
    REPLIED = "replied", _("Replied")
    RETURNED = "returned", _("Returned")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")
    MERGED = "merged", _("Merged into another case")


class Verdict(models.TextChoices):
    TRUE = "true", _("Substantiated (属实)")
    BASICALLY_TRUE = "basically_true", _("Largely substantiated (基本属实)")
    PARTLY_TRUE = "partly_true", _("Partly substantiated (部分属实)")
    UNTRUE = "untrue", _("Unsubstantiated (不属实)")


class ResultStatus(models.TextChoices):
    CLOSED = "closed", _("Closed (办结)")
    STAGED_CLOSED = "staged_closed", _("Closed for this stage (阶段性办结)")
    OPEN = "open", _("Open (未办结)")


class TransferBatch(models.Model):
    class Status(models.TextChoices):
        CLOSED = "closed", _("Closed at cut-off")
        TRANSFERRED = "transferred", _("Transferred")
        PUBLISHED = "published", _("Published")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("batch number"))
    intake_day = models.DateField(_("intake day"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CLOSED)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(units=("cases__lead_unit", "cases__handler_unit"), campaign="campaign")

    class Meta:
        ordering = ["campaign", "-number"]
        verbose_name = _("transfer batch")
        verbose_name_plural = _("transfer batches")
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="batch_number_unique")]

    def __str__(self) -> str:
        return str(_("Batch %(n)s") % {"n": self.number})


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=40, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    origin = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("original complaint")
    )
    summary = models.TextField(_("summary (redacted)"))
    pollution_types = models.JSONField(_("pollution types"), default=list, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    region = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_key = models.BooleanField(_("key case"), default=False)
    is_joint = models.BooleanField(_("joint case"), default=False)
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="cases_led", verbose_name=_("handling unit")
    )
    co_units = models.ManyToManyField("orgs.OrgUnit", blank=True, related_name="cases_joined", verbose_name=_("co-units"))
    handler_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_handled",
        verbose_name=_("dispatched to"),
    )
    split_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="split_parts")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases")
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.REGISTERED, db_index=True
    )
    intake_day = models.DateField(_("intake day"))
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    batch = models.ForeignKey(TransferBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_rule = models.CharField(_("due-date rule"), max_length=100, blank=True)
    due_estimated = models.BooleanField(_("due date estimated"), default=False)
    result_status = models.CharField(_("published status"), max_length=14, choices=ResultStatus.choices, blank=True)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices, blank=True)
    under_review = models.BooleanField(_("complainant asked for review"), default=False)

    scope = ScopeSpec(units=("lead_unit", "co_units", "handler_unit"), campaign="campaign")

    class Meta:
        ordering = ["-registered_at", "number"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["campaign", "status"], name="case_campaign_status")]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="case_number_unique_per_campaign")]

    def __str__(self) -> str:
        return self.number

    def urgency(self, today: dt.date | None = None, due_soon: int = 1, notice: int = 3) -> str:
        """'' | 'blue' (due within `notice` days) | 'yellow' (within `due_soon`) | 'red' (overdue)."""
        if not self.due_date or self.status in (CaseStatus.REVIEWED, CaseStatus.PUBLISHED, CaseStatus.MERGED):
            return ""
        if self.status == CaseStatus.REPLIED:
            return ""
        today = today or timezone.localdate()
        left = (self.due_date - today).days
        if left < 0:
            return "red"
        if left <= due_soon:
            return "yellow"
        if left <= notice:
            return "blue"
        return ""


class TransferNotice(models.Model):
    """One receiving unit's share of a batch: the notice it gets and its acknowledgement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(TransferBatch, on_delete=models.CASCADE, related_name="notices")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    case_count = models.PositiveIntegerField(default=0)
    key_count = models.PositiveIntegerField(default=0)
    xlsx = models.FileField(upload_to="notices/", blank=True)
    docx = models.FileField(upload_to="notices/", blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(units=("unit",), campaign="batch__campaign")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "unit"], name="notice_batch_unit_unique")]

    def __str__(self) -> str:
        return f"{self.batch} → {self.unit}"


class CaseSequence(models.Model):
    """The last sequence number used per campaign and day (locked while numbering)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="case_sequence_unique")]


class HandlingResult(models.Model):
    """One reply of the handling unit. A new reply is a new row: verdicts are never edited in place."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="results")
    version = models.PositiveSmallIntegerField(default=1)
    summary = models.TextField(_("investigation summary"))
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    measures = models.TextField(_("measures taken"), blank=True)
    ordered_to_rectify = models.PositiveIntegerField(_("enterprises ordered to rectify"), default=0)
    cases_filed = models.PositiveIntegerField(_("penalty cases filed"), default=0)
    criminal_cases = models.PositiveIntegerField(_("criminal cases opened"), default=0)
    detained_administrative = models.PositiveIntegerField(_("administrative detentions"), default=0)
    detained_criminal = models.PositiveIntegerField(_("criminal detentions"), default=0)
    interviewed = models.PositiveIntegerField(_("persons interviewed"), default=0)
    held_accountable = models.PositiveIntegerField(_("persons held accountable"), default=0)
    status = models.CharField(_("status"), max_length=14, choices=ResultStatus.choices)
    explanation = models.TextField(
        _("explanation of verdict and sanctions"),
        blank=True,
        help_text=_("Required when an “untrue” verdict comes with orders, penalties, criminal cases or detentions."),
    )
    verdict_conflict = models.BooleanField(
        _("verdict contradicts sanctions"),
        default=False,
        help_text=_("Set when the reply is filed: an “untrue” verdict with sanctions, shown to the reviewer."),
    )
    next_step = models.TextField(_("next step"), blank=True)
    next_step_date = models.DateField(_("committed date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    review_reason = models.TextField(_("review reason"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    scope = ScopeSpec(units=("case__lead_unit", "case__co_units", "case__handler_unit"), campaign="case__campaign")

    class Meta:
        ordering = ["case", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="result_case_version_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.version}"

    @property
    def detained(self) -> int:
        return self.detained_administrative + self.detained_criminal

    @property
    def fines_total(self) -> Decimal:
        return sum((p.amount for p in self.penalties.all()), Decimal("0"))

    def conflicts(self) -> list[str]:
        """The sanction fields that contradict this reply's verdict (see `verdict_conflicts`)."""
        counts = {k: getattr(self, k) for k in SANCTION_FIELDS}
        return verdict_conflicts(self.verdict, counts, penalties=self.penalties.count())


# A reply that finds the complaint "untrue" yet orders, penalises, opens criminal cases or detains contradicts
# itself unless it says why (e.g. other violations found during the check). Interviews and accountability
# measures are not sanctions on the reported facts and do not count.
SANCTION_FIELDS = ("ordered_to_rectify", "cases_filed", "criminal_cases", "detained_administrative", "detained_criminal")


def verdict_conflicts(verdict: str, counts: dict[str, int], *, penalties: int = 0) -> list[str]:
    """The names of the sanction fields (and "penalties") that contradict an "untrue" verdict; [] otherwise."""
    if verdict != Verdict.UNTRUE:
        return []
    found = [k for k in SANCTION_FIELDS if int(counts.get(k) or 0) > 0]
    return [*found, "penalties"] if penalties else found


class PenaltyDecision(models.Model):
    result = models.ForeignKey(HandlingResult, on_delete=models.CASCADE, related_name="penalties")
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    amount = models.DecimalField(_("fine (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0"))
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.enterprise_name} ¥{self.amount}"


class EvidenceFile(models.Model):
    """A file in the case file (一案一档), kept with its SHA-256 and never replaced."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    result = models.ForeignKey(HandlingResult, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    scope = ScopeSpec(units=("case__lead_unit", "case__handler_unit"), campaign="case__campaign")

    def __str__(self) -> str:
        return self.name


class DisclosureTable(models.Model):
    """A frozen, versioned snapshot of one batch's results table (一览表); corrections are new versions."""

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(TransferBatch, on_delete=models.PROTECT, related_name="disclosures")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    rows = models.JSONField(default=list)
    approved_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # Whoever sees the batch sees its tables; the rows are cut to the reader's cases (selectors.batch_disclosures_for).
    scope = ScopeSpec(units=("batch__cases__lead_unit", "batch__cases__handler_unit"), campaign="batch__campaign")

    class Meta:
        ordering = ["batch", "-version"]
        constraints = [models.UniqueConstraint(fields=["batch", "version"], name="disclosure_batch_version_unique")]

    def __str__(self) -> str:
        return f"{self.batch} v{self.version}"


class Rating(models.Model):
    class Score(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically_satisfied", _("Basically satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="ratings")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ratings")
    score = models.CharField(_("rating"), max_length=20, choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    review_open = models.BooleanField(_("review open"), default=False)
    review_outcome = models.TextField(_("review outcome"), blank=True)

    scope = ScopeSpec(units=("case__lead_unit",), campaign="case__campaign")

    def __str__(self) -> str:
        return self.score


class DeadlineWarning(models.Model):
    """One warning per case and level: `run_deadlines` creates it once (idempotent)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="warnings")
    level = models.CharField(max_length=10)
    due_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "level", "due_date"], name="warning_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}"


def as_type_list(value: Any) -> list[str]:
    valid = set(PollutionType.values)
    return sorted({str(v) for v in (value or []) if str(v) in valid})
