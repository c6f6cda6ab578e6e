"""Fieldwork cast: the foundation world plus a department of the target city, its handler, a discipline officer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.fieldwork import actions
from inspectorate.testing.factories import MembershipFactory, OrgUnitFactory, UserFactory


@dataclass
class Field:
    w: Any
    dept: Any
    dept_handler: Any
    discipline: Any
    leader_b: Any

    def request(self, *, due_in: dt.timedelta = dt.timedelta(days=3), items: int = 2, **kw: Any) -> Any:
        now = timezone.now()
        fields: dict[str, Any] = {
            "actor": self.w.inspector,
            "campaign": self.w.campaign,
            "target_unit": self.w.city_a,
            "title": "调阅环境执法档案",
            "legal_basis": "《生态环境保护督察工作条例》第二十条",
            "due_at": now + due_in,
            "contact_name": "督察组联络员",
            "contact_phone": "0730-8880012",
            "items": [f"资料{i}" for i in range(1, items + 1)],
        }
        if due_in <= dt.timedelta(0):
            fields["issued_at"] = now + due_in - dt.timedelta(days=2)
        fields.update(kw)
        return actions.create_request(**fields)


def build(world: Any) -> Field:
    dept = OrgUnitFactory(parent=world.city_a, unit_type="department", code="430600-EEB", name_zh="岳阳市生态环境局")
    dept_handler = UserFactory(username="dept_handler")
    MembershipFactory(user=dept_handler, role="handler", org_unit=dept)
    discipline = UserFactory(username="discipline")
    MembershipFactory(user=discipline, role="discipline_officer", org_unit=world.province)
    leader_b = UserFactory(username="leader_b")
    MembershipFactory(user=leader_b, role="team_leader", campaign=world.other_campaign)
    return Field(world, dept, dept_handler, discipline, leader_b)


@pytest.fixture
def field(world):  # type: ignore[no-untyped-def]
    return build(world)


def pdf(text: str = "x") -> bytes:
    return b"%PDF-1.4\n" + text.encode() + b"\n%%EOF\n"
