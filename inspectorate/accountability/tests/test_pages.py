"""Pages: the permission matrix, the target's view without suggested people, the steps through the forms."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from inspectorate.accountability import actions
from inspectorate.accountability.models import AccountabilityRecord
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

SECRET = "建议追责：某副县长"


def make(acc):
    w = acc.w
    issue = actions.create_issue(
        actor=w.team_leader, campaign=w.campaign, title="污水直排问题", facts="事实", responsible_units=[w.county_a],
        suggested_people=SECRET, handed_over_on=today() - dt.timedelta(days=10),
    )  # fmt: skip
    interview = actions.create_interview(
        actor=w.inspector, campaign=w.campaign, title="约谈平江县", reason="lagging_rectification",
        interview_date=today() - dt.timedelta(days=1), units=[w.county_a], persons=[{"leader": acc.leader}],
    )  # fmt: skip
    return issue, interview


def test_page_matrix(acc):
    w = acc.w
    issue, interview = make(acc)
    for url in ("/accountability/interviews/", "/accountability/issues/", "/accountability/summary/"):
        assert_matrix(url, api=False, allowed=[w.inspector, w.liaison_a, acc.discipline], forbidden=[w.outsider])
    assert_matrix(
        f"/accountability/interviews/{interview.pk}/", api=False, allowed=[w.inspector, w.liaison_a], out_of_scope=[w.liaison_b]
    )
    # a handed-over (not yet transferred) issue: the team and the discipline body only
    assert_matrix(
        f"/accountability/issues/{issue.pk}/",
        api=False,
        allowed=[w.team_leader, acc.discipline],
        out_of_scope=[w.liaison_a, w.liaison_b],
    )
    assert_matrix(
        f"/accountability/issues/{issue.pk}/transfer/",
        method="post",
        api=False,
        data={"discipline_body": "纪委"},
        forbidden=[w.inspector, acc.discipline],
        out_of_scope=[w.liaison_a],
        ok=302,
        allowed=[w.team_leader],
    )
    issue.refresh_from_db()
    assert issue.status == "transferred"


def test_target_sees_issue_without_suggested_people(acc):
    w = acc.w
    issue, _ = make(acc)
    actions.transfer(issue, actor=w.team_leader, discipline_body="纪委")
    c = Client()
    c.force_login(w.liaison_a)
    page = c.get(f"/accountability/issues/{issue.pk}/").content.decode()
    assert "污水直排问题" in page and SECRET not in page
    c.force_login(w.team_leader)
    assert SECRET in c.get(f"/accountability/issues/{issue.pk}/").content.decode()


def test_steps_through_pages(acc):
    w = acc.w
    issue, interview = make(acc)
    c = Client()
    c.force_login(w.team_leader)
    c.post(f"/accountability/issues/{issue.pk}/transfer/", {"discipline_body": "岳阳市纪委监委"})
    c.force_login(acc.discipline)
    c.post(f"/accountability/issues/{issue.pk}/investigate/", {})
    form = {
        "person_name": "李某某", "unit": str(w.county_a.pk), "rank": "division", "unit_type": "government",
        "measure": "admonishment", "approving_body": "纪委", "decided_on": str(today()),
    }  # fmt: skip
    c.post(f"/accountability/issues/{issue.pk}/record/", form)
    r = c.post(f"/accountability/issues/{issue.pk}/record/", form, follow=True)
    assert r.status_code == 200
    assert AccountabilityRecord.objects.count() == 1
    c.force_login(w.inspector)
    c.post(f"/accountability/interviews/{interview.pk}/minutes/", {"minutes": "会议纪要"})
    interview.refresh_from_db()
    assert interview.status == "held"
    page = c.get("/accountability/interviews/").content.decode()
    assert "约谈平江县" in page
