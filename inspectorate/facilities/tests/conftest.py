"""Facilities test cast: an enterprise group with two plants under one subsidiary, and people at each level.

group (集团)            ← group_liaison (liaison), group_auditor (auditor: reads only)
└── sub (子公司)
    ├── plant_a (焦化厂) ← officer_a (enterprise officer)
    └── plant_b (煤矿)   ← officer_b (enterprise officer): a sibling, sees nothing of plant_a
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from inspectorate.facilities.models import Facility
from inspectorate.testing.clock import today
from inspectorate.testing.factories import MembershipFactory, OrgUnitFactory, UserFactory


@dataclass
class Ent:
    group: Any
    sub: Any
    plant_a: Any
    plant_b: Any
    group_liaison: Any
    group_auditor: Any
    officer_a: Any
    officer_b: Any
    outsider: Any
    facility_a: Any
    facility_b: Any


def _unit(parent: Any, unit_type: str, name: str) -> Any:
    return OrgUnitFactory(kind="enterprise", unit_type=unit_type, parent=parent, name_zh=name, name_en=name)


@pytest.fixture
def ent(db: Any) -> Ent:
    group = _unit(None, "group", "测试集团")
    sub = _unit(group, "subsidiary", "测试子公司")
    plant_a = _unit(sub, "plant", "焦化厂")
    plant_b = _unit(sub, "plant", "煤矿")
    users = {}
    for name, role, unit in [
        ("group_liaison", "liaison", group),
        ("group_auditor", "auditor", group),
        ("officer_a", "enterprise_officer", plant_a),
        ("officer_b", "enterprise_officer", plant_b),
    ]:
        users[name] = UserFactory(username=name)
        MembershipFactory(user=users[name], role=role, org_unit=unit)
    outsider = UserFactory(username="outsider")
    commissioned = today() - dt.timedelta(days=400)
    fa = Facility.objects.create(
        name="1号焦炉脱硫塔", facility_type="desulfurisation", unit=plant_a, lat=27.64, lon=113.73,
        commissioned_on=commissioned, capacity=50000, capacity_unit="m³/h",
    )  # fmt: skip
    fb = Facility.objects.create(name="矿井水处理站", facility_type="wastewater", unit=plant_b, commissioned_on=commissioned)
    return Ent(group, sub, plant_a, plant_b, outsider=outsider, facility_a=fa, facility_b=fb, **users)


def day(n: int) -> dt.date:
    """`n` days from today (negative: in the past)."""
    return today() + dt.timedelta(days=n)
