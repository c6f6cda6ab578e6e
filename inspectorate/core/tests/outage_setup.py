"""Run inside `manage.py shell` against the throwaway cluster of test_database_outage: the cast, its campaign open
today (on this process's clock), and an API token for the inspector. Prints one JSON line."""

from __future__ import annotations

import datetime as dt
import json


def main() -> None:
    from django.utils import timezone

    from inspectorate.accounts.models import ApiToken, hash_token
    from inspectorate.testing.cast import World

    world = World.build()
    today = timezone.localdate()
    campaign = world.campaign
    campaign.stationing_start = today - dt.timedelta(days=5)
    campaign.stationing_end = today + dt.timedelta(days=5)
    campaign.save()
    key = ApiToken.new_key()
    ApiToken.objects.create(user=world.inspector, name="outage", prefix=key[:12], key_hash=hash_token(key))
    print(json.dumps({"token": key, "campaign": campaign.code, "campaign_id": str(campaign.pk)}))
