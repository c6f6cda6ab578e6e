"""Route inventory entries for reports: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import R

# An export is a read in the background: the job runs as its user (restrict(…, "view")) and belongs to him alone.
EXPORT = "a background read of what the user may see (the exporter restricts to his view scope): every user may start one"

ROUTES = [
    R("reports:start_export", method="post", allowed=("inspector", "auditor"), anyone=True, note=EXPORT),
    R("exports-detail", obj="export", allowed="inspector", anyone=True, oos="liaison_b"),
    R("reports:exports", allowed="inspector", anyone=True),
    R("exports-list", allowed="inspector", anyone=True),
    R("exports-list", method="post", allowed=("inspector", "auditor"), anyone=True, note=EXPORT),
    R(
        "exports-download", obj="export", anyone=True, oos="liaison_b"
    ),  # no user passes the probe (state or input): checks the denials,
]
