"""The sign-off path (DOMAIN §4.4): guards, roles, working-day notice, objections, filing, return, reopen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.audit.models import AuditEvent
from inspectorate.rectification import actions
from inspectorate.rectification.models import ObjectionStatus, SignOffStep, TaskStatus

pytestmark = pytest.mark.django_db


def ready(rect, task):
    """Every measure done with evidence: ready to apply."""
    for m in task.measures.all():
        actions.add_evidence(
            task, actor=rect.w.handler_a, measure=m, content=f"photo {task.pk} {m.pk}".encode(), filename="p.jpg"
        )
    actions.record_progress(task, actor=rect.w.handler_a, percent=100, measures_done=[m.pk for m in task.measures.all()])
    task.refresh_from_db()
    return task


def to_notice(rect, task, start=dt.date(2024, 9, 27)):
    ready(rect, task)
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    actions.verify(task, actor=rect.acceptance, conclusion="现场核查：整改到位")
    actions.sign(task, actor=rect.acceptance2)
    actions.start_notice(task, actor=rect.w.liaison_a, start=start, on=start)
    return task


def test_full_path_with_working_day_notice(rect):
    task = to_notice(rect, rect.task())
    # 2024-09-27 is a Friday; Sunday 29 Sep is a make-up working day (调休), then the National Day break 1–7 Oct:
    # 27, 29, 30 Sep, 8, 9 Oct are the five working days (a Monday–Friday rule would say 3 Oct).
    assert task.status == TaskStatus.UNDER_NOTICE
    assert task.notice_start == dt.date(2024, 9, 27)
    assert task.notice_end == dt.date(2024, 10, 9)
    assert task.notice_days == 5
    with pytest.raises(ValidationError, match="2024-10-09"):
        actions.file(task, actor=rect.w.liaison_a, on=dt.date(2024, 10, 9))
    actions.file(task, actor=rect.w.liaison_a, on=dt.date(2024, 10, 10))
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.signoff_step == SignOffStep.FILED
    assert task.closed_on == dt.date(2024, 10, 10) and task.progress == 100
    verbs = list(AuditEvent.objects.filter(object_id=str(task.pk)).values_list("verb", flat=True).order_by("seq"))
    for v in ("task.apply_sign_off", "task.verify", "task.sign", "task.start_notice", "task.file"):
        assert v in verbs


def test_notice_uses_campaign_days(rect):
    rect.w.campaign.notice_working_days = 14
    rect.w.campaign.save()
    task = to_notice(rect, rect.task(), start=dt.date(2024, 3, 4))  # Monday, no holidays in the next 3 weeks
    assert task.notice_days == 14
    assert task.notice_end == dt.date(2024, 3, 21)


def test_apply_needs_all_measures_done_and_evidence(rect):
    task = rect.task()
    m1, m2 = task.measures.all()
    actions.record_progress(task, actor=rect.w.handler_a, percent=50, measures_done=[m1.pk])
    with pytest.raises(ValidationError, match="not yet done: 2"):
        actions.apply_sign_off(task, actor=rect.w.handler_a)
    actions.record_progress(task, actor=rect.w.handler_a, percent=100, measures_done=[m2.pk])
    actions.add_evidence(task, actor=rect.w.handler_a, measure=m1, content=b"x", filename="a.pdf")
    with pytest.raises(ValidationError, match="without evidence: 2"):
        actions.apply_sign_off(task, actor=rect.w.handler_a)
    actions.add_evidence(task, actor=rect.w.handler_a, measure=m2, content=b"y", filename="b.pdf")
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    assert task.signoff_step == SignOffStep.ACCEPTANCE_REQUESTED


def test_steps_out_of_order_are_refused_with_a_reason(rect):
    task = ready(rect, rect.task())
    with pytest.raises(ValidationError, match="Acceptance requested"):
        actions.verify(task, actor=rect.acceptance, conclusion="ok")
    with pytest.raises(ValidationError):
        actions.sign(task, actor=rect.acceptance)
    with pytest.raises(ValidationError):
        actions.start_notice(task, actor=rect.w.liaison_a)
    with pytest.raises(ValidationError):
        actions.file(task, actor=rect.w.liaison_a)
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    with pytest.raises(ValidationError, match="Verified on site"):
        actions.sign(task, actor=rect.acceptance)
    with pytest.raises(ValidationError):
        actions.apply_sign_off(task, actor=rect.w.handler_a)
    with pytest.raises(ValidationError, match="conclusion"):
        actions.verify(task, actor=rect.acceptance, conclusion="  ")


def test_wrong_role_is_refused(rect):
    task = ready(rect, rect.task())
    with pytest.raises(PermissionDenied):
        actions.apply_sign_off(task, actor=rect.acceptance)  # acceptance officers do not apply
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    with pytest.raises(PermissionDenied):
        actions.verify(task, actor=rect.w.liaison_a, conclusion="ok")
    with pytest.raises(PermissionDenied, match="acceptance unit"):
        actions.verify(task, actor=rect.acceptance_b, conclusion="ok")  # below the acceptance unit
    actions.verify(task, actor=rect.acceptance, conclusion="ok")
    with pytest.raises(PermissionDenied):
        actions.sign(task, actor=rect.w.handler_a)
    with pytest.raises(PermissionDenied):
        actions.sign(task, actor=rect.w.liaison_b)


def test_applicant_cannot_sign(rect):
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=rect.w.admin)
    actions.verify(task, actor=rect.acceptance, conclusion="ok")
    with pytest.raises(ValidationError, match="cannot also sign"):
        actions.sign(task, actor=rect.w.admin)
    actions.sign(task, actor=rect.acceptance2)
    assert task.signed_by == rect.acceptance2


def test_objection_upheld_returns_and_blocks_filing(rect):
    task = to_notice(rect, rect.task(), start=dt.date(2024, 3, 4))
    with pytest.raises(ValidationError, match="notice period has ended"):
        actions.raise_objection(task, text="still polluting", on=dt.date(2024, 3, 20))
    obj = actions.raise_objection(task, text="养殖场仍在排污", on=dt.date(2024, 3, 5))
    with pytest.raises(ValidationError, match="awaiting a decision"):
        actions.file(task, actor=rect.w.liaison_a, on=dt.date(2024, 3, 20))
    with pytest.raises(PermissionDenied):
        actions.decide_objection(task, obj, actor=rect.w.handler_a, upheld=True, reason="x")
    actions.decide_objection(task, obj, actor=rect.w.liaison_a, upheld=True, reason="现场复核属实")
    task.refresh_from_db()
    obj.refresh_from_db()
    assert obj.status == ObjectionStatus.UPHELD
    assert task.status == TaskStatus.IN_PROGRESS and task.signoff_step == SignOffStep.RETURNED
    assert "现场复核属实" in task.return_reason
    assert task.notice_start is None and task.signed_by is None
    # Re-apply after the return: the measures are still done with evidence.
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    assert task.signoff_step == SignOffStep.ACCEPTANCE_REQUESTED


def test_dismissed_objection_lets_the_task_be_filed(rect):
    task = to_notice(rect, rect.task(), start=dt.date(2024, 3, 4))
    obj = actions.raise_objection(task, text="不同意", on=dt.date(2024, 3, 6), actor=rect.w.liaison_a)
    actions.decide_objection(task, obj, actor=rect.w.liaison_a, upheld=False, reason="经核查不属实")
    actions.file(task, actor=rect.w.liaison_a, on=dt.date(2024, 3, 11))
    assert task.status == TaskStatus.CLOSED


def test_return_by_acceptance_unit(rect):
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    with pytest.raises(ValidationError, match="reason"):
        actions.return_task(task, actor=rect.acceptance, reason="")
    actions.return_task(task, actor=rect.acceptance, reason="处罚文书缺失")
    assert task.status == TaskStatus.IN_PROGRESS and task.signoff_step == SignOffStep.RETURNED
    with pytest.raises(ValidationError, match="in sign-off"):
        actions.return_task(task, actor=rect.acceptance, reason="again")


def test_reopen_closed_task(rect):
    task = to_notice(rect, rect.task(), start=dt.date(2024, 3, 4))
    actions.file(task, actor=rect.w.liaison_a, on=dt.date(2024, 3, 11))
    with pytest.raises(ValidationError, match="reason"):
        actions.reopen(task, actor=rect.w.inspector, source="look_back", reason="")
    with pytest.raises(PermissionDenied):
        actions.reopen(task, actor=rect.w.handler_a, source="look_back", reason="x")
    r = actions.reopen(task, actor=rect.w.inspector, source="look_back", reason="回头看发现仍在生产", on=dt.date(2024, 6, 1))
    task.refresh_from_db()
    assert task.status == TaskStatus.REOPENED and task.reopen_count == 1 and task.closed_on is None
    assert r.closed_on_before == dt.date(2024, 3, 11)
    with pytest.raises(ValidationError, match="Only a closed task"):
        actions.reopen(task, actor=rect.w.inspector, source="media", reason="x")
    actions.record_progress(task, actor=rect.w.handler_a, percent=60, note="重新整改")
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    assert task.status == TaskStatus.PENDING_ACCEPTANCE


def test_evidence_is_immutable_and_hashed(rect):
    import hashlib

    from inspectorate.rectification.models import Evidence, ImmutableError

    task = rect.task()
    ev = actions.add_evidence(task, actor=rect.w.handler_a, measure=task.measures.first(), content=b"abc", filename="x.jpg")
    assert ev.sha256 == hashlib.sha256(b"abc").hexdigest() and ev.size == 3
    ev.note = "changed"
    with pytest.raises(ImmutableError):
        ev.save()
    with pytest.raises(ImmutableError):
        ev.delete()
    assert Evidence.objects.get(pk=ev.pk).note == ""


def test_sequential_double_sign_only_one_succeeds(rect):
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    actions.verify(task, actor=rect.acceptance3, conclusion="ok")
    from inspectorate.rectification.models import Task

    stale = Task.objects.get(pk=task.pk)  # both signers loaded the task at site_verified
    actions.sign(task, actor=rect.acceptance)
    # The second signer's copy still says site_verified; the conditional update refuses it.
    stale_step = stale.signoff_step
    assert stale_step == SignOffStep.SITE_VERIFIED
    with pytest.raises(ValidationError, match="no longer at this step"):
        actions.sign(stale, actor=rect.acceptance2)
    task.refresh_from_db()
    assert task.signed_by == rect.acceptance
