"""Separated duties (issue 8): flags are reviewed and ledger settings edited by the inspecting side only;
applicant, verifier and signer are three people (a documented small-unit exemption lets the verifier sign).

Every refusal: a clear message in both languages, nothing changed, no audit event for the refusal.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from inspectorate.accounts.roles import PERMISSIONS, Role
from inspectorate.accounts.scoping import DutyConflict
from inspectorate.audit.models import AuditEvent
from inspectorate.rectification import actions
from inspectorate.rectification.fakecheck import compute_flags
from inspectorate.rectification.models import Flag, FlagStatus, LedgerSettings, SignOffStep
from inspectorate.testing.factories import MembershipFactory, UserFactory
from inspectorate.testing.matrix import assert_matrix

from .test_signoff import ready

pytestmark = pytest.mark.django_db

W = "/rectification/"
SIDE = "on the inspected side"
SIDE_ZH = "被督察方"


def events(verb, obj):
    return AuditEvent.objects.filter(verb=verb, object_id=str(obj.pk)).count()


def person(username, *roles):
    """A user with the given (role, unit or campaign) memberships."""
    user = UserFactory(username=username)
    for role, where in roles:
        if hasattr(where, "targets"):
            MembershipFactory(user=user, role=role, campaign=where)
        else:
            MembershipFactory(user=user, role=role, org_unit=where)
    return user


@pytest.fixture
def flag(rect):
    """A reused-evidence flag on a task led by Pingjiang county (inside the campaign's target, Yueyang)."""
    a, b = rect.task(), rect.task()
    for t in (a, b):
        actions.add_evidence(t, actor=rect.w.handler_a, measure=t.measures.first(), content=b"same", filename="x.jpg")
    compute_flags(rect.w.campaign)
    return Flag.objects.filter(task=a).get()


def test_the_role_table_gives_the_inspecting_side_the_review_and_the_thresholds():
    reviewers = {r for r, perms in PERMISSIONS.items() if "flags.review" in perms}
    assert reviewers == {Role.INSPECTOR, Role.TEAM_LEADER, Role.ACCEPTANCE_OFFICER, Role.DISCIPLINE_OFFICER, Role.ADMIN}
    assert {r for r, perms in PERMISSIONS.items() if "ledger_settings.manage" in perms} == {Role.TEAM_LEADER, Role.ADMIN}
    for role in (Role.LIAISON, Role.HANDLER, Role.ENTERPRISE_OFFICER, Role.AUDITOR):
        assert "flags.review" not in PERMISSIONS[role] and "ledger_settings.manage" not in PERMISSIONS[role]


# --- flags -------------------------------------------------------------------------------------------------------


def test_flag_review_api_matrix_with_the_inspected_side_refused(rect, flag):
    w = rect.w
    url = f"/api/v1/flags/{flag.pk}/review/"
    body = {"decision": "dismissed", "note": "我们自己核过了"}
    # The Yueyang acceptance officer holds "flags.review" but sits in the inspected city; an inspector of the
    # campaign who also holds a post in Pingjiang county has a conflict too.
    inspector_in_county = person("inspector_in_county", ("inspector", w.campaign), ("handler", w.county_a))
    assert_matrix(
        url,
        method="post",
        data=body,
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.liaison_a, w.handler_a, w.auditor, rect.acceptance, inspector_in_county],
    )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN and flag.reviewed_by is None and flag.review_note == ""
    assert events("flag.review", flag) == 0
    # The refusal says why, in the caller's language.
    c = Client()
    c.force_login(rect.acceptance)
    r = c.post(url, body, content_type="application/json")
    assert r.status_code == 403 and SIDE in r.json()["detail"] and "Yueyang" in r.json()["detail"]
    r = c.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 403 and SIDE_ZH in r.json()["detail"] and "岳阳市" in r.json()["detail"]
    c.force_login(w.liaison_a)  # lacks the permission altogether: the generic refusal
    assert SIDE not in c.post(url, body, content_type="application/json").json()["detail"]
    # The inspection team reviews.
    assert_matrix(url, method="post", data={"decision": "confirmed", "note": "同一照片用于两项任务"}, allowed=[w.inspector])
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED and flag.reviewed_by == w.inspector
    assert events("flag.review", flag) == 1


