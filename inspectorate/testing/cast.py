"""A named cast: a small world of units, a campaign and one user per role, in and out of scope.

    province (湖南省)
    ├── city_a (岳阳市)  ← the campaign's target
    │   └── county_a (平江县)
    └── city_b (常德市)  ← out of scope for city_a's people
    inspect_office (省督察办) runs the campaign

Use `World.build()` in `setUpTestData` or through the `world` pytest fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .clock import stay_start
from .factories import CampaignFactory, EnterpriseFactory, MembershipFactory, OrgUnitFactory, TeamFactory, UserFactory

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    province: Any
    city_a: Any
    county_a: Any
    city_b: Any
    inspect_office: Any
    campaign: Any
    other_campaign: Any
    enterprise_a: Any
    enterprise_b: Any
    admin: Any
    inspector: Any
    team_leader: Any
    liaison_a: Any
    handler_a: Any
    liaison_b: Any
    auditor: Any
    enterprise_officer: Any
    outsider: Any

    @classmethod
    def build(cls) -> World:
        province = OrgUnitFactory(unit_type="province", code="430000", name_zh="湖南省", name_en="Hunan")
        city_a = OrgUnitFactory(parent=province, code="430600", name_zh="岳阳市", name_en="Yueyang")
        county_a = OrgUnitFactory(parent=city_a, unit_type="county", code="430626", name_zh="平江县", name_en="Pingjiang")
        city_b = OrgUnitFactory(parent=province, code="430700", name_zh="常德市", name_en="Changde")
        office = OrgUnitFactory(
            kind="inspectorate",
            unit_type="inspection_office",
            code="HN-DCB",
            name_zh="湖南省生态环境保护督察办公室",
            name_en="Hunan inspection office",
        )
        campaign = CampaignFactory(
            code="hn-2-yueyang",
            name_zh="湖南省第二生态环境保护督察组督察岳阳市",
            name_en="Hunan 2nd team inspects Yueyang",
            inspecting_unit=office,
            stationing_start=stay_start(),
            targets=[city_a],
        )
        TeamFactory(campaign=campaign, code="2")
        other = CampaignFactory(code="hn-2-changde", inspecting_unit=office, stationing_start=stay_start(), targets=[city_b])
        ent_a = EnterpriseFactory(org_unit=county_a, name="平江县某化工有限公司")
        ent_b = EnterpriseFactory(org_unit=city_b, name="常德市某造纸有限公司")
        admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
        inspector = UserFactory(username="inspector")
        MembershipFactory(user=inspector, role="inspector", campaign=campaign)
        leader = UserFactory(username="leader")
        MembershipFactory(user=leader, role="team_leader", campaign=campaign)
        liaison_a = UserFactory(username="liaison_a")
        MembershipFactory(user=liaison_a, role="liaison", org_unit=city_a)
        handler_a = UserFactory(username="handler_a")
        MembershipFactory(user=handler_a, role="handler", org_unit=county_a)
        liaison_b = UserFactory(username="liaison_b")
        MembershipFactory(user=liaison_b, role="liaison", org_unit=city_b)
        auditor = UserFactory(username="auditor")
        MembershipFactory(user=auditor, role="auditor", org_unit=province)
        officer = UserFactory(username="officer")
        MembershipFactory(user=officer, role="enterprise_officer", org_unit=county_a)
        outsider = UserFactory(username="outsider")
        return cls(
            province, city_a, county_a, city_b, office, campaign, other, ent_a, ent_b,
            admin, inspector, leader, liaison_a, handler_a, liaison_b, auditor, officer, outsider,
        )  # fmt: skip
