"""Pages: permission matrix, the sign-off panel, public pages without internal data, query ceilings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.rectification import actions
from inspectorate.rectification.fakecheck import compute_flags
from inspectorate.rectification.models import Plan, SignOffStep
from inspectorate.testing.clock import future_year
from inspectorate.testing.matrix import assert_matrix

from .test_api import at

FY = future_year()  # a year still to come, whatever the clock says
pytestmark = pytest.mark.django_db

W = "/rectification/"


def test_ledger_and_report_pages_matrix(rect):
    w = rect.w
    t = rect.task()
    for path in ("", "battle-map/", "dispatch/", "flags/", "plans/"):
        r = assert_matrix(W + path, api=False, allowed=[w.liaison_a, w.handler_a, w.inspector, w.auditor, w.admin, w.liaison_b])
        if path == "":
            assert t.number in r[0].content.decode()
            assert t.number not in r[-1].content.decode()  # liaison_b sees an empty ledger


def test_task_page_matrix_and_panel(rect):
    w = rect.w
    t = at(rect, SignOffStep.ACCEPTANCE_REQUESTED)
    r = assert_matrix(
        f"{W}tasks/{t.pk}/",
        api=False,
        allowed=[w.liaison_a, w.handler_a, w.inspector, rect.acceptance],
        out_of_scope=[w.liaison_b, w.outsider],
    )
    liaison_page, acceptor_page = r[0].content.decode(), r[3].content.decode()
    assert 'id="form-verify"' in acceptor_page and 'id="form-return"' in acceptor_page
    assert 'id="form-verify"' not in liaison_page
    assert "applied for sign-off" in liaison_page and "task.apply_sign_off" not in liaison_page  # the timeline, in words


def test_task_action_pages(rect):
    w = rect.w
    t = at(rect, SignOffStep.ACCEPTANCE_REQUESTED)
    path = f"{W}tasks/{t.pk}/verify/"
    assert_matrix(
        path,
        method="post",
        api=False,
        data={"conclusion": "合格"},
        allowed=[rect.acceptance],
        ok=302,
        out_of_scope=[w.liaison_b],
        forbidden=[w.liaison_a],
    )
    t.refresh_from_db()
    assert t.signoff_step == SignOffStep.SITE_VERIFIED
    c = Client()
    c.force_login(w.liaison_a)
    r = c.post(f"{W}tasks/{t.pk}/start-notice/", follow=True)  # out of order: refused with a reason, not a crash
    assert r.status_code == 200 and "needs the task to be at" in r.content.decode()


def test_import_page_matrix(rect):
    w = rect.w
    assert_matrix(
        W + "import/",
        method="post",
        api=False,
        data={"campaign": w.campaign.code},
        allowed=[w.liaison_a],
        ok=302,
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a],
    )


def test_plan_pages(rect):
    w = rect.w
    plan = actions.create_plan(
        actor=w.liaison_a,
        campaign=w.campaign,
        target=w.city_a,
        title="岳阳整改方案",
        body="内部分工细节",
        public_summary="公开摘要",
    )
    assert_matrix(
        f"{W}plans/{plan.pk}/", api=False, allowed=[w.liaison_a, w.team_leader], out_of_scope=[w.liaison_b, w.handler_a]
    )
    assert_matrix(
        f"{W}plans/{plan.pk}/transition/",
        method="post",
        api=False,
        data={"to": "internal_review"},
        ok=302,
        allowed=[w.liaison_a],
        out_of_scope=[w.liaison_b],
        forbidden=[w.auditor],
    )
    plan.refresh_from_db()
    assert plan.status == "internal_review"
    # Not public until published.
    assert Client().get(f"{W}public/plans/{plan.pk}/").status_code == 404
    for to, who in (("submitted", w.liaison_a), ("approved", w.team_leader), ("published", w.liaison_a)):
        actions.transition_plan(Plan.objects.get(pk=plan.pk), to, actor=who)
    r = Client().get(f"{W}public/plans/{plan.pk}/")
    body = r.content.decode()
    assert r.status_code == 200 and "公开摘要" in body and "内部分工细节" not in body


def test_public_notice_and_objection_without_login(rect):
    w = rect.w
    t = at(rect, SignOffStep.UNDER_NOTICE)
    hidden = at(rect, SignOffStep.SIGNED)
    anon = Client()
    index = anon.get(f"{W}public/").content.decode()
    assert t.goal in index and hidden.goal not in index
    page = anon.get(f"{W}public/notices/{t.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="objection-form"' in body
    for secret in (rect.leader.name, "p.jpg", "acceptor", t.verification_conclusion):  # leader, evidence, signer, conclusion
        assert secret not in body
    assert anon.get(f"{W}public/notices/{hidden.pk}/").status_code == 404
    r = anon.post(f"{W}public/notices/{t.pk}/", {"text": "养殖场夜间仍在排污", "contact": "13800000000"}, follow=True)
    assert r.status_code == 200
    o = t.objections.get()
    assert o.recorded_by is None and o.contact == "13800000000"
    assert "13800000000" not in r.content.decode()
    # Staff see it on the task page and can decide.
    c = Client()
    c.force_login(w.liaison_a)
    assert "养殖场夜间仍在排污" in c.get(f"{W}tasks/{t.pk}/").content.decode()


def test_flag_shown_on_task_page_and_reviewed(rect):
    w = rect.w
    a, b = rect.task(), rect.task()
    for t in (a, b):
        actions.add_evidence(t, actor=w.handler_a, measure=t.measures.first(), content=b"same", filename="x.jpg")
    compute_flags(w.campaign)
    c = Client()
    c.force_login(w.inspector)
    body = c.get(f"{W}tasks/{a.pk}/").content.decode()
    assert "Reused evidence" in body and b.number in body
    flag = a.flags.get()
    assert_matrix(
        f"{W}flags/{flag.pk}/review/",
        method="post",
        api=False,
        data={"decision": "dismissed", "note": "同一项目"},
        ok=302,
        allowed=[w.inspector],
        out_of_scope=[w.liaison_b],
        forbidden=[w.handler_a],
    )
    flag.refresh_from_db()
    assert flag.status == "dismissed"


def _count(c, path):
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(path)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["", "?schedule=on_schedule", "battle-map/", "dispatch/", "flags/?status=open", "plans/"])
def test_page_query_count_independent_of_tasks(rect, path, django_assert_max_num_queries):
    w = rect.w
    c = Client()
    c.force_login(w.liaison_a)
    for _ in range(3):
        rect.task().implementing_units.set([w.county_a])
    small = _count(c, W + path)
    for i in range(40):
        t = rect.task(deadline=dt.date(FY, 6, 30) if i % 2 else None)
        t.implementing_units.set([w.county_a, w.city_a])
    x, y = rect.task(), rect.task()
    for t in (x, y):
        actions.add_evidence(t, actor=w.handler_a, measure=t.measures.first(), content=b"dup", filename="x.jpg")
    compute_flags(w.campaign)
    with django_assert_max_num_queries(small + 1):
        r = c.get(W + path)
    if path == "battle-map/":
        assert r.content.decode().count('class="task"') == 45


def test_battle_map_and_dispatch_figures(rect):
    from inspectorate.rectification.reports import battle_map, dispatch
    from inspectorate.rectification.selectors import tasks_for

    w = rect.w
    today = dt.date(FY, 3, 15)
    done = rect.task()
    from inspectorate.rectification.models import Task

    Task.objects.filter(pk=done.pk).update(status="closed", closed_on=dt.date(FY, 2, 1))
    behind = rect.task()  # milestones 2030-01-01/02 not done: behind
    on = rect.task(measures=0, progress=90)  # near the time-proportional pace (序时进度)
    late = rect.task(deadline=dt.date(FY, 3, 1))
    tasks = list(tasks_for(w.liaison_a))
    data = battle_map(tasks, today=today)
    states = {r.task.pk: r.state for r in data["rows"]}
    assert states[done.pk] == "done" and states[behind.pk] == "behind" and states[on.pk] == "on_schedule"
    assert states[late.pk] == "overdue"
    assert data["percent"] == 25 and data["months"][0] == dt.date(FY, 1, 1)
    disp = dispatch(tasks, today=today)
    row = disp["rows"][0]
    assert (row["tasks"], row["done"], row["on_schedule"], row["behind"], row["overdue"], row["rate"]) == (4, 1, 1, 1, 1, 25)
    assert row["change"] == 0  # closed on 1 Feb, before last month's end (28 Feb)


def test_evidence_download_matrix(rect):
    import hashlib

    w = rect.w
    t = rect.task()
    ev = actions.add_evidence(t, actor=w.handler_a, measure=t.measures.first(), content=b"monitoring data", filename="m.csv")
    r = assert_matrix(
        f"{W}evidence/{ev.pk}/",
        api=False,
        allowed=[w.liaison_a, rect.acceptance, w.inspector],
        out_of_scope=[w.liaison_b, w.outsider],
    )
    assert b"".join(r[0].streaming_content) == b"monitoring data"
    assert r[0]["X-Content-SHA256"] == hashlib.sha256(b"monitoring data").hexdigest()


def test_objection_contact_is_encrypted_at_rest(rect):
    from django.db import connection

    t = at(rect, SignOffStep.UNDER_NOTICE)
    Client().post(f"{W}public/notices/{t.pk}/", {"text": "仍在排污", "contact": "13912345678"})
    o = t.objections.get()
    assert o.contact == "13912345678"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT contact FROM rectification_objection WHERE id = %s", [o.pk.hex if connection.vendor == "sqlite" else o.pk]
        )
        raw = cur.fetchone()[0]
    assert "13912345678" not in raw
