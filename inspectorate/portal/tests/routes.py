"""Route inventory entries for portal: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import P

ROUTES = [
    P("home"),
    P("portal:campaign", kw={"code": "hn-2-yueyang"}),
    P("portal:similar", kw={"code": "hn-2-yueyang"}),
    P("portal:track"),
    P("portal:tables"),
    P("portal:anchors"),
    P("portal:open_data"),
    P("portal:open_data_campaign", kw={"code": "hn-2-yueyang"}),
    P("portal:feed_results_atom"),
    P("portal:feed_notices_atom"),
    P("portal:index"),
    P("portal:report", kw={"code": "hn-2-yueyang"}),
    P("portal:receipt", ok=302, note="without a receipt in the session it sends the visitor to the tracking page"),
    P("portal:rate", method="post", ok=302),
    P("portal:table", obj="table"),
    P("portal:anchors_csv"),
    P("portal:open_data_all"),
    P("portal:feed_results"),
    P("portal:feed_notices"),
    P("portal:alerts"),
    P("portal:alerts", method="post", ok=400),
    P("portal:alert_confirm", kw={"token": "unknown"}, ok=404),
    P("portal:alert_unsubscribe", kw={"token": "unknown"}, ok=404),
    P("portal:jurisdiction", kw={"code": "hn-2-yueyang"}),
    P("portal:receipt_download", method="post", ok=(400, 404)),
]
