"""Route inventory entries for core: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import P, R

ROUTES = [
    P("api-docs"),
    R("api-root", allowed="inspector", anyone=True),
]