@pytest.mark.parametrize("who", ["team_leader", "province_acceptance", "discipline", "admin"])
def test_the_inspecting_side_reviews_flags(rect, flag, who):
    w = rect.w
    reviewer = {
        "team_leader": w.team_leader,
        "province_acceptance": person("hn_acceptance", ("acceptance_officer", w.province)),  # a higher-level body
        "discipline": person("hn_discipline", ("discipline_officer", w.province)),
        "admin": w.admin,
    }[who]
    actions.review_flag(flag, actor=reviewer, decision="dismissed", note="同一整改项目的两个子任务共用监测报告")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED and flag.reviewed_by == reviewer
    assert events("flag.review", flag) == 1


def test_a_higher_level_officer_inside_the_target_is_still_the_inspected_side(rect, flag):
    """The rule is the inspected party (the campaign's targets and the task's owners), not only the owning unit."""
    w = rect.w
    city_discipline = person("yy_discipline", ("discipline_officer", w.city_a))
    admin_in_city = person("yy_admin", ("admin", w.city_a))
    for user in (city_discipline, admin_in_city):
        with pytest.raises(DutyConflict, match=SIDE):
            actions.review_flag(flag, actor=user, decision="dismissed", note="x")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN and events("flag.review", flag) == 0


def test_flag_review_page_refuses_the_inspected_side_with_the_reason(rect, flag):
    w = rect.w
    path = f"{W}flags/{flag.pk}/review/"
    data = {"decision": "dismissed", "note": "不属实"}
    assert_matrix(path, method="post", api=False, data=data, out_of_scope=[w.liaison_b], forbidden=[w.liaison_a, rect.acceptance])
    c = Client()
    c.force_login(rect.acceptance)
    r = c.post(path, data)
    assert r.status_code == 403 and SIDE in r.content.decode()
    r = c.post(path, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 403 and SIDE_ZH in r.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN and events("flag.review", flag) == 0
    # The task page offers the review form to the team only; the others see who reviews.
    task_page = f"{W}tasks/{flag.task_id}/"
    for user, form in ((w.inspector, True), (w.liaison_a, False), (rect.acceptance, False)):
        c.force_login(user)
        body = c.get(task_page).content.decode()
        assert (f"flags/{flag.pk}/review/" in body) is form, user
        assert ("Awaiting review by the inspecting side" in body) is not form, user
    assert_matrix(path, method="post", api=False, data=data, ok=302, allowed=[w.inspector])
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED and events("flag.review", flag) == 1


# --- sign-off: three people -----------------------------------------------------------------------------------------


def test_the_applicant_cannot_verify(rect):
    w = rect.w
    # One person holding both posts: Pingjiang's handler and an acceptance officer of Yueyang.
    both = person("both", ("handler", w.county_a), ("acceptance_officer", w.city_a))
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=both)
    c = Client()
    c.force_login(both)
    r = c.post(f"/api/v1/tasks/{task.pk}/verify/", {"conclusion": "合格"}, content_type="application/json")
    assert r.status_code == 400 and "applied for acceptance cannot also verify" in str(r.json())
    zh = {"content_type": "application/json", "HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    r = c.post(f"/api/v1/tasks/{task.pk}/verify/", {"conclusion": "合格"}, **zh)
    assert r.status_code == 400 and "申请验收的人不能同时" in str(r.json())
    task.refresh_from_db()
    assert task.signoff_step == SignOffStep.ACCEPTANCE_REQUESTED and task.verified_by is None
    assert events("task.verify", task) == 0
    actions.verify(task, actor=rect.acceptance, conclusion="现场核查合格")
    assert task.verified_by == rect.acceptance


def test_the_verifier_cannot_sign(rect):
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    actions.verify(task, actor=rect.acceptance, conclusion="现场核查合格")
    c = Client()
    c.force_login(rect.acceptance)
    r = c.post(f"/api/v1/tasks/{task.pk}/sign/", {}, content_type="application/json")
    assert r.status_code == 400 and "verified the task on site cannot also sign" in str(r.json())
    # The page shows the same reason in Chinese and changes nothing.
    r = c.post(f"{W}tasks/{task.pk}/sign/", {}, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert r.status_code == 200 and "现场核查的人不能同时签字" in r.content.decode()
    task.refresh_from_db()
    assert task.signoff_step == SignOffStep.SITE_VERIFIED and task.signed_by is None
    assert events("task.sign", task) == 0
    actions.sign(task, actor=rect.acceptance2)
    assert task.signed_by == rect.acceptance2 and events("task.sign", task) == 1


def test_small_unit_exemption_lets_the_verifier_sign_documented_and_audited(rect):
    w = rect.w
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=w.handler_a)
    actions.verify(task, actor=rect.acceptance, conclusion="现场核查合格")
    # Turning it on needs the documented reason; refused without one, nothing saved, nothing audited.
    with pytest.raises(ValidationError) as exc:
        actions.update_ledger_settings(w.campaign, actor=w.team_leader, verifier_may_sign=True, verifier_may_sign_reason="  ")
    assert "documented reason" in str(exc.value)
    assert not LedgerSettings.objects.filter(campaign=w.campaign).exists()
    assert AuditEvent.objects.filter(verb__startswith="ledger_settings.").count() == 0
    reason = "岳阳市生态环境局验收科仅一名验收人员（2024年编制核定），由督察组同意"
    actions.update_ledger_settings(w.campaign, actor=w.team_leader, verifier_may_sign=True, verifier_may_sign_reason=reason)
    ev = AuditEvent.objects.get(verb="ledger_settings.create")
    assert ev.after["verifier_may_sign"] is True and ev.after["verifier_may_sign_reason"] == reason
    actions.sign(task, actor=rect.acceptance, note="验收合格")
    assert task.signed_by == rect.acceptance == task.verified_by
    sign_event = AuditEvent.objects.get(verb="task.sign", object_id=str(task.pk))
    assert sign_event.after["verifier_also_signed"] == reason
    # Turning it off is audited too, and the rule is back.
    actions.update_ledger_settings(w.campaign, actor=w.team_leader, verifier_may_sign=False, verifier_may_sign_reason="")
    ev = AuditEvent.objects.get(verb="ledger_settings.update")
    assert ev.before["verifier_may_sign"] is True and ev.after["verifier_may_sign"] is False
    other = ready(rect, rect.task())
    actions.apply_sign_off(other, actor=w.handler_a)
    actions.verify(other, actor=rect.acceptance, conclusion="合格")
    with pytest.raises(ValidationError, match="cannot also sign"):
        actions.sign(other, actor=rect.acceptance)


def test_the_exemption_never_lets_the_applicant_verify_or_sign(rect):
    w = rect.w
    LedgerSettings.objects.create(campaign=w.campaign, verifier_may_sign=True, verifier_may_sign_reason="单人验收单位")
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=w.admin)
    with pytest.raises(ValidationError, match="cannot also verify"):
        actions.verify(task, actor=w.admin, conclusion="ok")
    actions.verify(task, actor=rect.acceptance, conclusion="ok")
    with pytest.raises(ValidationError, match="applied for acceptance cannot also sign"):
        actions.sign(task, actor=w.admin)
    assert events("task.sign", task) == 0


