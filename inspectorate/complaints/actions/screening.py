"""Screening: classify, route, accept into a case, mark invalid, merge and unmerge duplicates, split, joint."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot
from inspectorate.orgs.models import OrgUnit, Sector

from ..classify import suggest_key
from ..models import Case, CaseSequence, CaseStatus, Channel, Complaint, ComplaintStatus, IntakeConfig, RouteMethod, as_type_list
from ..redact import redact, reporter_of, summarise
from .triage import ensure_triaged

SHANGHAI = ZoneInfo("Asia/Shanghai")

DEFAULT_CHANNEL_LETTERS = {
    Channel.PHONE: "D",
    Channel.LETTER: "X",
    Channel.WEB: "W",
    Channel.WECHAT: "W",
    Channel.VISIT: "F",
    Channel.EMAIL: "Y",
}
# Province abbreviations used in case numbers, by the first two digits of the division code.
PROVINCE_CODES = {
    "11": "BJ", "12": "TJ", "13": "HE", "14": "SX", "15": "NM", "21": "LN", "22": "JL", "23": "HL", "31": "SH", "32": "JS",
    "33": "ZJ", "34": "AH", "35": "FJ", "36": "JX", "37": "SD", "41": "HA", "42": "HB", "43": "HN", "44": "GD", "45": "GX",
    "46": "HI", "50": "CQ", "51": "SC", "52": "GZ", "53": "YN", "54": "XZ", "61": "SN", "62": "GS", "63": "QH", "64": "NX",
    "65": "XJ",
}  # fmt: skip
EDITABLE_OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.SCREENED)


def config_for(campaign: Any) -> IntakeConfig:
    cfg = getattr(campaign, "_intake_config", None)
    if cfg is None:
        cfg = IntakeConfig.objects.filter(campaign=campaign).first() or IntakeConfig(campaign=campaign)
        campaign._intake_config = cfg
    return cfg


def region_code(campaign: Any, unit: OrgUnit | None) -> str:
    cfg = config_for(campaign)
    if cfg.region_code:
        return cfg.region_code
    code = (unit.code if unit else "") or ""
    if not code[:2].isdigit():
        first = campaign.targets.order_by("code").first()
        code = first.code if first else ""
    return PROVINCE_CODES.get(code[:2], (code[:2] or "XX").upper())


def team_code(campaign: Any) -> str:
    cfg = config_for(campaign)
    if cfg.team_code:
        return cfg.team_code
    team = getattr(campaign, "team", None)
    return team.code if team is not None else ""


def next_case_number(campaign: Any, channel: str, day: Any, unit: OrgUnit | None) -> str:
    """channel letter + team code + region code + YYYYMMDD + 4-digit sequence (per campaign and day)."""
    cfg = config_for(campaign)
    letters = {**DEFAULT_CHANNEL_LETTERS, **(cfg.channel_letters or {})}
    with transaction.atomic():
        seq, _created = CaseSequence.objects.select_for_update().get_or_create(campaign=campaign, day=day)
        seq.last += 1
        seq.save(update_fields=["last"])
    return f"{letters.get(channel, 'Q')}{team_code(campaign)}{region_code(campaign, unit)}{day:%Y%m%d}{seq.last:04d}"


def receiving_unit(campaign: Any, unit: OrgUnit) -> OrgUnit:
    """The campaign target that holds `unit` (the unit the batch goes to); the unit itself otherwise."""
    for target in campaign.targets.all():
        if unit.path.startswith(target.path):
            return target  # type: ignore[no-any-return]
    return unit


def _check_types(pollution_types: Any, sector: str | None) -> None:
    if pollution_types is not None:
        bad = [t for t in pollution_types if t not in as_type_list([t])]
        if bad:
            raise ValidationError({"pollution_types": _("Unknown pollution type: %(t)s") % {"t": ", ".join(bad)}})
    if sector and sector not in Sector.values:
        raise ValidationError({"sector": _("Unknown sector.")})


def confirm_classification(complaint: Complaint, *, actor: Any, pollution_types: list[str], sector: str = "") -> Complaint:
    authorize(actor, "complaints.screen", complaint)
    ensure_triaged(complaint)  # routing and duplicates known before a screener decides (never after)
    _check_types(pollution_types, sector)
    if not pollution_types:
        raise ValidationError({"pollution_types": _("Choose at least one pollution type.")})
    before = snapshot(complaint, ["pollution_types", "sector", "types_confirmed"])
    with transaction.atomic():
        complaint.pollution_types = as_type_list(pollution_types)
        complaint.sector = sector
        complaint.types_confirmed = True
        if complaint.status == ComplaintStatus.RECEIVED:
            complaint.status = ComplaintStatus.SCREENED
            complaint.screened_at = timezone.now()
        complaint.save()
        if complaint.case_id and complaint.case and complaint.case.origin_id == complaint.pk:
            Case.objects.filter(pk=complaint.case_id).update(pollution_types=complaint.pollution_types, sector=sector)
        audit.record(actor, "complaint.classify", complaint, before=before, after=snapshot(complaint, list(before)))
    return complaint


def set_jurisdiction(complaint: Complaint, *, actor: Any, unit: OrgUnit, reason: str = "") -> Complaint:
    authorize(actor, "complaints.screen", complaint)
    ensure_triaged(complaint)  # routing and duplicates known before a screener decides (never after)
    if not any(unit.path.startswith(p) for p in complaint.campaign.target_paths()):
        raise ValidationError({"jurisdiction": _("The unit is not under this campaign's targets.")})
    before = snapshot(complaint, ["jurisdiction", "route_method"])
    with transaction.atomic():
        complaint.jurisdiction = unit
        complaint.route_method = RouteMethod.MANUAL
        complaint.save(update_fields=["jurisdiction", "route_method"])
        audit.record(actor, "complaint.route", complaint, before=before, after=snapshot(complaint, list(before)), reason=reason)
    return complaint


def mark_invalid(complaint: Complaint, *, actor: Any, reason: str) -> Complaint:
    authorize(actor, "complaints.screen", complaint)
    ensure_triaged(complaint)  # routing and duplicates known before a screener decides (never after)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the complaint is invalid.")})
    if complaint.status not in EDITABLE_OPEN:
        raise ValidationError(_("Only complaints not yet accepted or merged can be marked invalid."))
    before = snapshot(complaint, ["status", "status_reason"])
    with transaction.atomic():
        complaint.status = ComplaintStatus.INVALID
        complaint.status_reason = reason.strip()
        complaint.screened_at = timezone.now()
        complaint.save(update_fields=["status", "status_reason", "screened_at"])
        audit.record(actor, "complaint.invalid", complaint, before=before, after=snapshot(complaint, list(before)), reason=reason)
    return complaint


def _division(complaint: Complaint, unit: OrgUnit) -> OrgUnit:
    """The administrative division for the case number: an enterprise unit borrows its registry entry's region."""
    if unit.code[:2].isdigit() or complaint.polluter_id is None or complaint.polluter is None:
        return unit
    return complaint.polluter.org_unit


