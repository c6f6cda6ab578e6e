from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from inspectorate.testing.clock import stay_at, ymd

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _keywords(request):  # type: ignore[no-untyped-def]
    """The dictionary comes from a data migration; transactional (browser) tests flush it, so re-seed it."""
    names = request.fixturenames
    if "live_world" in names or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "world" in names or "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from inspectorate.complaints.keywords import seed
    from inspectorate.complaints.models import KeywordRule

    if not KeywordRule.objects.exists():
        seed(KeywordRule)
    from inspectorate.complaints import classify, routing

    classify.forget()
    routing.forget_units()
    from django.core.cache import cache

    cache.clear()  # the public form's per-address submission counter


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A time during the cast campaign's stay, Asia/Shanghai.

    Days are numbered as in the stay these tests were first written for, which began on the 2nd of
    the month: `at(2)` is the stay's first day (a Monday), `at(3)` the Tuesday after.  The stay itself
    is relative to today (`inspectorate.testing.clock`), so no test depends on the wall clock.
    """
    return stay_at(day - 2, hour, minute)


def submit(world: Any, **kw: Any) -> Any:
    from inspectorate.complaints.actions import submit_complaint

    defaults: dict[str, Any] = {
        "campaign": world.campaign,
        "channel": "phone",
        "text": "平江县某化工厂夜间偷排废水，河水发黑发臭",
        "received_at": at(3),
        "address": "岳阳市平江县某镇",
        "actor": world.inspector,
        "reporter_name": "王小明",
        "reporter_phone": "13912345678",
    }
    defaults.update(kw)
    return submit_complaint(**defaults)


def flow_to_dispatch(world: Any) -> tuple[Any, Any, Any]:
    """A complaint accepted, batched, transferred and dispatched to county_a: (complaint, case, batch)."""
    from inspectorate.complaints import actions

    c = submit(world)
    case = actions.accept_complaint(c, actor=world.inspector)
    batch = actions.close_intake_day(world.campaign, c.intake_day, actor=world.inspector)
    actions.transfer_batch(batch, actor=world.team_leader, at=at(4, 9))
    case.refresh_from_db()
    actions.dispatch_case(case, actor=world.liaison_a, unit=world.county_a)
    case.refresh_from_db()
    batch.refresh_from_db()
    return c, case, batch


def bulk_cases(world: Any, n: int, batch: Any = None) -> list[Any]:
    """n complaints with one case each, created in bulk (for query ceilings)."""
    from inspectorate.complaints.models import Case, Complaint

    complaints = [
        Complaint(
            campaign=world.campaign,
            channel="phone",
            received_at=at(3, 9),
            intake_day=at(3).date(),
            text=f"第{i}件：河水发黑",
            address="平江县",
            jurisdiction=world.county_a,
            status="accepted",
            pollution_types=["water"],
        )
        for i in range(n)
    ]
    Complaint.objects.bulk_create(complaints)
    cases = [
        Case(
            campaign=world.campaign,
            number=f"D2HN{ymd(at(3).date())}{9000 + i}",
            channel="phone",
            origin=c,
            summary=c.text,
            region=world.county_a,
            lead_unit=world.city_a,
            handler_unit=world.county_a,
            intake_day=c.intake_day,
            batch=batch,
            status="dispatched" if batch else "registered",
        )
        for i, c in enumerate(complaints)
    ]
    Case.objects.bulk_create(cases)
    for c, case in zip(complaints, cases, strict=True):
        c.case = case
    Complaint.objects.bulk_update(complaints, ["case"])
    return cases
