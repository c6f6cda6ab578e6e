"""Accountability issues and records through the API: the state machine, one winner of two concurrent callers,
duplicate records refused, and who sees what (team, discipline body, target, public)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from inspectorate.accountability import actions
from inspectorate.accountability.models import AccountabilityIssue, AccountabilityRecord
from inspectorate.audit.models import AuditEvent
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

ISSUES = "/api/v1/accountability-issues/"
RECORDS = "/api/v1/accountability-records/"
SUGGESTED = "建议追责：平江县副县长李某某"


def issue_body(acc, **kw):
    data = {
        "campaign": str(acc.w.campaign.pk),
        "title": "平江县黑臭水体整治不力",
        "facts": "整治工程长期停滞，虚报完成情况。",
        "responsible_units": [str(acc.w.county_a.pk)],
        "suggested_people": SUGGESTED,
        "handed_over_on": str(today() - dt.timedelta(days=20)),
    }
    data.update(kw)
    return data


def make_issue(acc, **kw):
    r = acc.api(acc.w.team_leader).post(ISSUES, issue_body(acc, **kw), format="json")
    assert r.status_code == 201, r.content
    return AccountabilityIssue.objects.get(pk=r.json()["id"])


def record_body(issue, unit, **kw):
    data = {
        "issue": str(issue.pk),
        "person_name": "李某某",
        "post": "平江县副县长",
        "unit": str(unit.pk),
        "rank": "division",
        "unit_type": "government",
        "measure": "admonishment",
        "approving_body": "岳阳市纪委监委",
        "decided_on": str(today() - dt.timedelta(days=2)),
    }
    data.update(kw)
    return data


def walk_to(acc, issue, step):
    """Move an issue through the steps up to `step` with the right people."""
    d, leader = acc.api(acc.discipline), acc.api(acc.w.team_leader)
    steps = [
        ("transferred", leader, "transfer", {"discipline_body": "岳阳市纪委监委", "on": str(today() - dt.timedelta(days=15))}),
        ("investigating", d, "investigate", {"on": str(today() - dt.timedelta(days=10))}),
        ("decided", d, "decide", {"decision": "给予诫勉谈话", "on": str(today() - dt.timedelta(days=3))}),
        ("published", d, "publish", {"publication_ref": "岳阳日报"}),
    ]
    for status, client, name, data in steps:
        if status == "published":
            for _ in range(1):
                r = d.post(RECORDS, record_body(issue, acc.w.county_a), format="json")
                assert r.status_code == 201, r.content
        r = client.post(f"{ISSUES}{issue.pk}/{name}/", data, format="json")
        assert r.status_code == 200, r.content
        assert r.json()["status"] == status
        if status == step:
            break
    issue.refresh_from_db()
    return issue


def test_state_machine_audited_and_idempotent_create(acc):
    c = acc.api(acc.w.team_leader)
    r1 = c.post(ISSUES, issue_body(acc), format="json", HTTP_IDEMPOTENCY_KEY="i-1")
    r2 = c.post(ISSUES, issue_body(acc), format="json", HTTP_IDEMPOTENCY_KEY="i-1")
    assert r1.status_code == r2.status_code == 201 and r1.json()["id"] == r2.json()["id"]
    assert r1.json()["number"] == 1 and r1.json()["suggested_people"] == SUGGESTED
    issue = AccountabilityIssue.objects.get()
    # out of order: the discipline body cannot decide before investigating, nor the team decide at all
    assert acc.api(acc.discipline).post(f"{ISSUES}{issue.pk}/decide/", {"decision": "x"}, format="json").status_code == 400
    walk_to(acc, issue, "published")
    verbs = list(AuditEvent.objects.filter(object_id=str(issue.pk)).order_by("seq").values_list("verb", flat=True))
    assert [v for v in verbs if v != "accountability_issue.update"] == [
        "accountability_issue.create", "accountability_issue.transfer", "accountability_issue.investigate",
        "accountability_issue.decide", "accountability_issue.publish",
    ]  # fmt: skip
    # published: frozen
    r = acc.api(acc.discipline).post(RECORDS, record_body(issue, acc.w.county_a, measure="circular"), format="json")
    assert r.status_code == 400
    assert acc.api(acc.w.team_leader).patch(f"{ISSUES}{issue.pk}/", {"title": "改"}, format="json").status_code == 400


def test_dates_in_the_wrong_order_are_refused(acc):
    issue = make_issue(acc)
    r = acc.api(acc.w.team_leader).post(
        f"{ISSUES}{issue.pk}/transfer/",
        {"discipline_body": "纪委", "on": str(issue.handed_over_on - dt.timedelta(days=1))},
        format="json",
    )
    assert r.status_code == 400 and "on" in r.json()
    r = acc.api(acc.w.team_leader).post(
        f"{ISSUES}{issue.pk}/transfer/", {"discipline_body": "纪委", "on": str(today() + dt.timedelta(days=1))}, format="json"
    )
    assert r.status_code == 400
    assert AccountabilityIssue.objects.get().status == "handed_over"


def test_of_two_concurrent_transfers_one_wins(acc):
    issue = make_issue(acc)
    first, second = (AccountabilityIssue.objects.get(pk=issue.pk) for _ in range(2))
    actions.transfer(first, actor=acc.w.team_leader, discipline_body="纪委A")
    with pytest.raises(ValidationError):
        actions.transfer(second, actor=acc.w.team_leader, discipline_body="纪委B")
    issue.refresh_from_db()
    assert issue.discipline_body == "纪委A"
    assert AuditEvent.objects.filter(verb="accountability_issue.transfer").count() == 1


def test_same_person_same_measure_twice_is_refused_other_measure_allowed(acc):
    issue = walk_to(acc, make_issue(acc), "investigating")
    d = acc.api(acc.discipline)
    assert d.post(RECORDS, record_body(issue, acc.w.county_a), format="json").status_code == 201
    again = d.post(RECORDS, record_body(issue, acc.w.county_a, person_name=" 李某某 "), format="json")
    assert again.status_code == 400, again.content
    assert "person_name" in again.json()
    assert d.post(RECORDS, record_body(issue, acc.w.county_a, measure="sanction"), format="json").status_code == 201
    future = d.post(
        RECORDS,
        record_body(issue, acc.w.county_a, measure="other", decided_on=str(today() + dt.timedelta(days=1))),
        format="json",
    )
    assert future.status_code == 400 and "decided_on" in future.json()
    assert AccountabilityRecord.objects.count() == 2


def test_record_idempotency_and_withdraw(acc):
    issue = walk_to(acc, make_issue(acc), "investigating")
    d = acc.api(acc.discipline)
    r1 = d.post(RECORDS, record_body(issue, acc.w.county_a), format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    r2 = d.post(RECORDS, record_body(issue, acc.w.county_a), format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert r1.status_code == r2.status_code == 201 and r1.json()["id"] == r2.json()["id"]
    assert d.post(f"{RECORDS}{r1.json()['id']}/withdraw/", {}, format="json").status_code == 400
    assert d.post(f"{RECORDS}{r1.json()['id']}/withdraw/", {"reason": "录入错误"}, format="json").status_code == 204
    assert AccountabilityRecord.objects.count() == 0
    assert AuditEvent.objects.filter(verb="accountability_record.delete").count() == 1


def _ids(response):
    assert response.status_code == 200, response.content
    return {x["id"] for x in response.json()["results"]}


def test_who_sees_what(acc):
    w = acc.w
    draft = make_issue(acc, title="草稿")
    transferred = walk_to(acc, make_issue(acc, title="已移交"), "transferred")
    decided = walk_to(acc, make_issue(acc, title="已决定"), "investigating")
    acc.api(acc.discipline).post(RECORDS, record_body(decided, w.county_a, person_name="赵某"), format="json")
    acc.api(acc.discipline).post(f"{ISSUES}{decided.pk}/decide/", {"decision": "处分"}, format="json")
    published = walk_to(acc, make_issue(acc, title="已公开"), "published")
    everything = {str(x.pk) for x in (draft, transferred, decided, published)}
    # the team and the discipline body see all, with the suggested people
    for user in (w.inspector, w.team_leader, acc.discipline):
        r = acc.api(user).get(ISSUES)
        assert _ids(r) == everything
        assert {x["suggested_people"] for x in r.json()["results"]} == {SUGGESTED}
    # the target sees what was transferred to it, never the suggested people, never a draft
    r = acc.api(w.liaison_a).get(ISSUES)
    assert _ids(r) == {str(transferred.pk), str(decided.pk), str(published.pk)}
    assert {x["suggested_people"] for x in r.json()["results"]} == {None}
    assert SUGGESTED not in r.content.decode()
    assert acc.api(w.liaison_a).get(f"{ISSUES}{draft.pk}/").status_code == 404
    # records: the target sees the published ones only; the team and discipline all
    assert {x["person_name"] for x in acc.api(w.liaison_a).get(RECORDS).json()["results"]} == {"李某某"}
    assert {x["person_name"] for x in acc.api(acc.discipline).get(RECORDS).json()["results"]} == {"李某某", "赵某"}
    # out of scope: the other city and its discipline body
    for user in (w.liaison_b, acc.discipline_b, w.outsider, w.enterprise_officer):
        assert _ids(acc.api(user).get(ISSUES)) == set()
        assert acc.api(user).get(RECORDS).json()["results"] == []
    # the public: only the published issue, on the portal campaign page
    page = Client().get(f"/public/campaigns/{w.campaign.code}/").content.decode()
    assert "已公开" in page and "李某某" in page
    for hidden in ("草稿", "已移交", "已决定", "赵某", SUGGESTED):
        assert hidden not in page
    assert Client().get(ISSUES).status_code == 401


def test_permission_matrix(acc):
    w = acc.w
    issue = make_issue(acc)
    assert_matrix(
        f"{ISSUES}{issue.pk}/", allowed=[w.inspector, acc.discipline], out_of_scope=[w.liaison_a, w.liaison_b, acc.discipline_b]
    )
    assert_matrix(
        f"{ISSUES}{issue.pk}/transfer/",
        method="post",
        data={"discipline_body": "岳阳市纪委监委"},
        forbidden=[w.inspector, acc.discipline],
        out_of_scope=[w.liaison_a, acc.discipline_b, w.outsider],
        allowed=[w.team_leader],
    )
    assert_matrix(
        f"{ISSUES}{issue.pk}/investigate/",
        method="post",
        data={},
        forbidden=[w.team_leader, w.inspector, w.liaison_a, w.auditor],
        out_of_scope=[acc.discipline_b, w.liaison_b],
        allowed=[acc.discipline],
    )
    assert_matrix(
        RECORDS,
        method="post",
        data=record_body(issue, w.county_a),
        forbidden=[w.team_leader, w.inspector],
        allowed=[acc.discipline],
        ok=201,
    )
    record = AccountabilityRecord.objects.get()
    assert_matrix(
        f"{RECORDS}{record.pk}/",
        allowed=[w.inspector, acc.discipline],
        out_of_scope=[w.liaison_a, w.liaison_b, acc.discipline_b, w.outsider],
    )
    # a record of an issue the user does not reach is refused as a bad reference, and nothing is saved
    r = acc.api(acc.discipline_b).post(RECORDS, record_body(issue, w.county_a, measure="circular"), format="json")
    assert r.status_code == 400 and "issue" in r.json()
    assert AccountabilityRecord.objects.count() == 1
    # the team creates issues; the discipline body and the target do not
    r = acc.api(acc.discipline).post(ISSUES, issue_body(acc), format="json")
    assert r.status_code in (400, 403)
    r = acc.api(w.inspector).post(ISSUES, issue_body(acc), format="json")
    assert r.status_code == 403
    assert AccountabilityIssue.objects.count() == 1


def test_units_outside_the_targets_are_refused(acc):
    r = acc.api(acc.w.admin).post(ISSUES, issue_body(acc, responsible_units=[str(acc.w.city_b.pk)]), format="json")
    assert r.status_code == 400 and "responsible_units" in r.json()
    r = acc.api(acc.w.admin).post(ISSUES, issue_body(acc, responsible_units=[]), format="json")
    assert r.status_code == 400
    assert AccountabilityIssue.objects.count() == 0