def accept_complaint(
    complaint: Complaint,
    *,
    actor: Any,
    is_key: bool | None = None,
    lead_unit: OrgUnit | None = None,
    co_units: Any = (),
    pollution_types: list[str] | None = None,
    sector: str | None = None,
    summary: str = "",
) -> Case:
    """Accept a complaint and register a new case for it (numbered, summarised without personal data).

    `is_key` None: suggested from the text (a retaliation complaint is a key case, DOMAIN.md §10).
    """
    authorize(actor, "cases.register", complaint)
    ensure_triaged(complaint)  # routing and duplicates known before a screener decides (never after)
    if complaint.status not in EDITABLE_OPEN:
        raise ValidationError(_("This complaint has already been decided (%(s)s).") % {"s": complaint.get_status_display()})
    _check_types(pollution_types, sector)
    campaign = complaint.campaign
    region = complaint.jurisdiction
    if lead_unit is None:
        if region is None:
            raise ValidationError({"lead_unit": _("The complaint could not be routed: choose the handling unit.")})
        lead_unit = receiving_unit(campaign, region)
    elif not any(lead_unit.path.startswith(p) for p in campaign.target_paths()):
        raise ValidationError({"lead_unit": _("The unit is not under this campaign's targets.")})
    co = [u for u in co_units if u.pk != lead_unit.pk]
    before = snapshot(complaint, ["status", "case"])
    with transaction.atomic():
        case = Case.objects.create(
            campaign=campaign,
            number=next_case_number(campaign, complaint.channel, complaint.intake_day, _division(complaint, region or lead_unit)),
            channel=complaint.channel,
            origin=complaint,
            summary=redact(summary.strip(), reporter_of(complaint))
            if summary.strip()
            else summarise(complaint.text, reporter_of(complaint)),
            pollution_types=as_type_list(pollution_types if pollution_types is not None else complaint.pollution_types),
            sector=sector if sector is not None else complaint.sector,
            region=region or lead_unit,
            is_key=suggest_key(complaint.text) if is_key is None else is_key,
            is_joint=bool(co),
            lead_unit=lead_unit,
            intake_day=complaint.intake_day,
        )
        if co:
            case.co_units.set(co)
        complaint.status = ComplaintStatus.ACCEPTED
        complaint.case = case
        complaint.screened_at = complaint.screened_at or timezone.now()
        complaint.save(update_fields=["status", "case", "screened_at"])
        # Duplicates merged into this complaint before it had a case (merge queue) join the new case.
        Complaint.objects.filter(duplicate_of=complaint, status=ComplaintStatus.DUPLICATE, case__isnull=True).update(case=case)
        audit.record(actor, "complaint.accept", complaint, before=before, after=snapshot(complaint, list(before)))
        audit.record(actor, "case.register", case, after=snapshot(case))
    return case


