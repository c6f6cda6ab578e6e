"""Site visits (走访/暗访): plan, record as done with findings and photos; a finding becomes a case or a problem."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize, can
from inspectorate.audit import snapshot
from inspectorate.complaints.actions.screening import next_case_number, receiving_unit
from inspectorate.complaints.classify import suggest
from inspectorate.complaints.models import Case, Channel, PollutionType, as_type_list
from inspectorate.complaints.uploads import check_media
from inspectorate.rectification.actions import create_problem
from inspectorate.rectification.models import Problem, Source

from ..models import SiteVisit, VisitFinding, VisitPhoto, VisitStatus
from .common import actor_or_none, next_number, under_targets


def _check_coords(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise ValidationError({"lat": _("Give both latitude and longitude, or neither.")})
    if lat is not None and not -90 <= lat <= 90:
        raise ValidationError({"lat": _("Latitude must lie between -90 and 90.")})
    if lon is not None and not -180 <= lon <= 180:
        raise ValidationError({"lon": _("Longitude must lie between -180 and 180.")})


def _check_enterprises(campaign: Any, enterprises: Any) -> list[Any]:
    out = list(enterprises or ())
    paths = campaign.target_paths()
    for e in out:
        units = [u for u in (e.org_unit, getattr(e, "enterprise_unit", None)) if u is not None]
        if not any(u.path.startswith(p) for u in units for p in paths):
            raise ValidationError({"enterprises": _("%(e)s is not under this campaign's targets.") % {"e": e}})
    return out


def create_visit(
    *,
    actor: Any,
    campaign: Any,
    unit: Any,
    kind: str,
    planned_on: dt.date,
    location: str,
    lat: float | None = None,
    lon: float | None = None,
    purpose: str = "",
    enterprises: Any = (),
) -> SiteVisit:
    authorize(actor, "fieldwork.record", campaign)
    under_targets(campaign, unit, "unit")
    _check_coords(lat, lon)
    ents = _check_enterprises(campaign, enterprises)
    with transaction.atomic():
        visit = SiteVisit(
            campaign=campaign,
            number=next_number(SiteVisit.objects.select_for_update().filter(campaign=campaign)),
            unit=unit,
            kind=kind,
            planned_on=planned_on,
            location=location.strip(),
            lat=lat,
            lon=lon,
            purpose=purpose.strip(),
            recorded_by=actor_or_none(actor),
        )
        visit.full_clean()
        visit.save()
        if ents:
            visit.enterprises.set(ents)
        audit.record(actor, "site_visit.create", visit, after=snapshot(visit))
    return visit


def complete_visit(
    visit: SiteVisit, *, actor: Any, visited_on: dt.date, summary: str = "", findings: list[str] | None = None
) -> SiteVisit:
    """Record the visit as done (from then on the target sees an unannounced visit), with its findings."""
    authorize(actor, "fieldwork.record", visit)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit is recorded as done on or after the day it took place, not before.")})
    if visited_on < visit.campaign.stationing_start - dt.timedelta(days=366):
        raise ValidationError({"visited_on": _("The visit date lies long before this campaign.")})
    before = snapshot(visit, ["status", "visited_on", "summary"])
    with transaction.atomic():
        changes = {"status": VisitStatus.DONE, "visited_on": visited_on, "summary": (summary or "").strip()}
        if SiteVisit.objects.filter(pk=visit.pk, status=VisitStatus.PLANNED).update(**changes) != 1:
            raise ValidationError(_("This visit is already recorded as done."))
        for k, v in changes.items():
            setattr(visit, k, v)
        audit.record(
            actor, "site_visit.complete", visit, before=before, after=snapshot(visit, ["status", "visited_on", "summary"])
        )
        for text in findings or []:
            if str(text).strip():
                _add_finding(visit, actor, str(text).strip(), None)
    return visit


def _add_finding(visit: SiteVisit, actor: Any, text: str, enterprise: Any) -> VisitFinding:
    seq = int(visit.findings.aggregate(m=Max("seq"))["m"] or 0) + 1
    finding = VisitFinding.objects.create(visit=visit, seq=seq, text=text, enterprise=enterprise)
    audit.record(actor, "visit_finding.create", finding, after=snapshot(finding))
    return finding


def add_finding(visit: SiteVisit, *, actor: Any, text: str, enterprise: Any = None) -> VisitFinding:
    authorize(actor, "fieldwork.record", visit)
    if visit.status != VisitStatus.DONE:
        raise ValidationError(_("Record the visit as done before adding findings."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe the finding.")})
    if enterprise is not None:
        _check_enterprises(visit.campaign, [enterprise])
    with transaction.atomic():
        SiteVisit.objects.select_for_update().filter(pk=visit.pk).first()
        return _add_finding(visit, actor, text.strip(), enterprise)


def add_photos(visit: SiteVisit, *, actor: Any, files: Any) -> list[VisitPhoto]:
    authorize(actor, "fieldwork.record", visit)
    checked = check_media(files)
    if not checked:
        raise ValidationError({"attachments": _("Attach at least one photo or video.")})
    out = []
    with transaction.atomic():
        for f in checked:
            out.append(
                VisitPhoto.objects.create(
                    visit=visit,
                    file=ContentFile(f.content, name=f.name),
                    name=f.name,
                    content_type=f.content_type,
                    size=f.size,
                    sha256=f.sha256,
                    uploaded_by=actor_or_none(actor),
                )
            )
        audit.record(
            actor,
            "site_visit.photos",
            visit,
            after={"photos": [{"name": p.name, "sha256": p.sha256, "size": p.size} for p in out]},
        )
    return out


def _convertible(finding: VisitFinding) -> None:
    if finding.visit.status != VisitStatus.DONE:
        raise ValidationError(_("Record the visit as done first."))
    if finding.case_id or finding.problem_id:
        raise ValidationError(_("This finding has already become a case or a problem."))


def _link(finding: VisitFinding, **changes: Any) -> None:
    if VisitFinding.objects.filter(pk=finding.pk, case__isnull=True, problem__isnull=True).update(**changes) != 1:
        raise ValidationError(_("This finding has already become a case or a problem."))
    for k, v in changes.items():
        setattr(finding, k, v)


def finding_to_case(finding: VisitFinding, *, actor: Any, is_key: bool = False, pollution_types: list[str] | None = None) -> Case:
    """One step: register a complaint case (channel "visit") from the finding, linked both ways in the audit chain."""
    visit = finding.visit
    authorize(actor, "fieldwork.record", finding)
    authorize(actor, "cases.register", visit.campaign)
    _convertible(finding)
    if pollution_types:
        bad = [t for t in pollution_types if t not in PollutionType.values]
        if bad:
            raise ValidationError({"pollution_types": _("Unknown pollution type: %(t)s") % {"t": ", ".join(bad)}})
    types = as_type_list(pollution_types) if pollution_types else suggest(finding.text).pollution_types
    day = visit.visited_on or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.create(
            campaign=visit.campaign,
            number=next_case_number(visit.campaign, Channel.VISIT, day, visit.unit),
            channel=Channel.VISIT,
            summary=finding.text,
            pollution_types=types,
            sector=finding.enterprise.sector if finding.enterprise else "",
            region=visit.unit,
            is_key=is_key,
            lead_unit=receiving_unit(visit.campaign, visit.unit),
            intake_day=day,
        )
        audit.record(actor, "case.register", case, after={**snapshot(case), "from_visit_finding": str(finding.pk)})
        before = snapshot(finding, ["case", "problem"])
        _link(finding, case=case)
        audit.record(actor, "visit_finding.to_case", finding, before=before, after=snapshot(finding, ["case", "problem"]))
    return case


def finding_to_problem(finding: VisitFinding, *, actor: Any, number: str = "", title: str = "", unit: Any = None) -> Problem:
    """One step: a rectification problem from the finding (its origin points back at the finding)."""
    visit = finding.visit
    authorize(actor, "fieldwork.record", finding)
    _convertible(finding)
    unit = unit or visit.unit
    if not can(actor, "view", unit):
        raise PermissionDenied("problems.manage")
    number = (number or "").strip() or f"V{visit.number}-{finding.seq}"
    source = Source.CENTRAL_FEEDBACK if visit.campaign.level == "central" else Source.PROVINCIAL_FEEDBACK
    with transaction.atomic():
        problem = create_problem(
            actor=actor,
            campaign=visit.campaign,
            unit=unit,
            number=number,
            title=(title or finding.text).strip()[:500],
            description=finding.text,
            source=source,
            enterprise=finding.enterprise,
            origin=finding,
        )
        before = snapshot(finding, ["case", "problem"])
        _link(finding, problem=problem)
        audit.record(actor, "visit_finding.to_problem", finding, before=before, after=snapshot(finding, ["case", "problem"]))
    return problem
