"""Hazards test cast: a three-level enterprise tree (group → two subsidiaries → plants) with people on each level.

G  group          g_liaison (liaison), g_auditor (auditor)
S1 subsidiary     s1_officer (enterprise officer)
P1 plant under S1 p1_officer, p1_colleague (enterprise officers), p1_handler (handler: sees, may not report)
P2 plant under S1 p2_officer
S2 subsidiary     s2_officer
P3 plant under S2 (nobody)
X  another group  x_officer (out of scope for everything above)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from inspectorate.hazards import actions
from inspectorate.hazards.models import ChecklistTemplate, HiddenDanger, SelfInspection
from inspectorate.testing.clock import today
from inspectorate.testing.factories import CampaignFactory, MembershipFactory, OrgUnitFactory, UserFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Tree:
    g: Any
    s1: Any
    p1: Any
    p2: Any
    s2: Any
    p3: Any
    x: Any
    users: dict[str, Any]
    campaign: Any

    def u(self, name: str) -> Any:
        return self.users[name]

    def danger(self, unit: Any = None, *, actor: Any = None, **kw: Any) -> HiddenDanger:
        fields: dict[str, Any] = {
            "unit": unit or self.p1,
            "title": "除尘器布袋破损",
            "location": "焦炉出焦侧",
            "category": "air",
            "level": "general",
        }
        fields.update(kw)
        return actions.create_danger(actor=actor or self.u("p1_officer"), **fields)

    def ready(self, danger: HiddenDanger, actor: Any = None) -> HiddenDanger:
        """Put a danger at pending verification (measure, person, deadline, a fix photo), by p1_officer."""
        actor = actor or self.u("p1_officer")
        danger = actions.update_danger(
            danger, actor=actor, measure="更换布袋", responsible_person="张工", deadline=today() + dt.timedelta(days=10)
        )
        actions.start_rectification(danger, actor=actor)
        actions.add_danger_evidence(danger, actor=actor, content=PNG, filename="fixed.png", stage="rectified")
        return actions.submit_for_verification(danger, actor=actor)

    def checklist(self) -> ChecklistTemplate:
        return actions.create_checklist(
            actor=self.u("g_liaison"),
            owner_unit=self.g,
            title="环保设施自查表",
            items=[
                {
                    "category": "facility",
                    "requirement": "除尘设施正常运行",
                    "legal_basis": "大气污染防治法第四十八条",
                    "weight": 10,
                },
                {"category": "water", "requirement": "废水不外排", "legal_basis": "水污染防治法", "weight": 20},
                {"category": "monitoring", "requirement": "在线监测正常传输", "weight": 5, "photo_required": True},
            ],
        )

    def inspection(self, checklist: ChecklistTemplate | None = None) -> SelfInspection:
        return actions.create_self_inspection(
            actor=self.u("s1_officer"),
            organiser=self.s1,
            title="西山煤电环保自查",
            checklist=checklist or self.checklist(),
            scope_units=[self.p1, self.p2],
            start_date=today(),
            end_date=today() + dt.timedelta(days=7),
        )


def build() -> Tree:
    g = OrgUnitFactory(kind="enterprise", unit_type="group", name_zh="测试集团", name_en="Test Group")
    s1 = OrgUnitFactory(kind="enterprise", unit_type="subsidiary", parent=g, name_zh="一号子公司", name_en="Subsidiary 1")
    p1 = OrgUnitFactory(kind="enterprise", unit_type="plant", parent=s1, name_zh="一号矿", name_en="Mine 1")
    p2 = OrgUnitFactory(kind="enterprise", unit_type="plant", parent=s1, name_zh="二号矿", name_en="Mine 2")
    s2 = OrgUnitFactory(kind="enterprise", unit_type="subsidiary", parent=g, name_zh="二号子公司", name_en="Subsidiary 2")
    p3 = OrgUnitFactory(kind="enterprise", unit_type="plant", parent=s2, name_zh="三号厂", name_en="Plant 3")
    x = OrgUnitFactory(kind="enterprise", unit_type="group", name_zh="另一集团", name_en="Other group")
    people = [
        ("g_liaison", "liaison", g),
        ("g_auditor", "auditor", g),
        ("s1_officer", "enterprise_officer", s1),
        ("s2_officer", "enterprise_officer", s2),
        ("p1_officer", "enterprise_officer", p1),
        ("p1_colleague", "enterprise_officer", p1),
        ("p1_handler", "handler", p1),
        ("p2_officer", "enterprise_officer", p2),
        ("x_officer", "enterprise_officer", x),
    ]
    users = {}
    for name, role, unit in people:
        users[name] = UserFactory(username=name)
        MembershipFactory(user=users[name], role=role, org_unit=unit)
    campaign = CampaignFactory(code="grp-check", level="group", targets=[g])
    return Tree(g, s1, p1, p2, s2, p3, x, users, campaign)


@pytest.fixture
def tree(db):  # type: ignore[no-untyped-def]
    return build()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    """Messages are asserted in English (the source language); the zh-hans catalogue is checked separately."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