def merge_complaint(complaint: Complaint, *, actor: Any, into: Case, reason: str = "") -> Complaint:
    """Mark a complaint as a duplicate of an existing case; it stays linked and visible there."""
    authorize(actor, "complaints.screen", complaint)
    ensure_triaged(complaint)  # routing and duplicates known before a screener decides (never after)
    if into.campaign_id != complaint.campaign_id:
        raise ValidationError({"into": _("The case belongs to another campaign.")})
    if into.status == CaseStatus.MERGED:
        raise ValidationError({"into": _("That case was itself merged; merge into %(n)s instead.") % {"n": into.merged_into}})
    own = complaint.case if complaint.case_id and complaint.case and complaint.case.origin_id == complaint.pk else None
    if own is not None and own.pk == into.pk:
        raise ValidationError({"into": _("A complaint cannot be merged into its own case.")})
    if own is not None and own.batch_id is not None:
        raise ValidationError(_("This complaint's case has already been batched; it cannot be merged any more."))
    before = snapshot(complaint, ["status", "case", "duplicate_of"])
    with transaction.atomic():
        if own is not None:
            own_before = snapshot(own, ["status", "merged_into"])
            own.status = CaseStatus.MERGED
            own.merged_into = into
            own.save(update_fields=["status", "merged_into"])
            Complaint.objects.filter(case=own).exclude(pk=complaint.pk).update(case=into)
            audit.record(actor, "case.merge", own, before=own_before, after=snapshot(own, list(own_before)), reason=reason)
        complaint.status = ComplaintStatus.DUPLICATE
        complaint.duplicate_of = into.origin
        complaint.case = into
        complaint.status_reason = reason
        complaint.screened_at = complaint.screened_at or timezone.now()
        complaint.save(update_fields=["status", "duplicate_of", "case", "status_reason", "screened_at"])
        audit.record(actor, "complaint.merge", complaint, before=before, after=snapshot(complaint, list(before)), reason=reason)
    return complaint


