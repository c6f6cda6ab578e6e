"""Lists that work: complaints, cases and batches pages share one FilterSet with their API lists; sorting,
search, counts, "clear filters", page size, overdue first, query ceilings, scope; confirm before 交办."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from inspectorate.complaints import actions
from inspectorate.complaints.models import Case, TransferBatch
from inspectorate.testing.clock import today
from inspectorate.testing.matrix import assert_matrix

from .conftest import at, bulk_cases, flow_to_dispatch, submit

pytestmark = pytest.mark.django_db

ROW_LINK = {
    "/complaints/cases/": re.compile(r'href="/complaints/cases/([0-9a-f-]{36})/"'),
    "/complaints/": re.compile(r'href="/complaints/([0-9a-f-]{36})/"'),
    "/complaints/batches/": re.compile(r'href="/complaints/batches/([0-9a-f-]{36})/"'),
}
API = {"/complaints/cases/": "/api/v1/cases/", "/complaints/": "/api/v1/complaints/", "/complaints/batches/": "/api/v1/batches/"}


def page_ids(user: Any, path: str, query: str = "") -> list[str]:
    client = Client()
    client.force_login(user)
    r = client.get(f"{path}?per_page=100&{query}")
    assert r.status_code == 200, r.status_code
    body = r.content.decode()
    table = body[body.index('<table class="list"') :]
    seen: list[str] = []
    for i in ROW_LINK[path].findall(table):
        if i not in seen:
            seen.append(i)
    return seen


def api_ids(user: Any, path: str, query: str = "") -> list[str]:
    client = APIClient()
    client.force_authenticate(user)
    r = client.get(f"{API[path]}?{query}")
    assert r.status_code == 200, (r.status_code, r.content[:300])
    return [row["id"] for row in r.json()["results"]]


def count_of(body: str) -> int:
    m = re.search(r'class="listcount"[^>]*><strong>\D*(\d+)', body)
    assert m, "no result count on the page"
    return int(m.group(1))


def get(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    r = client.get(url)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def more_cases(world: Any, n: int, tag: str, batch: Any = None) -> list[Any]:
    """`bulk_cases`, renumbered with `tag` so that it can be called again."""
    made = bulk_cases(world, n, batch=batch)
    for i, c in enumerate(made):
        c.number = f"D2HN{tag}{i:03d}"
        Case.objects.filter(pk=c.pk).update(number=c.number, pollution_types=["water"])
    return made


@pytest.fixture
def cases(world: Any) -> dict[str, Any]:
    """Three dispatched cases (one overdue, one due later, one air case), plus 6 registered ones."""
    w = world
    _c, first, batch = flow_to_dispatch(w)
    late = Case.objects.get(pk=first.pk)
    Case.objects.filter(pk=late.pk).update(due_date=today() - dt.timedelta(days=2))
    later = more_cases(w, 2, "LAT", batch=batch)
    Case.objects.filter(pk=later[0].pk).update(due_date=today() + dt.timedelta(days=9), pollution_types=["air"])
    Case.objects.filter(pk=later[1].pk).update(due_date=today() + dt.timedelta(days=4), summary="垃圾焚烧厂黑烟扰民")
    registered = more_cases(w, 6, "REG")
    return {"late": late, "later": later, "registered": registered, "batch": batch}


FILTERS = [
    "",
    "campaign=hn-2-yueyang",
    "status=dispatched",
    "overdue=true",
    "overdue=false",
    "type=air",
    "type=water&status=registered",
    "q=黑烟",
    "q=REG",
    "sort=number",
    "sort=-number",
    "sort=due",
    "sort=-due",
    "region=%(county)s",
    "batch=%(batch)s",
    "date_from=%(day)s&date_to=%(day)s",
    "date_from=2001-01-01&date_to=2001-01-31",
]


@pytest.mark.parametrize("query", FILTERS)
def test_case_page_and_api_answer_the_same_rows_in_the_same_order(world, cases, query):
    q = query % {"county": world.county_a.code, "batch": cases["batch"].number, "day": at(3).date()}
    assert page_ids(world.inspector, "/complaints/cases/", q) == api_ids(world.inspector, "/complaints/cases/", q)


def test_filters_pick_the_right_rows(world, cases):
    ids = lambda q: set(page_ids(world.inspector, "/complaints/cases/", q))  # noqa: E731
    late, later, registered = str(cases["late"].pk), [str(c.pk) for c in cases["later"]], [str(c.pk) for c in cases["registered"]]
    assert ids("overdue=true") == {late}
    assert ids("type=air") == {later[0]}
    assert ids("type=water&status=registered") == set(registered)
    assert ids(f"batch={cases['batch'].number}") == {late, *later}
    assert ids("q=REG") == set(registered)
    assert ids("date_from=2001-01-01&date_to=2001-01-31") == set()


@pytest.mark.parametrize(
    "query", ["", "status=accepted", "q=第1件", "type=water", "sort=receipt", "sort=-received", "region=%(county)s"]
)
def test_complaint_page_and_api_agree(world, cases, query):
    q = query % {"county": world.county_a.code}
    assert page_ids(world.inspector, "/complaints/", q) == api_ids(world.inspector, "/complaints/", q)


def test_batch_page_and_api_agree(world, cases):
    w = world
    submit(w, text="第二天：汨罗市某厂噪声扰民", received_at=at(5))
    actions.accept_complaint(submit(w, text="第二天：平江县某砂场扬尘", received_at=at(5, 11)), actor=w.inspector)
    actions.close_intake_day(w.campaign, at(5).date(), actor=w.inspector)
    for q in ("", "status=closed", "status=transferred", "overdue=true", "sort=number", "sort=-intake", "campaign=hn-2-yueyang"):
        assert page_ids(w.inspector, "/complaints/batches/", q) == api_ids(w.inspector, "/complaints/batches/", q), q


def test_overdue_cases_come_first_by_default(world, cases):
    ids = page_ids(world.inspector, "/complaints/cases/")
    assert ids[0] == str(cases["late"].pk)
    due = [str(c.pk) for c in sorted(cases["later"], key=lambda c: Case.objects.get(pk=c.pk).due_date)]
    assert ids[1:3] == due  # then by due date


def test_sort_headers_toggle_and_carry_aria_sort(world, cases):
    body = get(world.inspector, "/complaints/cases/?status=dispatched")
    th = re.search(
        r'<th scope="col" aria-sort="none"><a class="sort" href="([^"]+)">[^<]*案件编号|'
        r'<th scope="col" aria-sort="none"><a class="sort" href="([^"]+)">Case number',
        body,
    )
    assert th, "the case number header is a sort link"
    href = (th.group(1) or th.group(2)).replace("&amp;", "&")
    assert "sort=number" in href and "status=dispatched" in href
    body = get(world.inspector, f"/complaints/cases/{href}")
    assert 'aria-sort="ascending"' in body and "sort=-number" in body
    body = get(world.inspector, "/complaints/cases/?sort=-number")
    assert 'aria-sort="descending"' in body
    numbers = [Case.objects.get(pk=i).number for i in page_ids(world.inspector, "/complaints/cases/", "sort=-number")]
    assert numbers == sorted(numbers, reverse=True)
    # Not on the whitelist: the page ignores it, the API refuses it.
    assert page_ids(world.inspector, "/complaints/cases/", "sort=summary") == page_ids(world.inspector, "/complaints/cases/")
    api = APIClient()
    api.force_authenticate(world.inspector)
    assert api.get("/api/v1/cases/?sort=summary").status_code == 400


def test_search_count_and_clear_link(world, cases):
    body = get(world.inspector, "/complaints/cases/")
    assert count_of(body) == 9
    assert 'class="clear"' not in body
    body = get(world.inspector, "/complaints/cases/?q=黑烟")
    assert count_of(body) == 1
    assert 'href="/complaints/cases/" class="clear"' in body
    assert str(cases["later"][1].pk) in body
    # Sorting and page size alone are not filters.
    assert 'class="clear"' not in get(world.inspector, "/complaints/cases/?sort=number&per_page=50")
    body = get(world.inspector, "/complaints/cases/?q=黑烟&per_page=50")
    assert 'href="/complaints/cases/?per_page=50" class="clear"' in body


def test_page_size_choice_and_pagination_keep_the_query(world):
    more_cases(world, 45, "PG")
    assert len(page_ids(world.inspector, "/complaints/cases/", "type=water")) == 45  # at 100 a page
    client = Client()
    client.force_login(world.inspector)
    ids20 = ROW_LINK["/complaints/cases/"].findall(client.get("/complaints/cases/?type=water").content.decode())
    assert len(set(ids20)) == 20  # the default
    body = client.get("/complaints/cases/?type=water&per_page=50").content.decode()
    assert len(set(ROW_LINK["/complaints/cases/"].findall(body))) == 45
    body = client.get("/complaints/cases/?type=water&per_page=7").content.decode()
    assert len(set(ROW_LINK["/complaints/cases/"].findall(body))) == 20  # not a choice: the default
    body = client.get("/complaints/cases/?type=water&sort=number").content.decode()
    nxt = re.search(r'<a href="([^"]+)" rel="next"', body)
    assert nxt
    href = nxt.group(1).replace("&amp;", "&")
    assert "type=water" in href and "sort=number" in href and "page=2" in href
    page2 = client.get(f"/complaints/cases/{href}").content.decode()
    first = set(ROW_LINK["/complaints/cases/"].findall(body))
    second = set(ROW_LINK["/complaints/cases/"].findall(page2))
    assert first.isdisjoint(second) and len(second) == 20


@pytest.mark.parametrize("path", ["/complaints/", "/complaints/cases/", "/complaints/batches/"])
def test_query_count_does_not_grow_with_rows(world, path):
    client = Client()
    client.force_login(world.inspector)
    more_cases(world, 3, "FEW")
    batch = TransferBatch.objects.create(campaign=world.campaign, number=1, intake_day=at(3).date())

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{path}?per_page=100&q=").status_code == 200
        return len(ctx)

    few = queries()
    bulk_cases(world, 60, batch=batch)
    for n in range(2, 30):
        TransferBatch.objects.create(campaign=world.campaign, number=n, intake_day=at(3).date())
    assert queries() <= few
    assert few <= 25


def test_out_of_scope_rows_never_appear(world, cases):
    w = world
    # liaison_b (city B) sees no case of county A's, whatever the filters or search say.
    for q in ("", f"q={cases['late'].number}", "overdue=true", f"region={w.county_a.code}", "sort=-due"):
        assert page_ids(w.liaison_b, "/complaints/cases/", q) == [] == api_ids(w.liaison_b, "/complaints/cases/", q)
    # liaison_a sees them.
    assert str(cases["late"].pk) in page_ids(w.liaison_a, "/complaints/cases/", f"q={cases['late'].number}")
    assert_matrix("/complaints/cases/?overdue=true&sort=-due", api=False, allowed=[w.inspector, w.liaison_a, w.liaison_b])


def test_transfer_asks_for_confirmation_then_says_what_was_done(world):
    w = world
    c = submit(w)
    actions.accept_complaint(c, actor=w.inspector)
    batch = actions.close_intake_day(w.campaign, c.intake_day, actor=w.inspector)
    client = Client()
    client.force_login(w.team_leader)
    detail = client.get(f"/complaints/batches/{batch.pk}/").content.decode()
    assert f'action="/complaints/batches/{batch.pk}/transfer/"' in detail and "disabled" not in detail.split("transfer/")[1][:200]
    url = f"/complaints/batches/{batch.pk}/transfer/"
    r = client.post(url, {})
    assert r.status_code == 200  # the confirmation step, a plain form
    body = r.content.decode()
    assert 'name="confirm" value="1"' in body and w.city_a.name_zh in body
    batch.refresh_from_db()
    assert batch.status == TransferBatch.Status.CLOSED  # nothing done yet
    r = client.post(url, {"confirm": "1"}, follow=True)
    batch.refresh_from_db()
    assert batch.status == TransferBatch.Status.TRANSFERRED
    assert [m.level_tag for m in r.context["messages"]] == ["success"]
    detail = r.content.decode()
    assert 'disabled aria-describedby="transfer-why"' in detail  # now shown disabled, with the reason
    r = client.post(url, {"confirm": "1"}, follow=True)
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    # The confirmation step is scoped like the action.
    assert_matrix(
        f"/complaints/batches/{batch.pk}/transfer/",
        method="post",
        data={},
        api=False,
        ok=(200, 302),
        allowed=[w.team_leader],
        out_of_scope=[w.outsider],
    )


@pytest.mark.django_db
def test_column_headers_are_in_the_reader_s_language(world):
    """Each reader gets the case list's column headers in their own language, whichever language came first."""
    for lang, expected, other in (("en", "Case number", "案件编号"), ("zh-hans", "案件编号", "Case number")):
        c = Client(HTTP_ACCEPT_LANGUAGE=lang)
        c.force_login(world.inspector)
        body = c.get("/complaints/cases/").content.decode()
        head = body[body.index("<thead>") : body.index("</thead>")]
        assert expected in head and other not in head, (lang, head)
