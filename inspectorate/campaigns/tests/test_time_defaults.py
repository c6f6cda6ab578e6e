"""The 20:00 defaults (intake cut-off, hotline closing) pass Django's fixed-default check at any time of day:
with a fixed `dt.time` default the check (fields.W161) fired for the 20 seconds around 20:00 UTC, and
`check --deploy --fail-level WARNING` failed then."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import checks

from inspectorate.campaigns.models import Campaign, Team


def test_the_evening_defaults_pass_the_fixed_default_check_at_20_utc() -> None:
    with time_machine.travel(dt.datetime(2031, 5, 6, 20, 0, 0, tzinfo=dt.UTC), tick=False):
        found = [m for m in checks.run_checks() if m.id == "fields.W161"]
    assert found == []
    assert Campaign().daily_cutoff == Team().hotline_closes == dt.time(20, 0)
