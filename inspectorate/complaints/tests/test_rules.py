from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspectorate.complaints import actions
from inspectorate.complaints.actions.batches import due_date_for
from inspectorate.complaints.models import IntakeConfig, TransferBatch
from inspectorate.complaints.routing import route
from inspectorate.testing.clock import ymd
from inspectorate.testing.factories import EnterpriseFactory

from .conftest import at, submit

pytestmark = pytest.mark.django_db


def _box(x1, y1, x2, y2):
    return {"type": "Polygon", "coordinates": [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]}


def test_routing_polygon_then_address_then_enterprise(world):
    w = world
    w.county_a.boundary = _box(113.45, 28.5, 114.1, 29.05)
    w.county_a.save()
    w.city_a.boundary = _box(112.4, 28.5, 114.1, 29.75)
    w.city_a.save()
    r = route(w.campaign, lat=28.8, lon=113.7, address="", polluter_name="")
    assert (r.unit, r.method) == (w.county_a, "polygon")
    r = route(w.campaign, lat=29.5, lon=113.0, address="平江县", polluter_name="")
    assert (r.unit, r.method) == (w.city_a, "polygon")  # the pin wins over the text
    r = route(w.campaign, lat=None, lon=None, address="湖南省平江县某村", polluter_name="")
    assert (r.unit, r.method) == (w.county_a, "address")
    r = route(w.campaign, lat=None, lon=None, address="某个不知名的地方", polluter_name="平江县某化工有限公司")
    assert (r.unit, r.method) == (w.county_a, "enterprise")
    assert r.enterprise == w.enterprise_a
    r = route(w.campaign, lat=None, lon=None, address="某地", polluter_name="")
    assert r.unit is None and r.method == "none"


def test_enterprise_tree_case_number_uses_registry_region(world):
    from inspectorate.testing.factories import OrgUnitFactory

    w = world
    plant = OrgUnitFactory(kind="enterprise", unit_type="plant", code="ENT-PLANT", parent=w.city_a)
    EnterpriseFactory(org_unit=w.county_a, enterprise_unit=plant, name="贺州某冶炼分离厂")
    c = submit(w, address="某厂区", polluter_name="贺州某冶炼分离厂")
    assert c.jurisdiction == plant
    case = actions.accept_complaint(c, actor=w.inspector)
    assert "HN" in case.number


def test_due_dates_calendar_and_working_days(world):
    w = world
    w.campaign.reply_days = 7
    due, rule, _est = due_date_for(w.campaign, dt.date(2021, 9, 28))
    assert due == dt.date(2021, 10, 5) and "calendar" in rule
    w.campaign.reply_day_unit = "working"
    due, rule, est = due_date_for(w.campaign, dt.date(2021, 9, 28))
    # National Day 2021: Oct 1–7 off, Oct 9 (Saturday) an adjusted workday: 29, 30, 8, 9, 11, 12, 13.
    assert due == dt.date(2021, 10, 13) and "working" in rule and not est


def test_case_number_configurable(world):
    IntakeConfig.objects.create(campaign=world.campaign, region_code="YY", team_code="9", channel_letters={"phone": "T"})
    c = submit(world)
    case = actions.accept_complaint(c, actor=world.inspector)
    assert case.number == f"T9YY{ymd(at(3).date())}0001"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["phone", "letter", "web", "wechat", "visit", "email"]), min_size=1, max_size=6))
def test_case_numbers_unique_and_well_formed(world, channels):
    from inspectorate.complaints.actions.screening import next_case_number

    day = at(3).date()
    numbers = [next_case_number(world.campaign, ch, day, world.county_a) for ch in channels]
    assert len(set(numbers)) == len(numbers)
    for n in numbers:
        assert re.fullmatch(r"[DXWFY]2HN" + ymd(day) + r"\d{4}", n)
    seqs = [int(n[-4:]) for n in numbers]
    assert seqs == sorted(seqs)


def test_close_intake_command_respects_cutoff_and_is_idempotent(world):
    a = submit(world, received_at=at(3, 10))
    b = submit(world, received_at=at(3, 21))  # after the 20:00 cut-off: intake day 4
    actions.accept_complaint(a, actor=world.inspector)
    actions.accept_complaint(b, actor=world.inspector)
    out = io.StringIO()
    call_command("close_intake", now=f"{at(3, 19, 0):%Y-%m-%dT%H:%M}", stdout=out)
    assert "nothing to close" in out.getvalue()
    call_command("close_intake", now=f"{at(3, 20, 5):%Y-%m-%dT%H:%M}", stdout=io.StringIO())
    assert TransferBatch.objects.get().cases.count() == 1
    call_command("close_intake", now=f"{at(3, 23, 0):%Y-%m-%dT%H:%M}", stdout=io.StringIO())
    assert TransferBatch.objects.count() == 1
    call_command("close_intake", now=f"{at(4, 20, 1):%Y-%m-%dT%H:%M}", stdout=io.StringIO())
    assert TransferBatch.objects.count() == 2


def test_retaliation_complaint_becomes_key_case(world):
    c = submit(world, text="我举报了化工厂偷排，之后遭到打击报复，要求保护举报人")
    case = actions.accept_complaint(c, actor=world.inspector)
    assert case.is_key
    c2 = submit(world, text="平江县某饭店油烟扰民")
    assert not actions.accept_complaint(c2, actor=world.inspector).is_key
