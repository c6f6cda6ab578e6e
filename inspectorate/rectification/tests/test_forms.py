"""Form pages for keeping the ledger: feedback, problems (with the case picker), plans, tasks with measures, progress."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.test import Client
from django.utils import translation

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.models import Case, Channel
from inspectorate.rectification import actions
from inspectorate.rectification.models import Feedback, Measure, Plan, PlanStatus, Problem, Task, TaskStatus
from inspectorate.testing.clock import future_year, stay_day
from inspectorate.testing.matrix import assert_matrix

FY = future_year()  # a year still to come, whatever the clock says
pytestmark = pytest.mark.django_db

W = "/rectification/"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def case(campaign, number, unit):
    return Case.objects.create(
        campaign=campaign, number=number, channel=Channel.PHONE, summary=f"信访件 {number}", lead_unit=unit,
        intake_day=stay_day(3),
    )  # fmt: skip


# --- feedback -------------------------------------------------------------------------------------------------


def test_feedback_form_matrix_and_save(rect):
    w = rect.w
    assert_matrix(W + "feedback/new/", api=False, allowed=[w.liaison_a, w.admin], forbidden=[w.handler_a, w.auditor])
    data = {"campaign": w.campaign.pk, "target": w.city_a.pk, "date": "2021-02-01", "document_no": "湘督反馈〔2021〕2号"}
    assert_matrix(
        W + "feedback/new/", method="post", api=False, data=data, allowed=[w.liaison_a], ok=302, forbidden=[w.handler_a]
    )
    fb = Feedback.objects.get()
    assert fb.document_no == "湘督反馈〔2021〕2号" and fb.target == w.city_a
    assert AuditEvent.objects.filter(verb="feedback.create").count() == 1


def test_feedback_form_refuses_units_out_of_scope_and_reports_errors(rect):
    w = rect.w
    c = client_for(w.liaison_a)
    r = c.post(W + "feedback/new/", {"campaign": w.campaign.pk, "target": w.city_b.pk, "date": "not a date"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "Select a valid choice" in body and "Enter a valid date" in body
    assert not Feedback.objects.exists()


# --- problems and the case picker ---------------------------------------------------------------------------------


def problem_data(w, **kw):
    data = {
        "campaign": w.campaign.pk, "number": "7", "title": "某化工企业废水直排", "unit": w.county_a.pk,
        "source": "complaint_case", "urgency": "immediate", "nature": "specific",
    }  # fmt: skip
    data.update(kw)
    return data


def test_problem_create_links_a_visible_case_and_refuses_others(rect):
    w = rect.w
    mine = case(w.campaign, "X2YY-001", w.county_a)
    theirs = case(w.campaign, "X2YY-002", w.city_b)  # same campaign, a unit liaison_a cannot see
    c = client_for(w.liaison_a)
    r = c.post(W + "problems/new/", problem_data(w, case=theirs.number))
    assert r.status_code == 400 and "No case with this number that you can see" in r.content.decode()
    r = c.post(W + "problems/new/", problem_data(w, case="NOPE-9"))
    assert r.status_code == 400
    assert not Problem.objects.filter(number="7").exists()
    r = c.post(W + "problems/new/", problem_data(w, case=mine.number))
    assert r.status_code == 302
    p = Problem.objects.get(number="7")
    assert p.origin_case == mine and p.origin_case_number == "X2YY-001" and p.source == "complaint_case"
    assert f"/complaints/cases/{mine.pk}/" in c.get(W + "plans/").content.decode()  # the problem links to its case
    assert AuditEvent.objects.filter(verb="problem.create").count() == 1


def test_problem_action_refuses_a_case_the_actor_cannot_see(rect):
    w = rect.w
    theirs = case(w.campaign, "X2YY-002", w.city_b)
    with pytest.raises(Exception, match="No case with this number"):
        actions.create_problem(
            actor=w.liaison_a, campaign=w.campaign, unit=w.county_a, number="8", title="t", source="complaint_case",
            origin_case=theirs,
        )  # fmt: skip


def test_problem_edit_matrix_and_save(rect):
    w = rect.w
    url = f"{W}problems/{rect.problem.pk}/edit/"
    assert_matrix(url, api=False, allowed=[w.liaison_a, w.admin], out_of_scope=[w.liaison_b, w.outsider], forbidden=[w.handler_a])
    data = problem_data(w, number="1", title="平江县养殖污染问题（修订）", nature="deep_seated", case="")
    assert_matrix(url, method="post", api=False, data=data, allowed=[w.liaison_a], ok=302, out_of_scope=[w.liaison_b])
    rect.problem.refresh_from_db()
    assert rect.problem.title.endswith("（修订）") and rect.problem.nature == "deep_seated"
    assert rect.problem.campaign == w.campaign
    assert AuditEvent.objects.filter(verb="problem.update").exists()


def test_legacy_case_number_survives_an_edit(rect):
    w = rect.w
    Problem.objects.filter(pk=rect.problem.pk).update(origin_case_number="OLD-17")
    r = client_for(w.liaison_a).post(f"{W}problems/{rect.problem.pk}/edit/", problem_data(w, number="1", case="OLD-17"))
    assert r.status_code == 302
    rect.problem.refresh_from_db()
    assert rect.problem.origin_case_number == "OLD-17" and rect.problem.origin_case is None


def test_case_options_are_scoped_and_bounded(rect, django_assert_max_num_queries):
    w = rect.w
    for i in range(30):
        case(w.campaign, f"A-{i:03}", w.county_a)
    case(w.campaign, "B-001", w.city_b)
    url = W + "cases/options/"
    r = assert_matrix(url, api=False, data={"campaign": w.campaign.pk, "case": "B-"}, allowed=[w.liaison_a, w.admin])
    assert "B-001" not in r[0].content.decode() and "B-001" in r[1].content.decode()
    c = client_for(w.liaison_a)
    with django_assert_max_num_queries(8):
        body = c.get(url, {"campaign": w.campaign.pk, "case": "A-"}).content.decode()
    assert body.count("<option") == 20
    assert c.get(url, {"campaign": "not-a-uuid"}).content.decode().strip() == ""


def test_data_migration_links_matching_case_numbers(rect):
    from django.apps import apps

    w = rect.w
    c1 = case(w.campaign, "X2YY-010", w.county_a)
    case(w.other_campaign, "X2YY-011", w.city_b)
    Problem.objects.filter(pk=rect.problem.pk).update(origin_case_number="X2YY-010")
    other = Problem.objects.create(campaign=w.campaign, unit=w.county_a, number="2", title="t", source="self_found")
    Problem.objects.filter(pk=other.pk).update(origin_case_number="X2YY-011")  # number exists only in another campaign
    mod = importlib.import_module("inspectorate.rectification.migrations.0007_link_problem_cases")
    mod.link(apps, None)
    rect.problem.refresh_from_db()
    other.refresh_from_db()
    assert rect.problem.origin_case == c1 and other.origin_case is None


# --- plans -------------------------------------------------------------------------------------------------------


def test_plan_form_create_edit_and_move_through_states(rect):
    w = rect.w
    assert_matrix(W + "plans/new/", api=False, allowed=[w.liaison_a], forbidden=[w.handler_a, w.inspector])
    data = {"campaign": w.campaign.pk, "target": w.city_a.pk, "title": "岳阳市整改方案", "body": "内部"}
    r = client_for(w.liaison_a).post(W + "plans/new/", data)
    assert r.status_code == 302
    plan = Plan.objects.get()
    assert plan.version == 1 and plan.due is not None and plan.status == PlanStatus.DRAFTING
    edit = f"{W}plans/{plan.pk}/edit/"
    assert_matrix(edit, api=False, allowed=[w.liaison_a], out_of_scope=[w.liaison_b, w.handler_a], forbidden=[w.auditor])
    r = client_for(w.liaison_a).post(edit, {"title": "岳阳市整改方案", "body": "内部", "public_summary": "公开版"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.public_summary == "公开版" and plan.campaign == w.campaign
    move = f"{W}plans/{plan.pk}/transition/"
    for user, to in (
        (w.liaison_a, "internal_review"),
        (w.liaison_a, "submitted"),
        (w.team_leader, "approved"),
        (w.liaison_a, "published"),
    ):
        assert client_for(user).post(move, {"to": to, "approved_by_body": "湖南省人民政府"}).status_code == 302
        plan.refresh_from_db()
        assert plan.status == to
    r = client_for(w.liaison_a).post(edit, {"title": "x", "public_summary": "y"})
    assert r.status_code == 400 and "create a new version" in r.content.decode()


# --- tasks -------------------------------------------------------------------------------------------------------


def task_data(rect, **kw):
    w = rect.w
    data = {
        "problem": rect.problem.pk, "number": "9.1", "goal": "完成养殖场退养", "lead_leader": rect.leader.pk,
        "lead_unit": w.county_a.pk, "implementing_units": [w.county_a.pk], "acceptance_unit": w.city_a.pk,
        "start_date": f"{FY}-01-01", "deadline": f"{FY}-12-31",
        "m-TOTAL_FORMS": "3", "m-INITIAL_FORMS": "0",
        "m-0-number": "1", "m-0-text": "关停退养", "m-0-milestone": f"{FY}-03-31",
        "m-1-number": "2", "m-1-text": "验收销号", "m-1-milestone": f"{FY}-11-30",
    }  # fmt: skip
    data.update(kw)
    return data


def test_task_form_matrix_and_create(rect):
    w = rect.w
    assert_matrix(W + "tasks/new/", api=False, allowed=[w.liaison_a, w.admin], forbidden=[w.handler_a, w.auditor])
    r = client_for(w.liaison_a).post(W + "tasks/new/", task_data(rect))
    assert r.status_code == 302
    t = Task.objects.get(number="9.1")
    assert t.campaign == w.campaign and t.start_date == dt.date(FY, 1, 1)
    assert [(m.number, m.milestone) for m in t.measures.order_by("number")] == [
        (1, dt.date(FY, 3, 31)),
        (2, dt.date(FY, 11, 30)),
    ]
    assert list(t.implementing_units.all()) == [w.county_a]
    assert AuditEvent.objects.filter(verb="task.create").count() == 1


def test_task_form_long_term_with_review_dates(rect):
    data = task_data(rect, long_term="on", deadline="", review_dates=f"{FY + 1}-06-30, {FY}-12-31")
    r = client_for(rect.w.liaison_a).post(W + "tasks/new/", data)
    assert r.status_code == 302
    t = Task.objects.get(number="9.1")
    assert t.long_term and t.deadline is None and t.review_dates == [f"{FY}-12-31", f"{FY + 1}-06-30"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": ""}, "A task needs a deadline unless it is long-term."),
        ({"long_term": "on", "deadline": "", "review_dates": ""}, "A long-term task needs at least one review date."),
        ({"long_term": "on", "review_dates": f"{FY + 1}-13-01"}, "is not a date; write dates as YYYY-MM-DD"),
        ({"start_date": f"{FY + 1}-01-01"}, "The start date cannot fall after the deadline."),
        ({"m-1-number": "1"}, "Measure numbers must be unique within a task."),
        ({"m-1-milestone": f"{FY + 1}-02-01"}, "A milestone cannot fall after the task"),
        ({"number": "1.1"}, "This task number is already used in this campaign."),
    ],
)
def test_task_form_validation(rect, change, message):
    rect.task()  # number 1.1
    r = client_for(rect.w.liaison_a).post(W + "tasks/new/", task_data(rect, **change))
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Task.objects.filter(goal="完成养殖场退养").exists()


def test_task_form_refuses_out_of_scope_units(rect):
    w = rect.w
    r = client_for(w.liaison_a).post(W + "tasks/new/", task_data(rect, lead_unit=w.city_b.pk))
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    r = client_for(w.liaison_b).post(W + "tasks/new/", task_data(rect))
    assert r.status_code == 400  # the problem is not among liaison_b's choices
    assert not Task.objects.filter(number="9.1").exists()


def test_validation_messages_in_chinese(rect):
    c = client_for(rect.w.liaison_a)
    with translation.override("zh-hans"):
        r = c.post(W + "tasks/new/", task_data(rect, deadline=""), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = r.content.decode()
    assert r.status_code == 400 and "除长期任务外，任务须有完成时限。" in body


def test_more_rows_keeps_what_was_typed_and_saves_nothing(rect):
    r = client_for(rect.w.liaison_a).post(W + "tasks/new/", task_data(rect, add_row="1"))
    body = r.content.decode()
    assert r.status_code == 200 and "关停退养" in body and 'name="m-3-text"' in body
    assert not Task.objects.filter(number="9.1").exists()


def test_task_edit_updates_fields_and_measures(rect):
    w = rect.w
    t = rect.task(measures=3)
    url = f"{W}tasks/{t.pk}/edit/"
    assert_matrix(url, api=False, allowed=[w.liaison_a], out_of_scope=[w.liaison_b, w.outsider], forbidden=[w.handler_a])
    data = task_data(rect, number=t.number, goal="新目标")
    data.update({
        "m-TOTAL_FORMS": "4", "m-INITIAL_FORMS": "3",
        "m-0-number": "1", "m-0-text": "措施1（改）", "m-0-milestone": f"{FY}-01-01",
        "m-1-number": "2", "m-1-text": "措施2", "m-1-milestone": f"{FY}-01-02", "m-1-DELETE": "on",
        "m-2-number": "3", "m-2-text": "措施3", "m-2-milestone": f"{FY}-01-03",
        "m-3-number": "4", "m-3-text": "措施4", "m-3-milestone": f"{FY}-05-01",
    })  # fmt: skip
    r = client_for(w.liaison_a).post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    t.refresh_from_db()
    assert t.goal == "新目标"
    assert [(m.number, m.text) for m in t.measures.order_by("number")] == [(1, "措施1（改）"), (3, "措施3"), (4, "措施4")]
    assert AuditEvent.objects.filter(verb="task.measures").count() == 1


def test_a_measure_with_evidence_cannot_be_removed(rect):
    t = rect.task(measures=2)
    m2 = t.measures.get(number=2)
    actions.add_evidence(t, actor=rect.w.handler_a, measure=m2, content=b"photo", filename="a.jpg")
    data = task_data(rect, number=t.number)
    data.update({"m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "2", "m-1-number": "2", "m-1-DELETE": "on",
                 "m-1-milestone": f"{FY}-01-02"})  # fmt: skip
    r = client_for(rect.w.liaison_a).post(f"{W}tasks/{t.pk}/edit/", data)
    assert r.status_code == 400 and "cannot be removed" in r.content.decode()
    assert Measure.objects.filter(task=t).count() == 2
    t.refresh_from_db()
    assert t.goal != "完成养殖场退养"  # the task edit rolled back with the measures


# --- progress ----------------------------------------------------------------------------------------------------


def test_progress_form_matrix_and_save(rect):
    w = rect.w
    t = rect.task(measures=2)
    url = f"{W}tasks/{t.pk}/report/"
    assert_matrix(
        url,
        api=False,
        allowed=[w.liaison_a, w.handler_a, w.enterprise_officer],
        out_of_scope=[w.liaison_b, w.outsider],
        forbidden=[w.auditor, rect.acceptance],
    )
    m1 = t.measures.get(number=1)
    data = {"percent": "40", "note": "已完成关停", "measures_done": [str(m1.pk)], "period": f"{FY}-01-31"}
    assert_matrix(url, method="post", api=False, data=data, allowed=[w.handler_a], ok=302, forbidden=[w.auditor])
    t.refresh_from_db()
    m1.refresh_from_db()
    assert t.progress == 40 and t.status == TaskStatus.IN_PROGRESS and m1.done
    assert t.updates.get().period == dt.date(FY, 1, 31)


def test_progress_form_errors(rect):
    t = rect.task()
    c = client_for(rect.w.handler_a)
    r = c.post(f"{W}tasks/{t.pk}/report/", {"percent": "150"})
    assert r.status_code == 400 and "Ensure this value is less than or equal to 100" in r.content.decode()
    Task.objects.filter(pk=t.pk).update(status=TaskStatus.CLOSED)
    r = c.post(f"{W}tasks/{t.pk}/report/", {"percent": "50"})
    assert r.status_code == 400 and "Progress is reported while a task is open" in r.content.decode()
    assert not t.updates.exists()


def test_links_to_the_forms(rect):
    w = rect.w
    t = rect.task()
    c = client_for(w.liaison_a)
    assert f"/rectification/tasks/{t.pk}/edit/" in c.get(f"{W}tasks/{t.pk}/").content.decode()
    assert "/rectification/tasks/new/" in c.get(W).content.decode()
    plans = c.get(W + "plans/").content.decode()
    assert "/rectification/problems/new/" in plans and f"/rectification/problems/{rect.problem.pk}/edit/" in plans
    assert "/rectification/tasks/new/" not in client_for(w.auditor).get(W).content.decode()


def test_problem_list_with_case_links_has_a_query_ceiling(rect, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = rect.w
    c = client_for(w.liaison_a)

    def add(n, start):
        for i in range(start, start + n):
            cs = case(w.campaign, f"L-{i:03}", w.county_a)
            Problem.objects.create(
                campaign=w.campaign, unit=w.county_a, number=str(100 + i), title=f"问题{i}", source="complaint_case",
                origin_case=cs, origin_case_number=cs.number,
            )  # fmt: skip

    add(2, 0)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(W + "plans/?per_page=100").status_code == 200
    add(40, 2)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        body = c.get(W + "plans/?per_page=100").content.decode()
    assert body.count('/">L-') == 42  # each problem links to its case
