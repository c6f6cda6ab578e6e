"""Route inventory entries for orgs: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import R

ROUTES = [
    R("orgs:unit", obj="unit", allowed="inspector", anyone=True, oos="liaison_b"),
    R("orgs:import_template", allowed="inspector", anyone=True),
    R("orgs:enterprise", obj="enterprise", allowed="inspector", anyone=True, oos="liaison_b"),
    # no user passes the probe (state or input): checks the denials
    R("org-units-import-units", method="post", wrong=("auditor", "liaison_a", "inspector")),
    R("enterprises-list", allowed="inspector", anyone=True),
    R("enterprises-list", method="post", allowed="admin", wrong=("auditor", "liaison_a", "inspector")),
    R("departments-list", allowed="inspector", anyone=True),
    R("departments-list", method="post", allowed="liaison_a", wrong=("auditor", "handler_a", "inspector")),
    R("departments-end", method="post", obj="department", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
    R("orgs:units", allowed="inspector", anyone=True),
    R("orgs:import_units", allowed="admin", wrong="auditor"),
    R("orgs:enterprises", allowed="inspector", anyone=True),
    R("org-units-list", allowed="inspector", anyone=True),
    R("org-units-list", method="post", allowed="admin", wrong=("auditor", "liaison_a", "inspector")),
    R("org-units-detail", obj="unit", allowed="inspector", anyone=True, oos="liaison_b"),
    R("org-units-detail", method="patch", obj="unit", allowed="admin", wrong="auditor", oos="liaison_b"),
    R("enterprises-detail", obj="enterprise", allowed="inspector", anyone=True, oos="liaison_b"),
    R("enterprises-detail", method="patch", obj="enterprise", allowed="admin", wrong="auditor", oos="liaison_b"),
    R("departments-detail", obj="department", allowed="inspector", anyone=True, oos="liaison_b"),
    R("departments-detail", method="patch", obj="department", allowed="liaison_a", wrong="auditor", oos="liaison_b"),
]
