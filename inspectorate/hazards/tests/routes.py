"""Route inventory entries for hazards: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import P, R

ROUTES = [
    R("hazards:list", allowed="inspector", anyone=True),
    R("hazards:file", obj="danger_file", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hazards:self-inspection-new", allowed="liaison_a", wrong="auditor"),
    R("hazards:fill", obj="self_inspection", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("hazards:detail", obj="danger", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hazards:action", method="post", obj="danger", kw={"name": "start"}, allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("hidden-dangers-detail", obj="danger", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hidden-dangers-detail", method="patch", obj="danger", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("hidden-dangers-promote", method="post", obj="danger", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hidden-dangers-start", method="post", obj="danger", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("hidden-dangers-verify", method="post", obj="danger", allowed="inspector", anyone=True, oos="liaison_b"),
    R("checklists-detail", obj="checklist", allowed="inspector", anyone=True, oos="liaison_b"),
    R("self-inspections-detail", obj="self_inspection", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hazards:new", allowed="liaison_a", wrong="auditor"),
    R("hazards:self-inspections", allowed="inspector", anyone=True),
    R("hazards:self-inspection", obj="self_inspection", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hazards:checklist", obj="checklist", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hazards:edit", obj="danger", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("hidden-dangers-list", allowed="inspector", anyone=True),
    R("hidden-dangers-list", method="post", allowed="inspector", anyone=True),
    R(
        "hidden-dangers-evidence", method="post", obj="danger", anyone=True, oos="liaison_b"
    ),  # no user passes the probe (state or input): checks the denials
    R("hidden-dangers-reject", method="post", obj="danger", allowed="inspector", anyone=True, oos="liaison_b"),
    R("hidden-dangers-submit", method="post", obj="danger", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("checklists-list", allowed="inspector", anyone=True),
    R("checklists-list", method="post", allowed="inspector", anyone=True),
    R("self-inspections-list", allowed="inspector", anyone=True),
    R("self-inspections-list", method="post", allowed="inspector", anyone=True),
    R("self-inspections-submit", method="post", obj="self_inspection", allowed="inspector", anyone=True, oos="liaison_b"),
    R("checklists-edit", method="post", obj="checklist", allowed="liaison_a", anyone=True, oos="liaison_b"),
    R("hazards:checklist-edit", obj="checklist", allowed="liaison_a", wrong="inspector", oos="liaison_b"),
    R("hazards:checklist-edit", method="post", obj="checklist", allowed="liaison_a", wrong="inspector", oos="liaison_b"),
    R("hazards:checklist-new", allowed="liaison_a", wrong="inspector"),
    R("hazards:checklist-new", method="post", allowed="liaison_a", wrong="inspector"),
    P("hazards:service-worker"),
    R("self-inspections-sync", method="post", obj="self_inspection", allowed="plant_officer", anyone=True, oos="liaison_b"),
]
