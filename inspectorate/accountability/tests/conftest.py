"""Accountability cast: the foundation world plus a discipline officer, a leader and a small issue/interview maker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from inspectorate.rectification.models import Leader
from inspectorate.testing.factories import MembershipFactory, UserFactory


@dataclass
class Acc:
    w: Any
    discipline: Any  # discipline officer on the province: reaches the campaigns targeting its cities
    discipline_b: Any  # discipline officer of the other city: out of scope
    leader: Any  # the county's responsible leader (rectification's register)

    def api(self, user: Any) -> APIClient:
        c = APIClient()
        c.force_authenticate(user)
        return c


@pytest.fixture
def acc(world: Any) -> Acc:
    d = UserFactory(username="discipline")
    MembershipFactory(user=d, role="discipline_officer", org_unit=world.province)
    d_b = UserFactory(username="discipline_b")
    MembershipFactory(user=d_b, role="discipline_officer", org_unit=world.city_b)
    leader = Leader.objects.create(name="李某某", post="平江县县长", rank="division", unit=world.county_a)
    return Acc(world, d, d_b, leader)
