"""Hidden dangers through the API: three-level scope, escalation, the steps, separated verification, promotion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from inspectorate.audit.models import AuditEvent as Event
from inspectorate.hazards.models import DangerStatus, HiddenDanger
from inspectorate.rectification.models import Problem
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .conftest import PNG

API = "/api/v1/hidden-dangers/"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def ids(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {row["id"] for row in response.json()["results"]}


def events(obj) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Event.objects.filter(object_id=str(obj.pk)).order_by("seq").values_list("verb", flat=True))


def test_each_level_sees_its_subtree_and_a_plant_never_its_sibling(tree):
    d1 = tree.danger(tree.p1)
    d2 = tree.danger(tree.p2, actor=tree.u("p2_officer"))
    d3 = tree.danger(tree.s2, actor=tree.u("s2_officer"))
    assert ids(client_for(tree.u("g_liaison")).get(API)) == {str(d1.pk), str(d2.pk), str(d3.pk)}
    assert ids(client_for(tree.u("s1_officer")).get(API)) == {str(d1.pk), str(d2.pk)}
    assert ids(client_for(tree.u("p1_officer")).get(API)) == {str(d1.pk)}
    assert ids(client_for(tree.u("p2_officer")).get(API)) == {str(d2.pk)}
    assert ids(client_for(tree.u("x_officer")).get(API)) == set()
    assert client_for(tree.u("p2_officer")).get(f"{API}{d1.pk}/").status_code == 404


def test_a_plant_cannot_report_for_its_sibling(tree):
    r = client_for(tree.u("p1_officer")).post(
        API, {"unit": str(tree.p2.pk), "title": "t", "location": "l", "category": "air"}, content_type="application/json"
    )
    assert r.status_code == 400 and "unit" in r.json()
    assert not HiddenDanger.objects.exists()


def test_major_danger_escalates_to_the_level_above_with_an_event(tree):
    r = client_for(tree.u("p1_officer")).post(
        API,
        {"unit": str(tree.p1.pk), "title": "煤矸石山自燃", "location": "矸石山", "category": "solid_waste", "level": "major"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["supervising_unit"] == str(tree.s1.pk) and body["escalated_at"]
    danger = HiddenDanger.objects.get(pk=body["id"])
    assert events(danger) == ["hidden_danger.create", "hidden_danger.escalate"]
    # The subsidiary finds it in its "escalated to me" list; the group (level above that) does not.
    assert ids(client_for(tree.u("s1_officer")).get(API, {"escalated_to_me": "true"})) == {body["id"]}
    assert ids(client_for(tree.u("g_liaison")).get(API, {"escalated_to_me": "true"})) == set()
    # A general danger is not escalated; editing it to major escalates it then.
    general = tree.danger()
    assert general.supervising_unit is None
    r = client_for(tree.u("p1_officer")).patch(f"{API}{general.pk}/", {"level": "major"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["supervising_unit"] == str(tree.s1.pk)


def test_the_whole_path_open_to_closed_by_another_person(tree):
    danger = tree.danger()
    officer, colleague = client_for(tree.u("p1_officer")), client_for(tree.u("p1_colleague"))
    r = officer.post(f"{API}{danger.pk}/start/", {}, content_type="application/json")
    assert r.status_code == 400 and {"measure", "responsible_person", "deadline"} <= set(r.json())
    deadline = (today() + dt.timedelta(days=5)).isoformat()
    r = officer.patch(
        f"{API}{danger.pk}/",
        {"measure": "更换布袋", "responsible_person": "张工", "deadline": deadline},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert officer.post(f"{API}{danger.pk}/start/", {}, content_type="application/json").json()["status"] == "rectifying"
    r = officer.post(f"{API}{danger.pk}/submit/", {}, content_type="application/json")
    assert r.status_code == 400 and "evidence" in r.json()
    r = officer.post(f"{API}{danger.pk}/evidence/", {"file": _png(), "stage": "rectified"})
    assert r.status_code == 200 and len(r.json()["evidence"]) == 1
    assert officer.post(f"{API}{danger.pk}/submit/", {"note": "已更换"}, content_type="application/json").json()["status"] == (
        "pending_verification"
    )
    # The reporter and rectifier cannot verify their own work: refused with a reason.
    r = officer.post(f"{API}{danger.pk}/verify/", {"conclusion": "ok"}, content_type="application/json")
    assert r.status_code == 400 and "different person" in str(r.json())
    r = colleague.post(f"{API}{danger.pk}/reject/", {"reason": "布袋型号不符"}, content_type="application/json")
    assert r.json()["status"] == "rectifying"
    officer.post(f"{API}{danger.pk}/submit/", {}, content_type="application/json")
    r = colleague.post(f"{API}{danger.pk}/verify/", {"conclusion": "现场核查已整改"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["closed_on"] == today().isoformat()
    assert events(danger) == [
        "hidden_danger.create", "hidden_danger.update", "hidden_danger.start", "hidden_danger.evidence", "hidden_danger.submit",
        "hidden_danger.reject", "hidden_danger.submit", "hidden_danger.verify",
    ]  # fmt: skip
    # A closed danger takes no more steps.
    r = officer.post(f"{API}{danger.pk}/start/", {}, content_type="application/json")
    assert r.status_code == 400


def test_a_major_danger_is_verified_by_its_supervising_level(tree):
    danger = tree.ready(tree.danger(level="major"))
    r = client_for(tree.u("p1_colleague")).post(
        f"{API}{danger.pk}/verify/", {"conclusion": "ok"}, content_type="application/json"
    )
    assert r.status_code == 403 and "supervising unit" in r.json()["detail"]
    r = client_for(tree.u("s1_officer")).post(f"{API}{danger.pk}/verify/", {"conclusion": "ok"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == DangerStatus.CLOSED


def test_overdue_dangers_are_flagged_and_listed_first(tree):
    later = tree.danger(title="later", deadline=today() + dt.timedelta(days=30))
    overdue = tree.danger(title="overdue", deadline=today() - dt.timedelta(days=2))
    closed_late = tree.ready(tree.danger(title="closed"))
    HiddenDanger.objects.filter(pk=closed_late.pk).update(deadline=today() - dt.timedelta(days=9), status="closed")
    rows = client_for(tree.u("g_liaison")).get(API).json()["results"]
    assert rows[0]["title"] == "overdue" and rows[0]["overdue"] is True
    assert {r["title"]: r["overdue"] for r in rows} == {"overdue": True, "later": False, "closed": False}
    only = client_for(tree.u("g_liaison")).get(API, {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in only] == [str(overdue.pk)]
    assert later.pk


def test_promote_to_a_ledger_problem_links_both_ways(tree):
    danger = tree.danger()
    url = f"{API}{danger.pk}/promote/"
    # An enterprise officer keeps dangers but not the ledger: 403; the group's liaison office promotes.
    assert_matrix(
        url,
        method="post",
        data={"campaign": str(tree.campaign.pk)},
        allowed=[tree.u("g_liaison")],
        out_of_scope=[tree.u("p2_officer"), tree.u("x_officer")],
        forbidden=[tree.u("p1_officer"), tree.u("g_auditor")],
    )
    danger.refresh_from_db()
    problem = Problem.objects.get(pk=danger.problem_id)
    assert problem.origin == danger and problem.source == "self_found" and problem.unit == tree.p1
    assert problem.number == danger.number
    assert "hidden_danger.promote" in events(danger)
    r = client_for(tree.u("g_liaison")).post(url, {"campaign": str(tree.campaign.pk)}, content_type="application/json")
    assert r.status_code == 400 and Problem.objects.count() == 1


def test_create_with_idempotency_key_does_not_duplicate(tree):
    c = client_for(tree.u("p1_officer"))
    body = {"unit": str(tree.p1.pk), "title": "废水外溢", "location": "沉淀池", "category": "water"}
    a = c.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    b = c.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert a.status_code == b.status_code == 201 and a.json()["id"] == b.json()["id"]
    assert HiddenDanger.objects.count() == 1
    other = c.post(API, {**body, "title": "别的"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["original"] == a.json()["id"]


def test_bad_input_is_refused_with_field_errors(tree):
    c = client_for(tree.u("p1_officer"))
    r = c.post(API, {"unit": str(tree.p1.pk), "title": "", "category": "nonsense"}, content_type="application/json")
    assert r.status_code == 400 and {"title", "location", "category"} <= set(r.json())
    assert not HiddenDanger.objects.exists()


def test_two_verifiers_at_once_one_wins(tree):
    from django.core.exceptions import ValidationError

    from inspectorate.hazards import actions

    danger = tree.ready(tree.danger())
    stale = HiddenDanger.objects.get(pk=danger.pk)
    actions.verify_danger(danger, actor=tree.u("p1_colleague"), conclusion="ok")
    stale.status = DangerStatus.PENDING_VERIFICATION  # the second caller read it before the first wrote
    with pytest.raises(ValidationError):
        actions.verify_danger(stale, actor=tree.u("s1_officer"), conclusion="ok")
    assert events(danger).count("hidden_danger.verify") == 1


@pytest.mark.parametrize("step", ["start", "submit", "verify", "reject"])
def test_matrix_of_the_steps(tree, step):
    danger = tree.danger()
    if step in ("verify", "reject"):
        tree.ready(danger)
        body = {"conclusion": "现场核查", "reason": "不合格"}
        allowed = [tree.u("p1_colleague")]
        forbidden = [tree.u("p1_handler"), tree.u("g_auditor")]
    else:
        danger = tree.danger(measure="m", responsible_person="p", deadline=today() + dt.timedelta(days=3))
        if step == "submit":
            tree.ready  # noqa: B018 -- started below
            from inspectorate.hazards import actions

            actions.start_rectification(danger, actor=tree.u("p1_officer"))
            actions.add_danger_evidence(danger, actor=tree.u("p1_officer"), content=PNG, filename="a.png", stage="rectified")
        body = {}
        allowed = [tree.u("p1_officer")]
        forbidden = [tree.u("p1_handler"), tree.u("g_auditor")]
    assert_matrix(
        f"{API}{danger.pk}/{step}/",
        method="post",
        data=body,
        allowed=allowed,
        out_of_scope=[tree.u("p2_officer"), tree.u("s2_officer"), tree.u("x_officer")],
        forbidden=forbidden,
    )


def test_matrix_of_list_detail_and_create(tree):
    danger = tree.danger()
    assert_matrix(API, allowed=[tree.u("p1_officer"), tree.u("g_auditor"), tree.u("x_officer")])
    assert_matrix(
        f"{API}{danger.pk}/",
        allowed=[tree.u("p1_officer"), tree.u("s1_officer"), tree.u("g_liaison"), tree.u("g_auditor"), tree.u("p1_handler")],
        out_of_scope=[tree.u("p2_officer"), tree.u("s2_officer"), tree.u("x_officer")],
    )
    assert_matrix(
        f"{API}{danger.pk}/",
        method="patch",
        data={"measure": "新的措施"},
        allowed=[tree.u("p1_officer"), tree.u("g_liaison")],
        out_of_scope=[tree.u("p2_officer"), tree.u("x_officer")],
        forbidden=[tree.u("p1_handler"), tree.u("g_auditor")],
    )


def test_query_ceiling_on_the_list(tree, django_assert_max_num_queries):
    for i in range(6):
        tree.danger(title=f"d{i}")
    c = client_for(tree.u("g_liaison"))
    with django_assert_max_num_queries(12):
        assert len(c.get(API).json()["results"]) == 6


def _png():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("fixed.png", PNG, content_type="image/png")
