"""Fake-rectification signals (DOMAIN §7): each rule with a positive and a negative case."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from inspectorate.audit.models import AuditEvent
from inspectorate.rectification import actions
from inspectorate.rectification.fakecheck import compute_flags
from inspectorate.rectification.models import Flag, FlagKind, Problem, SignOffStep, Task, TaskStatus
from inspectorate.testing.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def close(task, closed_on=dt.date(2024, 3, 11), start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 8), **kw):
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.CLOSED, signoff_step=SignOffStep.FILED, closed_on=closed_on, notice_start=start, notice_end=end, **kw
    )
    task.refresh_from_db()
    return task


def kinds(task, kind):
    return list(Flag.objects.filter(task=task, kind=kind))


def test_reused_evidence(rect):
    a, b, c = rect.task(), rect.task(), rect.task()
    for t in (a, b):
        actions.add_evidence(t, actor=rect.w.handler_a, measure=t.measures.first(), content=b"same-photo", filename="p.jpg")
    actions.add_evidence(c, actor=rect.w.handler_a, measure=c.measures.first(), content=b"own-photo", filename="p.jpg")
    actions.add_evidence(c, actor=rect.w.handler_a, measure=c.measures.last(), content=b"own-photo", filename="p2.jpg")
    compute_flags(rect.w.campaign)
    assert len(kinds(a, FlagKind.REUSED_EVIDENCE)) == 1 and len(kinds(b, FlagKind.REUSED_EVIDENCE)) == 1
    assert b.number in kinds(a, FlagKind.REUSED_EVIDENCE)[0].explanation
    assert kinds(c, FlagKind.REUSED_EVIDENCE) == []  # the same file twice on one task is not reuse


def test_evidence_after_acceptance_and_before_task(rect):
    late, honest, old = rect.task(), rect.task(), rect.task()
    for t in (late, honest):
        for m in t.measures.all():
            actions.add_evidence(
                t,
                actor=rect.w.handler_a,
                measure=m,
                content=f"{t.pk}{m.pk}".encode(),
                filename="a.pdf",
                captured_on=dt.date(2021, 3, 1),
            )
        actions.record_progress(t, actor=rect.w.handler_a, percent=100, measures_done=[m.pk for m in t.measures.all()])
        actions.apply_sign_off(t, actor=rect.w.handler_a)
        actions.verify(t, actor=rect.acceptance, conclusion="ok")
    # Evidence added after the on-site acceptance (a capture date in the future is refused at upload).
    actions.add_evidence(
        late,
        actor=rect.w.handler_a,
        measure=late.measures.first(),
        content=b"late",
        filename="late.jpg",
        captured_on=timezone.localdate(),
    )
    actions.add_evidence(
        old,
        actor=rect.w.handler_a,
        measure=old.measures.first(),
        content=b"old",
        filename="old.jpg",
        captured_on=dt.date(2019, 5, 1),
    )
    compute_flags(rect.w.campaign)
    assert len(kinds(late, FlagKind.EVIDENCE_AFTER_ACCEPTANCE)) == 1
    assert kinds(honest, FlagKind.EVIDENCE_AFTER_ACCEPTANCE) == []
    assert len(kinds(old, FlagKind.EVIDENCE_BEFORE_TASK)) == 1
    assert kinds(honest, FlagKind.EVIDENCE_BEFORE_TASK) == []


def test_bunched_closures(rect):
    deadline = dt.date(2024, 6, 30)
    rushed = [close(rect.task(deadline=deadline), closed_on=deadline - dt.timedelta(days=i % 3)) for i in range(5)]
    spread = [close(rect.task(deadline=dt.date(2024, 9, 30)), closed_on=dt.date(2024, 4 + i, 10)) for i in range(5)]
    compute_flags(rect.w.campaign)
    assert all(len(kinds(t, FlagKind.BUNCHED_CLOSURES)) == 1 for t in rushed)
    assert all(kinds(t, FlagKind.BUNCHED_CLOSURES) == [] for t in spread)


def test_shortened_notice(rect):
    short = close(rect.task(), start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 6))  # 3 working days of 5
    early = close(rect.task(), start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 8), closed_on=dt.date(2024, 3, 7))
    full = close(rect.task(), start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 8), closed_on=dt.date(2024, 3, 11))
    compute_flags(rect.w.campaign)
    assert "3" in kinds(short, FlagKind.SHORTENED_NOTICE)[0].explanation
    assert len(kinds(early, FlagKind.SHORTENED_NOTICE)) == 1
    assert kinds(full, FlagKind.SHORTENED_NOTICE) == []


def test_contradicted_status(rect):
    claimed = close(rect.task(), closure_claim="shut_down")
    claimed_ok = close(rect.task(), closure_claim="shut_down")
    plain = close(rect.task())
    actions.reopen(claimed, actor=rect.w.inspector, source="spot_check", reason="抽查发现仍在生产")
    actions.reopen(plain, actor=rect.w.inspector, source="spot_check", reason="资料不全")
    compute_flags(rect.w.campaign)
    assert "仍在生产" in kinds(claimed, FlagKind.CONTRADICTED_STATUS)[0].explanation
    assert kinds(claimed_ok, FlagKind.CONTRADICTED_STATUS) == []
    assert kinds(plain, FlagKind.CONTRADICTED_STATUS) == []


def test_relapse(rect):
    ent, other = rect.w.enterprise_a, rect.w.enterprise_b
    p1 = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="2", title="化工厂废水", source="complaint_case", enterprise=ent
    )
    p2 = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="3", title="造纸厂", source="complaint_case", enterprise=other
    )
    relapsed = close(rect.task(problem=p1), closed_on=timezone.localdate() - dt.timedelta(days=20))
    quiet = close(rect.task(problem=p2), closed_on=timezone.localdate() - dt.timedelta(days=20))
    compute_flags(rect.w.campaign)
    assert kinds(relapsed, FlagKind.RELAPSE) == []  # nothing new yet
    Problem.objects.create(
        campaign=rect.w.campaign,
        unit=rect.w.county_a,
        number="4",
        title="群众再次举报化工厂偷排",
        source="complaint_case",
        enterprise=ent,
        origin_case_number="X3HN202405010001",
    )
    compute_flags(rect.w.campaign)
    assert len(kinds(relapsed, FlagKind.RELAPSE)) == 1
    assert kinds(quiet, FlagKind.RELAPSE) == []


def test_closure_without_sanction(rect):
    bare = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="5", title="违法排污", source="complaint_case", is_violation=True
    )
    fined = Problem.objects.create(
        campaign=rect.w.campaign,
        unit=rect.w.county_a,
        number="6",
        title="违法排污2",
        source="complaint_case",
        is_violation=True,
        penalty_ref="岳环罚〔2021〕12号",
    )
    a = close(rect.task(problem=bare))
    b = close(rect.task(problem=fined))
    c = close(rect.task())  # not a violation
    compute_flags(rect.w.campaign)
    assert len(kinds(a, FlagKind.NO_SANCTION)) == 1
    assert kinds(b, FlagKind.NO_SANCTION) == [] and kinds(c, FlagKind.NO_SANCTION) == []


def test_similar_closure_texts_across_units(rect):
    other_unit = OrgUnitFactory(parent=rect.w.city_a, unit_type="county", code="430621")
    text = "经现场核查，该问题已按要求完成整改，相关设施正常运行，资料齐全，同意销号。"
    a = close(rect.task(), verification_conclusion=text)
    b = close(rect.task(lead_unit=other_unit), verification_conclusion=text)
    same_unit = close(rect.task(), verification_conclusion=text)
    different = close(
        rect.task(lead_unit=other_unit), verification_conclusion="雨污分流管网改造完成，监测数据达标，台账完整，复核通过。"
    )
    compute_flags(rect.w.campaign)
    flagged_a = {f.key for f in kinds(a, FlagKind.SIMILAR_CLOSURE_TEXT)}
    assert str(b.pk) in flagged_a and str(same_unit.pk) not in flagged_a
    assert kinds(different, FlagKind.SIMILAR_CLOSURE_TEXT) == []


def test_compute_is_idempotent_and_review_is_audited(rect):
    a, b = rect.task(), rect.task()
    for t in (a, b):
        actions.add_evidence(t, actor=rect.w.handler_a, measure=t.measures.first(), content=b"dup", filename="p.jpg")
    out = io.StringIO()
    call_command("compute_flags", "--campaign", rect.w.campaign.code, stdout=out)
    assert "2 new flag" in out.getvalue()
    assert compute_flags(rect.w.campaign) == {}
    flag = Flag.objects.filter(task=a).get()
    with pytest.raises(ValidationError):
        actions.review_flag(flag, actor=rect.w.inspector, decision="confirmed", note="")
    actions.review_flag(flag, actor=rect.w.inspector, decision="dismissed", note="同一整改项目的两个子任务共用监测报告")
    flag.refresh_from_db()
    assert flag.status == "dismissed" and flag.reviewed_by == rect.w.inspector
    assert AuditEvent.objects.filter(verb="flag.review", object_id=str(flag.pk)).exists()
    compute_flags(rect.w.campaign)
    flag.refresh_from_db()
    assert flag.status == "dismissed"  # a recomputation keeps the reviewer's decision


def test_flags_task_entry_point(rect):
    from inspectorate.rectification.tasks import compute_flags_task

    a, b = rect.task(), rect.task()
    for t in (a, b):
        actions.add_evidence(t, actor=rect.w.handler_a, measure=t.measures.first(), content=b"dup2", filename="p.jpg")
    assert compute_flags_task.call(rect.w.campaign.code) == {"reused_evidence": 2}


def test_complaint_after_closure_signals_relapse_and_contradiction(rect):
    from django.apps import apps

    complaint_model = apps.get_model("complaints", "Complaint")
    ent, other = rect.w.enterprise_a, rect.w.enterprise_b
    p1 = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="21", title="化工厂", source="complaint_case", enterprise=ent
    )
    p2 = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="22", title="造纸厂", source="complaint_case", enterprise=other
    )
    plain = close(rect.task(problem=p1), closed_on=dt.date(2024, 3, 11))
    claimed = close(rect.task(problem=p1), closed_on=dt.date(2024, 3, 11), closure_claim="shut_down")
    quiet = close(rect.task(problem=p2), closed_on=dt.date(2024, 3, 11))
    received = timezone.make_aware(dt.datetime(2024, 5, 2, 9, 0))
    complaint_model.objects.create(
        campaign=rect.w.campaign,
        channel="phone",
        received_at=received,
        intake_day=dt.date(2024, 5, 2),
        text="化工厂又在夜间偷排",
        polluter=ent,
    )
    earlier = timezone.make_aware(dt.datetime(2024, 2, 2, 9, 0))
    complaint_model.objects.create(
        campaign=rect.w.campaign,
        channel="phone",
        received_at=earlier,
        intake_day=dt.date(2024, 2, 2),
        text="造纸厂排污",
        polluter=other,
    )  # before closure: not a relapse
    compute_flags(rect.w.campaign)
    assert len(kinds(plain, FlagKind.RELAPSE)) == 1
    assert len(kinds(claimed, FlagKind.CONTRADICTED_STATUS)) == 1 and kinds(claimed, FlagKind.RELAPSE) == []
    assert kinds(quiet, FlagKind.RELAPSE) == [] and kinds(quiet, FlagKind.CONTRADICTED_STATUS) == []


def test_complaint_near_the_enterprise_counts_as_relapse(rect):
    from decimal import Decimal

    from django.apps import apps

    complaint_model = apps.get_model("complaints", "Complaint")
    ent = rect.w.enterprise_a
    ent.lat, ent.lon = Decimal("28.700000"), Decimal("113.600000")
    ent.save()
    p = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="31", title="化工厂", source="complaint_case", enterprise=ent
    )
    t = close(rect.task(problem=p), closed_on=dt.date(2024, 3, 11))
    when = timezone.make_aware(dt.datetime(2024, 6, 1, 9, 0))
    far = complaint_model.objects.create(
        campaign=rect.w.campaign,
        channel="web",
        received_at=when,
        intake_day=dt.date(2024, 6, 1),
        text="远处的异味",
        lat=28.72,
        lon=113.60,
    )  # ~2.2 km away
    compute_flags(rect.w.campaign)
    assert kinds(t, FlagKind.RELAPSE) == []
    near = complaint_model.objects.create(
        campaign=rect.w.campaign,
        channel="web",
        received_at=when,
        intake_day=dt.date(2024, 6, 1),
        text="厂边河水发黑",
        lat=28.7025,
        lon=113.6010,
    )  # ~300 m away
    compute_flags(rect.w.campaign)
    flags = kinds(t, FlagKind.RELAPSE)
    assert [f.key for f in flags] == [f"complaint:{near.pk}"] and far.pk != near.pk
    assert "500 m" in flags[0].explanation
