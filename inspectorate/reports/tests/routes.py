"""Route inventory entries for reports: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import R

ROUTES = [
    R("reports:start_export", method="post", allowed="inspector", anyone=True),
    R("exports-detail", obj="export", allowed="inspector", anyone=True, oos="liaison_b"),
    R("reports:exports", allowed="inspector", anyone=True),
    R("exports-list", allowed="inspector", anyone=True),
    R("exports-list", method="post", allowed="inspector", anyone=True),
    R(
        "exports-download", obj="export", anyone=True, oos="liaison_b"
    ),  # no user passes the probe (state or input): checks the denials,
]
