"""Route inventory entries for accountability: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import R

ROUTES = [
    R("accountability:interviews", allowed="inspector", anyone=True),
    R(
        "accountability:interview-step",
        method="post",
        obj="interview",
        kw={"name": "minutes"},
        allowed="inspector",
        anyone=True,
        oos="liaison_b",
    ),
    R("accountability:issue", obj="acc_issue", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability:summary", allowed="inspector", anyone=True),
    R("interviews-list", allowed="inspector", anyone=True),
    R("interviews-list", method="post", allowed="inspector", anyone=True),
    R("interviews-minutes", method="post", obj="interview", allowed="inspector", anyone=True, oos="liaison_b"),
    R("interviews-report", method="post", obj="interview", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability-issues-list", allowed="inspector", anyone=True),
    R("accountability-issues-list", method="post", allowed="inspector", anyone=True),
    R("accountability-issues-detail", obj="acc_issue", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability-issues-detail", method="patch", obj="acc_issue", allowed="team_leader", wrong="inspector", oos="liaison_b"),
    R(
        "accountability-issues-investigate",
        method="post",
        obj="acc_issue",
        allowed="discipline",
        wrong="inspector",
        oos="liaison_b",
    ),
    R("accountability-issues-transfer", method="post", obj="acc_issue", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability-records-summary", allowed="inspector", anyone=True),
    R("accountability-records-withdraw", method="post", obj="acc_record", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability:interview", obj="interview", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability:issues", allowed="inspector", anyone=True),
    R(
        "accountability:issue-step",
        method="post",
        obj="acc_issue",
        kw={"name": "transfer"},
        allowed="team_leader",
        wrong="inspector",
        oos="liaison_b",
    ),
    R(
        "accountability:handover-pack", obj="handover_pack", wrong="inspector", oos="liaison_b"
    ),  # no user passes the probe (state or input): checks the denials
    R("interviews-detail", obj="interview", allowed="inspector", anyone=True, oos="liaison_b"),
    R("interviews-publish", method="post", obj="interview", allowed="inspector", anyone=True, oos="liaison_b"),
    R("interviews-verify", method="post", obj="interview", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability-issues-handover-pack", method="post", allowed="inspector", anyone=True),
    R("accountability-issues-decide", method="post", obj="acc_issue", allowed="inspector", anyone=True, oos="liaison_b"),
    R("accountability-issues-publish", method="post", obj="acc_issue", allowed="discipline", wrong="inspector", oos="liaison_b"),
    R("accountability-records-list", allowed="inspector", anyone=True),
    R("accountability-records-list", method="post", allowed="inspector", anyone=True),
    R("accountability-records-detail", obj="acc_record", allowed="inspector", anyone=True, oos="liaison_b"),
]
