"""Dashboards per role: the numbers of each chart's table, each figure's link to the filtered list that shows
the same number of rows, the to-do list, and menus that show only what the role can use."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from inspectorate.complaints.models import Case
from inspectorate.complaints.tests.conftest import bulk_cases, flow_to_dispatch
from inspectorate.rectification.models import TaskStatus
from inspectorate.rectification.tests.conftest import build
from inspectorate.testing.clock import today

pytestmark = pytest.mark.django_db


def home(user) -> str:
    c = Client()
    c.force_login(user)
    r = c.get("/")
    assert r.status_code == 200
    return r.content.decode()


def table_rows(body: str, key: str) -> list[tuple[str, int]]:
    """(link, number) of each row of the chart table `key`."""
    part = body[body.index(f'id="table-{key}"') :]
    part = part[: part.index("</table>")]
    return [
        (h.replace("&amp;", "&"), int(n))
        for h, n in re.findall(r'<td class="num" data-value="\d+"><a href="([^"]+)">(\d+)</a>', part)
    ]


def listed(user, url: str) -> int:
    c = Client()
    c.force_login(user)
    body = c.get(url).content.decode()
    m = re.search(r'class="listcount"[^>]*><strong>\D*(\d+)', body)
    assert m, url
    return int(m.group(1))


def test_team_charts_numbers_match_their_lists(world):
    w = world
    _c, case, _b = flow_to_dispatch(w)
    Case.objects.filter(pk=case.pk).update(due_date=today() - dt.timedelta(days=1))
    bulk_cases(w, 3)
    body = home(w.inspector)
    assert "canvas" in body and 'data-chart-for="table-status"' in body
    status = {u.split("status=")[1]: n for u, n in table_rows(body, "status")}
    assert status["registered"] == 3 and status["dispatched"] == 1
    for key in ("status", "intake", "overdue"):
        rows = table_rows(body, key)
        assert rows, key
        for url, n in rows:
            if n:
                assert listed(w.inspector, url) == n, url
    overdue = table_rows(body, "overdue")
    assert [n for _u, n in overdue] == [1] and "overdue=true" in overdue[0][0]


def test_leader_completion_per_unit_and_links(world):
    rect = build(world)
    w = world
    rect.task(deadline=timezone.localdate() - dt.timedelta(days=5))
    done = rect.task()
    done.status = TaskStatus.CLOSED
    done.save(update_fields=["status"])
    rect.task()
    body = home(w.liaison_a)
    completion = table_rows(body, "completion")
    assert [n for _u, n in completion] == [1]
    assert ">1</a> / 3" in body and 'aria-valuenow="33"' in body
    assert listed(w.liaison_a, completion[0][0]) == 3
    laggards = table_rows(body, "laggards")
    assert [n for _u, n in laggards] == [1]
    assert listed(w.liaison_a, laggards[0][0]) == 1
    assert "leader_charts" not in body and 'id="table-completion"' not in home(w.liaison_b)


def test_handler_todo_lists_cases_due_with_dates(world):
    w = world
    _c, case, _b = flow_to_dispatch(w)
    body = home(w.handler_a)
    todo = body[body.index('id="todo-h"') :]
    assert case.number in todo and f"{case.due_date:%Y-%m-%d}" in todo
    assert f"/complaints/cases/{case.pk}/" in todo
    assert 'id="table-status"' not in body  # the team's charts are the team's


def test_menus_show_what_the_role_can_use(world):
    w = world
    body = home(w.handler_a)
    nav = body[body.index('class="mainnav"') : body.index("</nav>")]
    for hidden in ("/orgs/units/", "/orgs/enterprises/", "/campaigns/", '/complaints/"'):
        assert hidden not in nav, hidden
    assert "/complaints/cases/" in nav and "/rectification/" in nav
    nav = home(w.inspector)
    nav = nav[nav.index('class="mainnav"') : nav.index("</nav>")]
    for shown in ("/orgs/units/", "/campaigns/", "/complaints/cases/"):
        assert shown in nav, shown
