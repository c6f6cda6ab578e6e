"""Route inventory entries for campaigns: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import R

ROUTES = [
    R("campaigns:new", allowed="admin", wrong="auditor"),
    R("campaigns:edit", obj="campaign", allowed="team_leader", wrong="auditor", oos="liaison_b"),
    R(
        "campaigns:roster-end",
        method="post",
        obj="campaign",
        kw={"member_id": "@member"},
        allowed="team_leader",
        wrong="auditor",
        oos="liaison_b",
    ),
    R("campaigns-detail", obj="campaign", allowed="inspector", anyone=True, oos="liaison_b"),
    R("campaigns-detail", method="patch", obj="campaign", allowed="team_leader", wrong="auditor", oos="liaison_b"),
    R("campaigns-members", obj="campaign", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "campaigns-members",
        method="post",
        obj="campaign",
        allowed=("team_leader", "office"),
        wrong=("inspector", "auditor", "liaison_a"),
        oos="liaison_b",
    ),
    R("campaigns:list", allowed="inspector", anyone=True),
    R("campaigns:detail", obj="campaign", allowed="inspector", anyone=True, oos="liaison_b"),
    R("campaigns:roster", obj="campaign", allowed="inspector", anyone=True, oos="liaison_b"),
    R("campaigns-list", allowed="inspector", anyone=True),
    R("campaigns-list", method="post", allowed="admin", wrong="auditor"),
    R(
        "campaigns-end-member",
        method="post",
        obj="campaign",
        kw={"member_id": "@member"},
        allowed="team_leader",
        wrong="auditor",
        oos="liaison_b",
    ),
]
