"""Route inventory entries for kpi: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import R

ROUTES = [
    R("kpi-schemes-compute", method="post", obj="kpi_scheme", allowed="liaison_a", wrong="inspector", oos="liaison_b"),
    R("kpi-schemes-detail", obj="kpi_scheme", allowed="liaison_a", anyone=True, oos="liaison_b"),
    R("kpi-schemes-list", allowed="liaison_a", anyone=True),
    # the assessing unit must be one the user manages (kpi.manage: the liaison office)
    R("kpi-schemes-list", method="post", allowed="liaison_a", wrong=("inspector", "handler_a", "plant_officer", "auditor")),
    R("kpi-schemes-ranking", obj="kpi_scheme", allowed="liaison_a", anyone=True, oos="liaison_b"),
    R("kpi-scores-adjust", method="post", obj="kpi_score", allowed="liaison_a", wrong="inspector", oos="liaison_b"),
    R("kpi-scores-detail", obj="kpi_score", allowed="plant_officer", anyone=True, oos="liaison_b"),
    R("kpi-scores-list", allowed="plant_officer", anyone=True),
    R("kpi-scores-review", method="post", obj="kpi_score", allowed="liaison_a", wrong="inspector", oos="liaison_b"),
    R("kpi:compute", method="post", obj="kpi_scheme", allowed="liaison_a", wrong="inspector", oos="liaison_b"),
    R("kpi:scheme", obj="kpi_scheme", allowed="liaison_a", anyone=True, oos="liaison_b"),
    R("kpi:scheme-new", allowed="liaison_a", wrong="inspector"),
    R("kpi:scheme-new", method="post", allowed="liaison_a", wrong="inspector"),
    R("kpi:schemes", allowed="liaison_a", anyone=True),
    R("kpi:score", obj="kpi_score", allowed="plant_officer", anyone=True, oos="liaison_b"),
    R(
        "kpi:score-action",
        method="post",
        obj="kpi_score",
        kw={"step": "adjust"},
        allowed="liaison_a",
        wrong="inspector",
        oos="liaison_b",
    ),
]
