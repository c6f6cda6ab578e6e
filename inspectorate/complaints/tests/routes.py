"""Route inventory entries for complaints: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import R

# Complaints carry the (masked) reporter: only the inspection team reaches them (the queryset), and every role of the
# team may screen, register and reveal (inspector and team leader alike); anyone else gets 404, not 403.
TEAM_ONLY = "complaints are the team's only: every user who reaches one holds the role; everyone else gets 404"

ROUTES = [
    R("complaints:new", allowed="inspector", wrong="auditor"),
    R("complaints:import", allowed="inspector", wrong="auditor"),
    R("complaints:merge_queue", allowed="inspector", wrong="auditor"),
    R(
        "complaints:merge_cluster_merge", method="post", obj="complaint", wrong="auditor"
    ),  # no user passes the probe (state or input): checks the denials
    R("complaints:detail", obj="complaint", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "complaints:action",
        method="post",
        obj="complaint",
        kw={"name": "accept"},
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R("complaints:case", obj="case", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "complaints:case_action",
        method="post",
        obj="case",
        kw={"name": "reply"},
        allowed="handler_a",
        wrong=("inspector", "auditor", "liaison_a"),
        oos="liaison_b",
    ),
    R("complaints:batch_close", method="post", wrong="auditor"),  # no user passes the probe (state or input): checks the denials
    R("complaints:notice", obj="batch", kw={"unit": "@unit", "kind": "xlsx"}, allowed="inspector", anyone=True, oos="liaison_b"),
    R("complaints:bulletin", allowed="inspector", anyone=True),
    R("duplicate-clusters-merge", method="post", allowed="inspector", wrong="auditor"),
    R("complaints-list", allowed="inspector", wrong="auditor"),
    R("complaints-list", method="post", allowed="inspector", wrong=("auditor", "liaison_a")),
    R(
        "complaints-import-status",
        kw={"task_id": "00000000-0000-0000-0000-000000000000"},
        anyone=True,
        note="an unknown import: checks that anonymous is refused",
    ),
    R("complaints-detail", obj="complaint", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "complaints-attachment-file",
        obj="complaint",
        kw={"att": "@attachment"},
        allowed="inspector",
        anyone=True,
        oos="liaison_b",
    ),
    R(
        "complaints-classify",
        method="post",
        obj="complaint",
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R(
        "complaints-merge",
        method="post",
        obj="complaint",
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R(
        "complaints-route",
        method="post",
        obj="complaint",
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R("cases-list", allowed="inspector", anyone=True),
    R(
        "cases-dispatch",
        method="post",
        obj="case",
        allowed="liaison_a",
        wrong=("inspector", "auditor", "handler_a"),
        oos="liaison_b",
    ),
    R("cases-key", method="post", obj="case", allowed="inspector", wrong="auditor", oos="liaison_b"),
    R("cases-results", obj="case", allowed="inspector", anyone=True, oos="liaison_b"),
    R("cases-split", method="post", obj="case", allowed="inspector", wrong="auditor", oos="liaison_b"),
    R("batches-close-day", method="post", wrong="auditor"),  # no user passes the probe (state or input): checks the denials
    R("batches-acknowledge", method="post", obj="batch", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("batches-disclosures", obj="batch", allowed="inspector", anyone=True, oos="liaison_b"),
    R("batches-notices", obj="batch", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "batches-transfer",
        method="post",
        obj="batch",
        wrong="auditor",
        oos="liaison_b",
        note="the world batch already has its notice: transferring it again is not probed",
    ),
    R("complaints:list", allowed="inspector", wrong="auditor"),
    R("complaints:similar", allowed="inspector", wrong="auditor"),
    R("complaints:import_template", allowed="inspector", wrong="auditor"),
    R(
        "complaints:merge_cluster", obj="complaint", wrong="auditor"
    ),  # no user passes the probe (state or input): checks the denials
    R("complaints:merge_unmerge", method="post", obj="complaint", allowed="inspector", wrong="auditor"),
    R("complaints:attachment", obj="complaint", kw={"att": "@attachment"}, allowed="inspector", anyone=True, oos="liaison_b"),
    R("complaints:cases", allowed="inspector", anyone=True),
    R("complaints:case_file", obj="case", allowed="inspector", anyone=True, oos="liaison_b"),
    R("complaints:batches", allowed="inspector", anyone=True),
    R("complaints:batch", obj="batch", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "complaints:batch_action",
        method="post",
        obj="batch",
        kw={"name": "transfer"},
        allowed="team_leader",
        wrong="auditor",
        oos="liaison_b",
    ),
    R("duplicate-clusters-list", wrong="auditor"),  # no user passes the probe (state or input): checks the denials
    R(
        "duplicate-clusters-detail", obj="complaint", wrong="auditor"
    ),  # no user passes the probe (state or input): checks the denials
    # no user passes the probe (state or input): checks the denials
    R("complaints-import-calls", method="post", wrong=("auditor", "liaison_a")),
    R("complaints-similar", method="post", allowed="inspector", wrong=("auditor", "liaison_a")),
    R(
        "complaints-accept",
        method="post",
        obj="complaint",
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R("complaints-attachments", obj="complaint", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "complaints-invalid",
        method="post",
        obj="complaint",
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R(
        "complaints-reveal-reporter",
        method="post",
        obj="complaint",
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R(
        "complaints-unmerge",
        method="post",
        obj="complaint",
        allowed="inspector",
        anyone=True,
        oos=("liaison_b", "liaison_a", "auditor"),
        note=TEAM_ONLY,
    ),
    R("cases-detail", obj="case", allowed="inspector", anyone=True, oos="liaison_b"),
    R(
        "cases-joint",
        method="post",
        obj="case",
        allowed="inspector",
        wrong=("liaison_a", "auditor", "handler_a"),
        oos="liaison_b",
    ),
    R("cases-reply", method="post", obj="case", allowed="handler_a", wrong="auditor", oos="liaison_b"),
    R(
        "cases-review",
        method="post",
        obj="case",
        allowed="inspector",
        wrong=("liaison_a", "auditor", "handler_a"),
        oos="liaison_b",
    ),
    R("batches-list", allowed="inspector", anyone=True),
    R("batches-detail", obj="batch", allowed="inspector", anyone=True, oos="liaison_b"),
    R("batches-approve", method="post", obj="batch", allowed="team_leader", wrong="auditor", oos="liaison_b"),
    R(
        "batches-notice-file", obj="batch", anyone=True, oos="liaison_b"
    ),  # no user passes the probe (state or input): checks the denials
    R("batches-publish", method="post", obj="batch", allowed="team_leader", wrong="auditor", oos="liaison_b"),
    R("reports-bulletin-list", anyone=True),  # no user passes the probe (state or input): checks the denials
]