def unmerge_complaint(complaint: Complaint, *, actor: Any, reason: str) -> Complaint:
    """Undo a merge: the complaint goes back to screening (its own case comes back if it had one)."""
    authorize(actor, "complaints.screen", complaint)
    if complaint.status != ComplaintStatus.DUPLICATE:
        raise ValidationError(_("Only merged complaints can be unmerged."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the merge is undone.")})
    before = snapshot(complaint, ["status", "case", "duplicate_of"])
    with transaction.atomic():
        # A conditional UPDATE claims the complaint: of two simultaneous unmerges (a double click) one wins.
        if not Complaint.objects.filter(pk=complaint.pk, status=ComplaintStatus.DUPLICATE).update(
            status=ComplaintStatus.SCREENED
        ):
            raise ValidationError(_("Only merged complaints can be unmerged."))
        own = Case.objects.filter(origin=complaint, status=CaseStatus.MERGED).first()
        if own is not None:
            own_before = snapshot(own, ["status", "merged_into"])
            own.status = CaseStatus.REGISTERED
            own.merged_into = None
            own.save(update_fields=["status", "merged_into"])
            audit.record(actor, "case.unmerge", own, before=own_before, after=snapshot(own, list(own_before)), reason=reason)
            complaint.status = ComplaintStatus.ACCEPTED
            complaint.case = own
        else:
            complaint.status = ComplaintStatus.SCREENED
            complaint.case = None
        complaint.duplicate_of = None
        complaint.status_reason = reason
        complaint.save(update_fields=["status", "duplicate_of", "case", "status_reason"])
        audit.record(actor, "complaint.unmerge", complaint, before=before, after=snapshot(complaint, list(before)), reason=reason)
    return complaint


def split_case(case: Case, *, actor: Any, units: list[OrgUnit], reason: str = "") -> list[Case]:
    """Split a multi-locality case: one new case per extra unit, each with its own number and deadline."""
    authorize(actor, "cases.register", case)
    if case.batch_id is not None:
        raise ValidationError(_("Only cases not yet batched can be split."))
    units = [u for u in units if u.pk != case.lead_unit_id]
    if not units:
        raise ValidationError({"units": _("Choose at least one other unit to split the case to.")})
    paths = case.campaign.target_paths()
    if any(not any(u.path.startswith(p) for p in paths) for u in units):
        raise ValidationError({"units": _("The unit is not under this campaign's targets.")})
    parts = []
    with transaction.atomic():
        for u in units:
            part = Case.objects.create(
                campaign=case.campaign,
                number=next_case_number(case.campaign, case.channel, case.intake_day, u),
                channel=case.channel,
                origin=case.origin,
                summary=case.summary,
                pollution_types=case.pollution_types,
                sector=case.sector,
                region=u,
                is_key=case.is_key,
                lead_unit=receiving_unit(case.campaign, u),
                handler_unit=None,
                intake_day=case.intake_day,
                split_from=case,
            )
            audit.record(actor, "case.split", part, after=snapshot(part), reason=reason)
            parts.append(part)
    return parts


def set_joint(case: Case, *, actor: Any, lead_unit: OrgUnit, co_units: list[OrgUnit], reason: str = "") -> Case:
    """Handle a case jointly: one lead unit answers, co-units take part; the case counts once."""
    authorize(actor, "cases.register", case)
    if case.batch_id is not None:
        raise ValidationError(_("Only cases not yet batched can be changed."))
    before = snapshot(case, ["lead_unit", "is_joint", "co_units"])
    with transaction.atomic():
        case.lead_unit = lead_unit
        co = [u for u in co_units if u.pk != lead_unit.pk]
        case.is_joint = bool(co)
        case.save(update_fields=["lead_unit", "is_joint"])
        case.co_units.set(co)
        audit.record(actor, "case.joint", case, before=before, after=snapshot(case, list(before)), reason=reason)
    return case


def set_key(case: Case, *, actor: Any, is_key: bool, reason: str = "") -> Case:
    authorize(actor, "cases.register", case)
    before = snapshot(case, ["is_key"])
    with transaction.atomic():
        case.is_key = is_key
        case.save(update_fields=["is_key"])
        audit.record(actor, "case.key", case, before=before, after=snapshot(case, ["is_key"]), reason=reason)
    return case