def test_the_reason_is_required_by_the_database_too(rect):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerSettings.objects.create(campaign=rect.w.campaign, verifier_may_sign=True, verifier_may_sign_reason="")


# --- ledger settings: the inspecting side edits -------------------------------------------------------------------


def test_ledger_settings_api_matrix(rect):
    w = rect.w
    LedgerSettings.objects.create(campaign=w.campaign)
    url = f"/api/v1/ledger-settings/{w.campaign.pk}/"
    assert_matrix(url, allowed=[w.team_leader, w.inspector, w.liaison_a, w.admin], out_of_scope=[w.liaison_b, w.outsider])
    leader_in_county = person("leader_in_county", ("team_leader", w.campaign), ("liaison", w.county_a))
    admin_in_city = person("yy_admin", ("admin", w.city_a))
    change = {"relapse_days": 30, "similar_text_percent": 99}
    assert_matrix(
        url,
        method="patch",
        data=change,
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.liaison_a, w.inspector, w.auditor, rect.acceptance, leader_in_county, admin_in_city],
    )
    s = LedgerSettings.objects.get(campaign=w.campaign)
    assert (s.relapse_days, s.similar_text_percent) == (365, 90)
    assert AuditEvent.objects.filter(verb__startswith="ledger_settings.").count() == 0
    c = Client()
    c.force_login(admin_in_city)  # holds the permission through the admin role, but inside the inspected city
    r = c.patch(url, change, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 403 and SIDE_ZH in r.json()["detail"]
    c.force_login(w.team_leader)
    r = c.patch(url, {"verifier_may_sign": True}, content_type="application/json")
    assert r.status_code == 400 and "documented reason" in str(r.json())
    assert_matrix(url, method="patch", data=change, allowed=[w.team_leader])
    s.refresh_from_db()
    assert (s.relapse_days, s.similar_text_percent) == (30, 99)
    assert AuditEvent.objects.filter(verb="ledger_settings.update").count() == 1


def test_ledger_settings_created_through_the_api(rect, client):
    w = rect.w
    body = {"campaign": str(w.campaign.pk), "bunch_min_tasks": 6}
    client.force_login(w.liaison_a)
    assert client.post("/api/v1/ledger-settings/", body, content_type="application/json").status_code == 403
    client.force_login(w.liaison_b)  # no ledger_settings.manage anywhere: refused before the body is read
    assert client.post("/api/v1/ledger-settings/", body, content_type="application/json").status_code == 403
    other_leader = UserFactory(username="other_leader")
    MembershipFactory(user=other_leader, role="team_leader", campaign=w.other_campaign)
    client.force_login(other_leader)  # the role, but the campaign is not theirs to name
    assert client.post("/api/v1/ledger-settings/", body, content_type="application/json").status_code == 400
    assert not LedgerSettings.objects.exists()
    client.force_login(w.team_leader)
    r = client.post("/api/v1/ledger-settings/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert LedgerSettings.objects.get(campaign=w.campaign).bunch_min_tasks == 6
    assert AuditEvent.objects.filter(verb="ledger_settings.create").count() == 1


def test_admin_edits_of_ledger_settings_are_audited_and_refused_to_the_inspected_side(rect):
    w = rect.w
    LedgerSettings.objects.create(campaign=w.campaign)
    url = f"/admin/rectification/ledgersettings/{w.campaign.pk}/change/"
    data = {
        "campaign": w.campaign.pk, "report_frequency": "monthly", "due_soon_days": 7, "behind_margin": 10,
        "relapse_days": 365, "relapse_radius_m": 500, "similar_text_percent": 90, "bunch_window_days": 3,
        "bunch_min_tasks": 5, "bunch_min_share_percent": 50, "verifier_may_sign": "on", "verifier_may_sign_reason": "",
    }  # fmt: skip
    staff_in_city = UserFactory(username="staff_in_city", is_superuser=True, is_staff=True)
    MembershipFactory(user=staff_in_city, role="liaison", org_unit=w.city_a)
    c = Client()
    c.force_login(staff_in_city)
    assert c.post(url, {**data, "verifier_may_sign_reason": "单人"}).status_code == 403
    c.force_login(w.admin)
    r = c.post(url, data)
    assert r.status_code == 200 and "documented reason" in r.content.decode()  # the form shows the error
    assert not LedgerSettings.objects.get(campaign=w.campaign).verifier_may_sign
    assert AuditEvent.objects.filter(verb__startswith="ledgersettings.").count() == 0
    assert c.post(url, {**data, "verifier_may_sign_reason": "县级验收单位仅一人"}).status_code == 302
    ev = AuditEvent.objects.get(verb="ledgersettings.update")
    assert ev.before["verifier_may_sign"] is False and ev.after["verifier_may_sign_reason"] == "县级验收单位仅一人"
