"""Issue 10, point 7: the fake-rectification signals about people, units, cases and areas (rectification.
fakecheck_units), each with a positive and a negative case; the career events they need; and their review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from inspectorate.accountability import actions
from inspectorate.accountability.models import AccountabilityRecord, CareerEvent
from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.models import Case, Complaint, HandlingResult, PenaltyDecision
from inspectorate.facilities.models import Facility, FacilityLog
from inspectorate.rectification.fakecheck import compute_flags
from inspectorate.rectification.fakecheck_units import binomial_tail
from inspectorate.rectification.models import Flag, FlagKind
from inspectorate.testing.clock import today
from inspectorate.testing.factories import EnterpriseFactory, OrgUnitFactory
from inspectorate.testing.matrix import assert_matrix

from .test_issues import make_issue, walk_to

pytestmark = pytest.mark.django_db
SEQ = count(1)


def flags(kind, **kw):
    return list(Flag.objects.filter(kind=kind, **kw))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def complaint(w, *, day=None, polluter=None, lat=None, lon=None):
    day = day or today()
    return Complaint.objects.create(
        campaign=w.campaign,
        channel="phone",
        received_at=at(day),
        intake_day=day,
        text="污水直排",
        polluter=polluter,
        lat=lat,
        lon=lon,
    )


def case(w, *, unit=None, verdict="", origin=None, sector="", region=None, status="reviewed"):
    n = next(SEQ)
    return Case.objects.create(
        campaign=w.campaign, number=f"X{n:04d}", channel="phone", summary="…", lead_unit=unit or w.county_a,
        intake_day=today() - dt.timedelta(days=20), verdict=verdict, origin=origin, sector=sector, region=region, status=status,
    )  # fmt: skip


def reply(c, *, verdict="true", status="closed", measures="", fines=(), held=0, day=None):
    r = HandlingResult.objects.create(
        case=c, summary="查处", verdict=verdict, status=status, measures=measures, held_accountable=held,
        submitted_at=at(day or today() - dt.timedelta(days=10)), reviewed_at=at(day or today() - dt.timedelta(days=10)),
    )  # fmt: skip
    for name, amount in fines:
        PenaltyDecision.objects.create(result=r, enterprise_name=name, amount=Decimal(amount))
    return r


# --- held accountable, then promoted -------------------------------------------------------------------------


def test_career_event_recorded_by_the_discipline_body_only(acc):
    issue = walk_to(acc, make_issue(acc), "published")
    rec = AccountabilityRecord.objects.get(issue=issue)
    with pytest.raises(PermissionDenied):
        actions.record_career_event(rec, actor=acc.w.team_leader, kind="promotion", on=today(), new_post="副市长")
    with pytest.raises(PermissionDenied):
        actions.record_career_event(rec, actor=acc.w.liaison_a, kind="promotion", on=today(), new_post="副市长")
    with pytest.raises(ValidationError) as exc:
        actions.record_career_event(
            rec, actor=acc.discipline, kind="promotion", on=rec.decided_on - dt.timedelta(days=1), new_post="x"
        )
    assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.record_career_event(rec, actor=acc.discipline, kind="knighthood", on=today(), new_post="")
    assert set(exc.value.message_dict) == {"kind", "new_post"}
    ev = actions.record_career_event(rec, actor=acc.discipline, kind="promotion", on=today(), new_post="岳阳市副市长")
    assert AuditEvent.objects.filter(verb="accountability_record.career_event", object_id=str(rec.pk)).exists()
    assert CareerEvent.objects.get() == ev


def test_promoted_after_accountability(acc):
    issue = walk_to(acc, make_issue(acc), "published")
    rec = AccountabilityRecord.objects.get(issue=issue)
    actions.record_career_event(rec, actor=acc.discipline, kind="promotion", on=today(), new_post="岳阳市副市长")
    compute_flags(acc.w.campaign)
    (flag,) = flags(FlagKind.PROMOTED_AFTER_ACCOUNTABILITY)
    assert flag.task is None and flag.campaign == acc.w.campaign and flag.unit == acc.w.county_a
    assert rec.person_name in flag.explanation and "岳阳市副市长" in flag.explanation
    assert flag.subject_url == f"/accountability/issues/{issue.pk}/"
    compute_flags(acc.w.campaign)  # idempotent
    assert Flag.objects.filter(kind=FlagKind.PROMOTED_AFTER_ACCOUNTABILITY).count() == 1


def test_transfer_or_unpublished_record_raises_no_promotion_flag(acc):
    published = walk_to(acc, make_issue(acc), "published")
    rec = AccountabilityRecord.objects.get(issue=published)
    actions.record_career_event(rec, actor=acc.discipline, kind="transfer", on=today(), new_post="平级交流")
    decided = walk_to(acc, make_issue(acc, title="第二个问题"), "decided")
    draft = actions.add_record(
        decided, actor=acc.discipline, person_name="王某", post="局长", unit=acc.w.county_a, rank="division",
        unit_type="department", measure="circular", approving_body="纪委", decided_on=today() - dt.timedelta(days=1),
    )  # fmt: skip
    actions.record_career_event(draft, actor=acc.discipline, kind="promotion", on=today(), new_post="副县长")
    compute_flags(acc.w.campaign)
    # A transfer is no reward; a draft record never shows through a flag (the target reads flags on its units).
    assert flags(FlagKind.PROMOTED_AFTER_ACCOUNTABILITY) == []


# --- untrue cluster --------------------------------------------------------------------------------------------


def test_binomial_tail():
    assert binomial_tail(0, 10, 0.3) == 1.0
    assert binomial_tail(1, 10, 0.0) == 0.0
    assert binomial_tail(10, 10, 0.5) == pytest.approx(0.5**10)
    assert binomial_tail(8, 10, 0.1) < 0.001 < binomial_tail(3, 10, 0.1)


def _units(w, n):
    return [OrgUnitFactory(parent=w.city_a, unit_type="county", code=f"43069{i}") for i in range(n)]


def test_untrue_cluster_far_above_peers(acc):
    w = acc.w
    odd, p1, p2 = _units(w, 3)
    for i in range(10):
        case(w, unit=odd, verdict="untrue" if i < 8 else "true")
    for unit in (p1, p2):
        for i in range(15):
            case(w, unit=unit, verdict="untrue" if i < 2 else "true")
    compute_flags(w.campaign)
    (flag,) = flags(FlagKind.UNTRUE_CLUSTER)
    assert flag.unit == odd and flag.detail["untrue"] == 8 and flag.detail["peer_cases"] == 30
    assert "80%" in flag.explanation and "13%" in flag.explanation


def test_untrue_cluster_needs_sample_and_a_clear_gap(acc):
    w = acc.w
    small, mild, p1 = _units(w, 3)
    for _ in range(6):  # all untrue, but only 6 cases: below the minimum sample
        case(w, unit=small, verdict="untrue")
    for i in range(12):  # 25% against peers' ~30%: not above
        case(w, unit=mild, verdict="untrue" if i < 3 else "true")
    for i in range(30):
        case(w, unit=p1, verdict="untrue" if i < 6 else "true")
    compute_flags(w.campaign)
    assert flags(FlagKind.UNTRUE_CLUSTER) == []


# --- fines without effect ----------------------------------------------------------------------------------------


def test_fines_without_effect(acc):
    w = acc.w
    fined = w.enterprise_a
    for _ in range(3):
        reply(case(w, origin=complaint(w, polluter=fined)), fines=[(fined.name, "50000")])
    # Another enterprise fined as often, but its reply reports people held accountable.
    other = EnterpriseFactory(org_unit=w.county_a, name="平江县某冶炼厂")
    for i in range(3):
        reply(case(w, origin=complaint(w, polluter=other)), fines=[(other.name, "10000")], held=1 if i == 0 else 0)
    # A third fined only twice.
    third = EnterpriseFactory(org_unit=w.county_a, name="平江县某砖厂")
    for _ in range(2):
        reply(case(w, origin=complaint(w, polluter=third)), fines=[(third.name, "5000")])
    compute_flags(w.campaign)
    (flag,) = flags(FlagKind.FINES_WITHOUT_EFFECT)
    assert fined.name in flag.explanation and "150,000.00" in flag.explanation
    assert flag.unit == w.county_a and flag.detail["fines"] == 3


def test_published_record_counts_as_an_effect(acc):
    w = acc.w
    for _i in range(3):
        reply(case(w, origin=complaint(w, polluter=w.enterprise_a)), fines=[(w.enterprise_a.name, "50000")])
    walk_to(acc, make_issue(acc), "published")  # a record for someone at the county (the enterprise's unit)
    compute_flags(w.campaign)
    assert flags(FlagKind.FINES_WITHOUT_EFFECT) == []


# --- complaint concentration -------------------------------------------------------------------------------------


def test_complaints_concentrate_again_on_a_closed_case(acc):
    w = acc.w
    closed_day = today() - dt.timedelta(days=10)
    hot = case(w, origin=complaint(w, day=today() - dt.timedelta(days=20), lat=28.7, lon=113.6))
    reply(hot, day=closed_day)
    for d in (8, 6, 2):  # three complaints within ~100 m after closure
        complaint(w, day=today() - dt.timedelta(days=d), lat=28.7005, lon=113.6005)
    quiet = case(w, origin=complaint(w, day=today() - dt.timedelta(days=20), lat=28.9, lon=113.9))
    reply(quiet, day=closed_day)
    complaint(w, day=today() - dt.timedelta(days=3), lat=28.9001, lon=113.9001)  # one only
    complaint(w, day=today() - dt.timedelta(days=3), lat=29.5, lon=113.9)  # far away
    complaint(w, day=today() - dt.timedelta(days=3), lat=29.5, lon=113.9)
    still_open = case(w, origin=complaint(w, day=today() - dt.timedelta(days=20), lat=28.7, lon=113.6))
    reply(still_open, status="open", day=closed_day)
    compute_flags(w.campaign)
    (flag,) = flags(FlagKind.COMPLAINT_CONCENTRATION)
    assert flag.detail["case"] == str(hot.pk) and len(flag.detail["complaints"]) == 3
    assert hot.number in flag.explanation and flag.subject_url == f"/complaints/cases/{hot.pk}/"


# --- blanket shutdown ----------------------------------------------------------------------------------------


def test_blanket_shutdown_from_case_replies(acc):
    w = acc.w
    day = today() - dt.timedelta(days=5)
    for i in range(5):
        c = case(w, sector="industry", region=w.county_a)
        reply(c, measures="责令全部停产整治", fines=[(f"平江县第{i}砖厂", "0")], day=day)
    # Four stops of another sector, and stops spread over weeks: no flag.
    for i in range(4):
        reply(case(w, sector="livestock", region=w.county_a), measures="关停", fines=[(f"养殖场{i}", "0")], day=day)
    for _ in range(5):
        reply(
            case(w, sector="mining", region=w.county_a),
            measures="停产",
            fines=[(f"矿{i}", "0")],
            day=today() - dt.timedelta(days=40 - 9 * i),
        )
    compute_flags(w.campaign)
    (flag,) = flags(FlagKind.BLANKET_SHUTDOWN)
    assert flag.unit == w.county_a and flag.detail["source"] == "replies" and len(flag.detail["enterprises"]) == 5


def test_blanket_shutdown_from_facility_logs(acc):
    w = acc.w
    start = w.campaign.stationing_start
    plant = OrgUnitFactory(kind="enterprise", unit_type="plant", code="PLANT-1")
    for i in range(6):
        ent = EnterpriseFactory(org_unit=w.county_a, sector="industry", name=f"平江县第{i}化工厂")
        fac = Facility.objects.create(name=f"污水站{i}", facility_type="wastewater", unit=plant, enterprise=ent)
        FacilityLog.objects.create(facility=fac, day=start, status="running")
        # five stop on the same two days; the sixth a month before the stay (outside the campaign)
        stop = start + dt.timedelta(days=1 + i % 2) if i < 5 else start - dt.timedelta(days=30)
        FacilityLog.objects.create(facility=fac, day=stop, status="stopped")
        FacilityLog.objects.create(facility=fac, day=stop + dt.timedelta(days=1), status="stopped")
    compute_flags(w.campaign)
    (flag,) = flags(FlagKind.BLANKET_SHUTDOWN)
    assert flag.detail["source"] == "facilities" and len(flag.detail["enterprises"]) == 5
    FacilityLog.objects.filter(day__gt=start, facility__enterprise__name="平江县第0化工厂").delete()
    Flag.objects.all().delete()
    compute_flags(w.campaign)
    assert flags(FlagKind.BLANKET_SHUTDOWN) == []  # four stops only


# --- review flow and access ----------------------------------------------------------------------------------


def test_unit_flags_shown_and_reviewed_on_the_flags_page(acc):
    w = acc.w
    for _i in range(3):
        reply(case(w, origin=complaint(w, polluter=w.enterprise_a)), fines=[(w.enterprise_a.name, "50000")])
    compute_flags(w.campaign)
    (flag,) = flags(FlagKind.FINES_WITHOUT_EFFECT)
    url = "/rectification/flags/?kind=fines_without_effect"
    assert_matrix(url, api=False, allowed=[w.inspector, acc.discipline, w.liaison_a])
    c = Client()
    c.force_login(acc.discipline_b)
    assert escape(flag.explanation) not in c.get(url).content.decode()  # out of scope: not listed
    c.force_login(w.liaison_a)
    page = c.get(url).content.decode()
    assert escape(flag.explanation) in page and "flag-review" not in page  # the inspected side reads, never reviews
    c.force_login(w.inspector)
    assert "flag-review" in c.get(url).content.decode()
    review = f"/rectification/flags/{flag.pk}/review/"
    assert_matrix(
        review,
        method="post",
        data={"decision": "confirmed", "note": "查无考核扣分"},
        api=False,
        out_of_scope=[acc.discipline_b],
        forbidden=[w.liaison_a],
        allowed=[w.inspector],
        ok=302,
    )
    flag.refresh_from_db()
    assert flag.status == "confirmed"
    assert AuditEvent.objects.filter(verb="flag.review", object_id=str(flag.pk)).exists()


def test_career_event_api_matrix(acc):
    issue = walk_to(acc, make_issue(acc), "published")
    rec = AccountabilityRecord.objects.get(issue=issue)
    url = f"/api/v1/accountability-records/{rec.pk}/career-events/"
    body = {"kind": "reward", "on": str(today()), "new_post": "优秀县级领导干部"}
    (r,) = assert_matrix(
        url,
        method="post",
        data=body,
        allowed=[acc.discipline],
        forbidden=[acc.w.team_leader, acc.w.liaison_a],
        out_of_scope=[acc.discipline_b],
        ok=201,
    )
    assert r.json()["kind"] == "reward" and CareerEvent.objects.count() == 1
    bad = acc.api(acc.discipline).post(url, {**body, "on": str(rec.decided_on - dt.timedelta(days=3))}, format="json")
    assert bad.status_code == 400 and "on" in bad.json()
    # The record as the target reads it (published) carries no career events.
    assert "career" not in str(acc.api(acc.w.liaison_a).get(f"/api/v1/accountability-records/{rec.pk}/").json())
