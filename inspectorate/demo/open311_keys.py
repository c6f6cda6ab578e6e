"""A demo Open311 client key for the live look-back, so that GeoReport clients can post to the demo.

The key is fixed (demo data only, like the demo password) so that `load_demo` can print it on every
run although only its hash is stored; it is created once and audited.
"""

from __future__ import annotations

from django.db import transaction

from inspectorate import audit
from inspectorate.audit import snapshot
from inspectorate.open311.models import Open311Key, hash_key

from .registry import DemoContext

DEMO_OPEN311_KEY = "o311_demo-hn-lookback-yueyang-2026"
CAMPAIGN = "hn-lookback-yueyang"


def load(ctx: DemoContext) -> None:
    with transaction.atomic():
        key = Open311Key.objects.filter(key_hash=hash_key(DEMO_OPEN311_KEY)).first()
        if key is None:
            key = Open311Key.objects.create(
                name="岳阳12345热线 (demo client)",
                contact="岳阳市12345政务服务便民热线 / Yueyang 12345 hotline office",
                prefix=DEMO_OPEN311_KEY[:12],
                key_hash=hash_key(DEMO_OPEN311_KEY),
                rate_limit=60,
                created_by=ctx.actor,
            )
            key.campaigns.set([ctx.campaigns[CAMPAIGN]])
            audit.record(
                ctx.actor,
                "open311key.create",
                key,
                after=snapshot(key, ["name", "contact", "prefix", "rate_limit", "campaigns"]),
                reason="demo",
            )
    ctx.logins.append(("Open311 api_key", DEMO_OPEN311_KEY, f"demo client application, posts to {CAMPAIGN}"))
