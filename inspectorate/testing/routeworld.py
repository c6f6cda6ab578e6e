"""The world the route inventory probes: the cast plus one object of every kind a URL names.

Built once per test class (`setUpTestData`) with plain ORM writes (no actions, no audit): it is
only there to give every URL pattern a real primary key that lies in scope of the cast campaign
(city_a and below), so that out-of-scope users (city_b, the other campaign) get 404 and
in-scope users of the wrong role get 403.

    users   `World.users[name]`: the cast's (admin, inspector, leader, liaison_a, handler_a,
            liaison_b, auditor, officer, outsider) plus acceptor (acceptance officer, city_a),
            discipline (discipline officer, province), office (inspection office staff),
            leader_b (team leader of the other campaign), officer_b (enterprise officer,
            city_b), discipline_b (discipline officer, city_b), plant_officer (enterprise
            officer on the plant under county_a)
    objects `World.objs[key]`: see `build()` for the keys
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from .cast import World as Cast
from .clock import today
from .factories import MembershipFactory, OrgUnitFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _pdf(name: str = "f.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


@dataclass
class RouteWorld:
    cast: Any
    users: dict[str, Any] = field(default_factory=dict)
    objs: dict[str, Any] = field(default_factory=dict)


def _member(users: dict[str, Any], name: str, role: str, **where: Any) -> None:
    users[name] = UserFactory(username=name)
    MembershipFactory(user=users[name], role=role, **where)


def build() -> RouteWorld:
    from inspectorate.accountability.models import AccountabilityIssue, AccountabilityRecord, HandoverPack, Interview
    from inspectorate.accounts.models import ApiToken, Membership, hash_token
    from inspectorate.complaints.models import (
        Attachment,
        Case,
        Complaint,
        DisclosureTable,
        EvidenceFile,
        HandlingResult,
        TransferBatch,
        TransferNotice,
    )
    from inspectorate.facilities.models import (
        EnterpriseVisit,
        Facility,
        FacilityLog,
        FacilityWarning,
        MaintenancePlan,
        MaintenanceRecord,
        Project,
        VisitRequest,
    )
    from inspectorate.fieldwork.models import Delivery, InfoRequest, InfoRequestItem, SiteVisit, Talk, VisitFinding, VisitPhoto
    from inspectorate.hazards.models import (
        ChecklistItem,
        ChecklistTemplate,
        DangerEvidence,
        HiddenDanger,
        SelfInspection,
    )
    from inspectorate.rectification.models import Evidence, Flag, Leader, LedgerSettings, Measure, Plan, Problem, Task
    from inspectorate.reports.models import ExportJob

    c = Cast.build()
    w = RouteWorld(cast=c)
    u = w.users
    for name in ("admin", "inspector", "team_leader", "liaison_a", "handler_a", "liaison_b", "auditor", "outsider"):
        u[name] = getattr(c, name)
    u["officer"] = c.enterprise_officer
    _member(u, "acceptor", "acceptance_officer", org_unit=c.city_a)
    _member(u, "discipline", "discipline_officer", org_unit=c.province)
    _member(u, "discipline_b", "discipline_officer", org_unit=c.city_b)
    _member(u, "office", "inspection_office", org_unit=c.inspect_office)
    _member(u, "leader_b", "team_leader", campaign=c.other_campaign)
    _member(u, "officer_b", "enterprise_officer", org_unit=c.city_b)
    plant: Any = OrgUnitFactory(kind="enterprise", unit_type="plant", parent=c.county_a, name_zh="平江某化工厂")
    _member(u, "plant_officer", "enterprise_officer", org_unit=plant)
    dept: Any = OrgUnitFactory(parent=c.city_a, unit_type="department", code="430600-EEB", name_zh="岳阳市生态环境局")
    o = w.objs
    o.update(plant=plant, department=dept, unit=c.county_a, enterprise=c.enterprise_a, campaign=c.campaign)
    o["member"] = Membership.objects.get(user=c.inspector, campaign=c.campaign)
    key = ApiToken.new_key()
    o["token"] = ApiToken.objects.create(user=c.liaison_a, name="t", prefix=key[:12], key_hash=hash_token(key))
    now = timezone.now()
    day = today()

    # complaints
    cp = Complaint.objects.create(campaign=c.campaign, channel="phone", intake_day=day, text="平江县某化工厂夜间偷排废水")
    o["complaint"] = cp
    o["complaint2"] = Complaint.objects.create(
        campaign=c.campaign, channel="phone", intake_day=day, text="平江县某化工厂夜间偷排废水"
    )
    o["attachment"] = Attachment.objects.create(
        complaint=cp, file=_pdf(), name="f.pdf", content_type="application/pdf", size=len(PDF), sha256="0" * 64
    )
    batch = TransferBatch.objects.create(campaign=c.campaign, number=1, intake_day=day)
    o["batch"] = batch
    case = Case.objects.create(
        campaign=c.campaign, number="YY-1", channel="phone", summary="偷排废水", lead_unit=c.county_a, intake_day=day, batch=batch
    )
    o["case"] = case
    o["notice"] = TransferNotice.objects.create(
        batch=batch, unit=c.county_a, xlsx=ContentFile(b"x", "n.xlsx"), docx=ContentFile(b"x", "n.docx")
    )
    o["result"] = HandlingResult.objects.create(case=case, summary="属实", verdict="true", status="closed")
    o["evidence_file"] = EvidenceFile.objects.create(case=case, file=_pdf(), name="f.pdf", sha256="0" * 64)
    o["table"] = DisclosureTable.objects.create(batch=batch, status="published", published_at=now)

    # rectification
    leader = Leader.objects.create(name="平江县副县长", unit=c.county_a)
    o["leader"] = leader
    problem = Problem.objects.create(
        campaign=c.campaign, unit=c.county_a, number="1", title="养殖污染", source="provincial_feedback"
    )
    o["problem"] = problem
    task = Task.objects.create(
        campaign=c.campaign, problem=problem, number="1.1", goal="整改目标", lead_leader=leader, lead_unit=c.county_a,
        acceptance_unit=c.city_a, deadline=day + dt.timedelta(days=90),
    )  # fmt: skip
    o["task"] = task
    o["notice_task"] = Task.objects.create(
        campaign=c.campaign, problem=problem, number="1.2", goal="整改目标二", lead_leader=leader, lead_unit=c.county_a,
        acceptance_unit=c.city_a, deadline=day + dt.timedelta(days=90), signoff_step="under_notice", notice_days=5,
        notice_start=day, notice_end=day + dt.timedelta(days=5),
    )  # fmt: skip
    measure = Measure.objects.create(task=task, number=1, text="措施", milestone=day + dt.timedelta(days=30))
    o["evidence"] = Evidence.objects.create(
        task=task, measure=measure, file=_pdf(), original_name="f.pdf", size=len(PDF), sha256="1" * 64
    )
    o["flag"] = Flag.objects.create(task=task, campaign=c.campaign, kind="reused_evidence", key="k", explanation="同一文件")
    o["plan"] = Plan.objects.create(campaign=c.campaign, target=c.city_a, title="整改方案")
    o["public_plan"] = Plan.objects.create(
        campaign=c.campaign, target=c.city_a, title="整改方案（公开）", version=2, status="published", published_at=now
    )
    o["ledger_settings"] = LedgerSettings.objects.get_or_create(campaign=c.campaign)[0]
    from inspectorate.rectification.models import Feedback

    o["feedback"] = Feedback.objects.create(campaign=c.campaign, target=c.city_a, date=day)

    # accountability
    o["interview"] = Interview.objects.create(
        campaign=c.campaign, title="约谈", reason="other", interview_date=day, report_due=day + dt.timedelta(days=30)
    )
    o["interview"].units.set([c.county_a])  # the interviewed unit: its side reaches the interview, files the report
    issue = AccountabilityIssue.objects.create(campaign=c.campaign, number=1, title="问责问题", facts="事实")
    o["acc_issue"] = issue
    o["acc_record"] = AccountabilityRecord.objects.create(
        issue=issue, person_name="张某", unit=c.county_a, rank="division", unit_type="government",
        measure="admonishment", approving_body="县纪委", decided_on=day,
    )  # fmt: skip
    o["handover_pack"] = HandoverPack.objects.create(
        campaign=c.campaign, file=ContentFile(b"PK", "p.zip"), sha256="2" * 64, size=2, issues=1, cases=0
    )

    # facilities
    fac = Facility.objects.create(
        name="脱硫塔", facility_type="desulfurisation", unit=plant, commissioned_on=day - dt.timedelta(days=400)
    )
    o["facility"] = fac
    o["facility_log"] = FacilityLog.objects.create(facility=fac, day=day - dt.timedelta(days=1), status="stopped")
    o["maintenance_plan"] = MaintenancePlan.objects.create(facility=fac, title="检修", interval_days=30, starts_on=day)
    o["maintenance_record"] = MaintenanceRecord.objects.create(facility=fac, done_on=day, description="更换布袋")
    o["facility_warning"] = FacilityWarning.objects.create(facility=fac, kind="missing_log", day=day, raised_at=now)
    o["project"] = Project.objects.create(name="技改项目", unit=plant)
    visit = EnterpriseVisit.objects.create(
        government_unit=c.county_a, enterprise_unit=plant, visited_on=day, participants="甲、乙"
    )
    o["enterprise_visit"] = visit
    o["visit_request"] = VisitRequest.objects.create(visit=visit, title="用地问题", owner_unit=c.county_a)

    # hazards
    danger = HiddenDanger.objects.create(number="HD-1", unit=plant, title="布袋破损", location="焦炉", category="air")
    o["danger"] = danger
    o["danger_file"] = DangerEvidence.objects.create(
        danger=danger, file=ContentFile(PNG, "d.png"), original_name="d.png", size=len(PNG), sha256="5" * 64
    )
    checklist = ChecklistTemplate.objects.create(owner_unit=c.county_a, title="自查表")
    ChecklistItem.objects.create(template=checklist, position=1, category="air", requirement="除尘设施正常运行")
    o["checklist"] = checklist
    si = SelfInspection.objects.create(
        organiser=c.county_a, title="自查", checklist=checklist, start_date=day, end_date=day + dt.timedelta(days=7)
    )
    si.scope_units.set([plant])
    o["self_inspection"] = si

    # fieldwork
    req = InfoRequest.objects.create(
        campaign=c.campaign, number=1, target_unit=c.city_a, title="调阅档案", legal_basis="条例第二十条",
        due_at=now + dt.timedelta(days=3), contact_name="联络员", contact_phone="0730-8880012", issued_at=now,
    )  # fmt: skip
    o["info_request"] = req
    item = InfoRequestItem.objects.create(request=req, seq=1, description="资料1", department=dept)
    o["item"] = item
    o["delivery"] = Delivery.objects.create(
        item=item, version=1, file=_pdf(), name="f.pdf", content_type="application/pdf", sha256="3" * 64,
        declarant_name="王某", declared_at=now, declaration="属实",
    )  # fmt: skip
    o["talk"] = Talk.objects.create(
        campaign=c.campaign, unit=c.county_a, person_name="李某", post="县长", date=day, topics="整改"
    )
    sv = SiteVisit.objects.create(
        campaign=c.campaign, number=1, unit=c.county_a, kind="announced", planned_on=day, location="厂区"
    )
    o["site_visit"] = sv
    o["finding"] = VisitFinding.objects.create(visit=sv, seq=1, text="发现问题")
    o["photo"] = VisitPhoto.objects.create(
        visit=sv, file=ContentFile(PNG, "p.png"), name="p.png", content_type="image/png", sha256="4" * 64
    )

    # kpi
    from inspectorate.kpi.models import Indicator, Scheme, Score

    scheme = Scheme.objects.create(owner_unit=c.city_a, title="考核", period_start=day - dt.timedelta(days=30), period_end=day)
    scheme.units.set([plant])
    Indicator.objects.create(scheme=scheme, position=1, name="日志及时", kind="process", metric="logs_on_time", weight=100)
    o["kpi_scheme"] = scheme
    o["kpi_score"] = Score.objects.create(scheme=scheme, unit=plant, computed_at=now)

    # reports
    o["export"] = ExportJob.objects.create(user=c.inspector, kind="ledger", file=ContentFile(b"x", "e.xlsx"))
    return w
