"""Route inventory entries for open311: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import P

ROUTES = [
    P("open311:discovery", kw={"fmt": "json"}),
    P("open311:service", kw={"code": "noise", "fmt": "json"}),
    P("open311:request", kw={"rid": "@complaint", "fmt": "json"}),
    P("open311:not-found", kw={"fmt": "json"}, ok=404),
    P("open311:services", kw={"fmt": "json"}),
    P("open311:requests", kw={"fmt": "json"}),
    P("open311:token", kw={"token": "abc", "fmt": "json"}, ok=404, note="an unknown token"),
    P("open311:docs"),
    P("open311:openapi"),
]
