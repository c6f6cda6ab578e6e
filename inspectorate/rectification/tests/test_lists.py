"""The ledger on the shared list helper: page and API answer the same tasks for the same filters; overdue
first; filing (销号备案) asks for confirmation, says what it did, and is shown disabled with the reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from inspectorate.rectification.models import SignOffStep, Task, TaskStatus
from inspectorate.testing.matrix import assert_matrix

from .test_api import at

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="/rectification/tasks/([0-9a-f-]{36})/"')


def page_ids(user, query="", *, path="/rectification/", table="ledger", link=LINK):
    """The ids a list page links to, in its order, from the table `table` on."""
    c = Client()
    c.force_login(user)
    r = c.get(f"{path}?per_page=100&{query}")
    assert r.status_code == 200
    body = r.content.decode()
    out: list[str] = []
    for i in link.findall(body[body.index(f'id="{table}"') :]):
        if i not in out:
            out.append(i)
    return out


def api_ids(user, query="", *, path="/api/v1/tasks/"):
    c = APIClient()
    c.force_authenticate(user)
    r = c.get(f"{path}?{query}")
    assert r.status_code == 200, r.content[:300]
    return [row["id"] for row in r.json()["results"]]


@pytest.fixture
def tasks(rect):
    today = timezone.localdate()
    late = rect.task(number="1.1", deadline=today - dt.timedelta(days=3))
    soon = rect.task(number="1.2", deadline=today + dt.timedelta(days=30), goal="畜禽养殖场粪污直排整治")
    later = rect.task(number="1.3", deadline=today + dt.timedelta(days=90))
    return {"late": late, "soon": soon, "later": later}


@pytest.mark.parametrize(
    "query",
    ["", "overdue=true", "overdue=false", "q=粪污", "sort=deadline", "sort=-deadline", "sort=-number", "status=not_started",
     "region=%(county)s", "date_from=%(from)s", "campaign=hn-2-yueyang"],
)  # fmt: skip
def test_ledger_page_and_api_agree(rect, tasks, query):
    q = query % {"county": rect.w.county_a.code, "from": timezone.localdate()}
    assert page_ids(rect.w.liaison_a, q) == api_ids(rect.w.liaison_a, q)


def test_overdue_first_then_ledger_order(rect, tasks):
    ids = page_ids(rect.w.liaison_a)
    assert ids[:3] == [str(tasks["late"].pk), str(tasks["soon"].pk), str(tasks["later"].pk)]
    assert page_ids(rect.w.liaison_a, "overdue=true") == [str(tasks["late"].pk)]
    assert page_ids(rect.w.liaison_b) == []  # out of scope, whatever the filters


def test_ledger_search_count_and_sort_headers(rect, tasks):
    c = Client()
    c.force_login(rect.w.liaison_a)
    body = c.get("/rectification/?q=粪污").content.decode()
    assert re.search(r'class="listcount"[^>]*><strong>\D*1\b', body)
    assert 'class="clear"' in body
    body = c.get("/rectification/?sort=deadline").content.decode()
    assert 'aria-sort="ascending"' in body and "sort=-deadline" in body


def test_filing_asks_for_confirmation_and_reports_success(rect):
    task = at(rect, "expired")
    w = rect.w
    c = Client()
    c.force_login(w.liaison_a)
    page = c.get(f"/rectification/tasks/{task.pk}/").content.decode()
    assert 'id="form-file"' in page and 'aria-describedby="file-why"' not in page
    url = f"/rectification/tasks/{task.pk}/file/"
    r = c.post(url, {})
    assert r.status_code == 200 and 'name="confirm" value="1"' in r.content.decode()
    task.refresh_from_db()
    assert task.status != TaskStatus.CLOSED
    r = c.post(url, {"confirm": "1"}, follow=True)
    task.refresh_from_db()
    assert task.signoff_step == SignOffStep.FILED
    assert [m.level_tag for m in r.context["messages"]] == ["success"]
    assert_matrix(
        f"/rectification/tasks/{at(rect, 'expired').pk}/file/", method="post", data={}, api=False, ok=200,
        allowed=[w.liaison_a], out_of_scope=[w.liaison_b],
    )  # fmt: skip


def test_filing_button_is_disabled_with_the_reason_while_the_notice_runs(rect):
    task = at(rect, SignOffStep.UNDER_NOTICE)
    c = Client()
    c.force_login(rect.w.liaison_a)
    page = c.get(f"/rectification/tasks/{task.pk}/").content.decode()
    assert 'disabled aria-describedby="file-why"' in page
    assert f"{task.notice_end:%Y-%m-%d}" in page.split('id="file-why"')[1][:300]
    r = c.post(f"/rectification/tasks/{task.pk}/file/", {}, follow=True)
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    assert Task.objects.get(pk=task.pk).signoff_step == SignOffStep.UNDER_NOTICE


PROBLEM_LINK = re.compile(r'\?problem=([0-9a-f-]{36})"')


def problem_page_ids(user, query=""):
    return page_ids(user, query, path="/rectification/plans/", table="problems", link=PROBLEM_LINK)


def problem_api_ids(user, query=""):
    return api_ids(user, query, path="/api/v1/problems/")


@pytest.fixture
def problems(rect):
    from inspectorate.rectification.models import Problem

    w = rect.w
    made = [rect.problem]
    for number, title, unit, source in [
        ("2", "汨罗市再生铝企业废气超标", w.city_a, "provincial_feedback"),
        ("10", "平江县污水处理厂进水浓度偏低", w.county_a, "complaint_case"),
        ("3", "岳阳市黑臭水体反弹", w.city_a, "complaint_case"),
    ]:
        made.append(Problem.objects.create(campaign=w.campaign, unit=unit, number=number, title=title, source=source))
    return made


@pytest.mark.parametrize(
    "query", ["", "q=黑臭", "sort=number", "sort=-number", "sort=unit", "sort=-source", "source=complaint_case",
              "region=%(county)s", "campaign=hn-2-yueyang", "q=10"],
)  # fmt: skip
def test_problem_list_page_and_api_agree(rect, problems, query):
    q = query % {"county": rect.w.county_a.code}
    ids = problem_page_ids(rect.w.liaison_a, q)
    assert ids == problem_api_ids(rect.w.liaison_a, q)
    if query == "":
        assert len(ids) == len(problems)
    if query == "q=黑臭":
        assert ids == [str(problems[3].pk)]


def test_problem_list_counts_sorts_and_clears(rect, problems):
    c = Client()
    c.force_login(rect.w.liaison_a)
    body = c.get("/rectification/plans/?source=complaint_case&sort=-number").content.decode()
    assert "2 results" in body and "clear filters" in body
    assert 'aria-sort="descending"' in body
    assert body.index("岳阳市黑臭水体反弹") > body.index("平江县污水处理厂进水浓度偏低")  # "10" after "3", descending
    assert c.get("/rectification/plans/?sort=nonsense").status_code == 200  # a bad sort falls back to the default
    assert problem_page_ids(rect.w.liaison_b) == []  # out of scope: none of them
