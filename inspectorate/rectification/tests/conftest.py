"""Rectification test cast: the foundation world plus an acceptance officer, a leader, a problem and tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from inspectorate.rectification.models import Leader, Measure, Problem, Task
from inspectorate.testing.clock import future_year
from inspectorate.testing.factories import MembershipFactory, UserFactory

FY = future_year()  # a year still to come, whatever the clock says
FEEDBACK = dt.date(2021, 2, 1)


@dataclass
class Rect:
    w: Any
    acceptance: Any
    acceptance2: Any
    acceptance_b: Any
    leader: Any
    problem: Any
    acceptance3: Any = None  # a third officer of the acceptance unit: verifier, then two signers racing
    n: int = 0

    def task(
        self, *, number: str | None = None, measures: int = 2, deadline: dt.date | None = dt.date(FY, 6, 30), **kw: Any
    ) -> Task:
        self.n += 1
        fields: dict[str, Any] = {
            "campaign": self.w.campaign,
            "problem": self.problem,
            "number": number or f"1.{self.n}",
            "goal": f"整改目标 {self.n}",
            "lead_leader": self.leader,
            "lead_unit": self.w.county_a,
            "acceptance_unit": self.w.city_a,
            "deadline": deadline,
            "long_term": deadline is None,
        }
        fields.update(kw)
        t = Task.objects.create(**fields)
        for i in range(1, measures + 1):
            Measure.objects.create(task=t, number=i, text=f"措施{i}", milestone=dt.date(FY, 1, i))
        return t


def build(world: Any) -> Rect:
    acc = UserFactory(username="acceptor")
    MembershipFactory(user=acc, role="acceptance_officer", org_unit=world.city_a)
    acc2 = UserFactory(username="acceptor2")
    MembershipFactory(user=acc2, role="acceptance_officer", org_unit=world.city_a)
    acc_b = UserFactory(username="acceptor_b")
    MembershipFactory(user=acc_b, role="acceptance_officer", org_unit=world.county_a)
    leader = Leader.objects.create(name="平江县副县长", unit=world.county_a)
    world.campaign.feedback_date = FEEDBACK
    world.campaign.plan_due = None
    world.campaign.stationing_start = dt.date(2020, 11, 2)
    world.campaign.stationing_end = dt.date(2020, 11, 30)
    world.campaign.pre_notice_date = None
    world.campaign.mobilisation_date = None
    world.campaign.save()
    problem = Problem.objects.create(
        campaign=world.campaign, unit=world.county_a, number="1", title="平江县养殖污染问题", source="provincial_feedback"
    )
    acc3 = UserFactory(username="acceptor3")
    MembershipFactory(user=acc3, role="acceptance_officer", org_unit=world.city_a)
    return Rect(world, acc, acc2, acc_b, leader, problem, acc3)


@pytest.fixture
def rect(world):  # type: ignore[no-untyped-def]
    return build(world)


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    """Messages are asserted in English (the source language); the zh-hans catalogue is tested separately."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
