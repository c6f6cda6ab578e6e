"""The written-out membership query returns what the ORM's select_related query returns, field for field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from inspectorate.accounts.membership_query import memberships_on
from inspectorate.accounts.models import Membership
from inspectorate.accounts.scoping import active_memberships, scope_q
from inspectorate.complaints.models import Complaint
from inspectorate.testing.factories import CampaignFactory, MembershipFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2031, 5, 17)


def _orm(user, day):
    return list(
        Membership.objects.filter(user=user, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .select_related("org_unit", "campaign")
    )


def _fields(obj):
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _as_dict(m):
    return {"m": _fields(m), "org_unit": _fields(m.org_unit), "campaign": _fields(m.campaign)}


@pytest.fixture
def member():
    user = UserFactory()
    other = UserFactory()
    city = OrgUnitFactory(name_zh="岳阳市")
    county = OrgUnitFactory(parent=city, name_zh="平江县")
    campaign = CampaignFactory(targets=[city], stationing_end=DAY + dt.timedelta(days=20))
    rows = [
        MembershipFactory(user=user, org_unit=county, role="handler", title="科长"),
        MembershipFactory(user=user, campaign=campaign, role="inspector"),
        MembershipFactory(user=user, campaign=campaign, org_unit=campaign.inspecting_unit, role="team_leader"),
        # Valid on DAY at the edges of its dates:
        MembershipFactory(user=user, org_unit=city, role="liaison", valid_from=DAY, valid_until=DAY),
        # Not valid on DAY:
        MembershipFactory(user=user, org_unit=city, role="auditor", valid_until=DAY - dt.timedelta(days=1)),
        MembershipFactory(user=user, org_unit=city, role="acceptance_officer", valid_from=DAY + dt.timedelta(days=1)),
        # Someone else's:
        MembershipFactory(user=other, org_unit=city, role="handler"),
    ]
    return user, rows


def test_same_objects_as_the_orm(member):
    user, rows = member
    ours = sorted(memberships_on(user.pk, DAY), key=lambda m: m.pk)
    orm = sorted(_orm(user, DAY), key=lambda m: m.pk)
    assert [m.pk for m in ours] == [m.pk for m in orm] == sorted(m.pk for m in rows[:4])
    assert [_as_dict(m) for m in ours] == [_as_dict(m) for m in orm]
    # Types as the ORM gives them (UUIDs and dates, not the strings SQLite stores).
    m = next(m for m in ours if m.campaign is not None and m.org_unit is not None)
    assert isinstance(m.pk, type(rows[0].pk)) and isinstance(m.campaign.pk, type(rows[1].campaign.pk))
    assert isinstance(m.valid_from, dt.date) and isinstance(m.campaign.stationing_end, dt.date)
    assert m._state.adding is False and m._state.db == "default"


def test_relations_attached_without_a_query(member, django_assert_num_queries):
    user, _rows = member
    with django_assert_num_queries(1):
        got = memberships_on(user.pk, DAY)
        for m in got:
            str(m.org_unit), str(m.campaign)
    assert {m.role: m.org_unit is None for m in got} == {
        "handler": False, "inspector": True, "team_leader": False, "liaison": False,
    }  # fmt: skip


def test_nobody_and_other_days(member):
    user, _rows = member
    assert memberships_on(user.pk + 10_000, DAY) == []
    assert {m.role for m in memberships_on(user.pk, DAY + dt.timedelta(days=1))} == {
        "handler", "inspector", "team_leader", "acceptance_officer",
    }  # fmt: skip


def test_scope_unchanged(member):
    """What the role checks build from it is what they built from the ORM's objects."""
    user, _rows = member
    active_memberships(user, DAY)  # read by the written-out query, kept for the request
    ours = scope_q(Complaint, user, "complaints.screen")
    assert ours is not None and len(ours) > 0
    user._membership_cache = sorted(_orm(user, DAY), key=lambda m: (m.role, m.pk))
    assert scope_q(Complaint, user, "complaints.screen") == ours
    assert [m.pk for m in active_memberships(user)] == [m.pk for m in user._membership_cache]
