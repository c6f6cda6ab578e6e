"""The test clock is what the tests run on: moved when CI asks, and the cast's stay always holds today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inspectorate.testing import clock


def test_clock_is_moved_by_the_requested_number_of_days():
    import time_machine

    hatch = time_machine.escape_hatch
    wall = (hatch.datetime.datetime.now(clock.SH) if hatch.is_travelling() else dt.datetime.now(clock.SH)).date()
    assert (clock.today() - wall).days in (clock.shift_days(), clock.shift_days() + 1)  # +1: a run crossing midnight
    assert timezone.localdate() == clock.today()
    assert dt.date.today() in (clock.today(), clock.today() - dt.timedelta(days=1))  # the machine's own zone may lag Shanghai


def test_stay_holds_today_and_starts_on_a_monday():
    assert clock.stay_start().weekday() == 0
    assert clock.stay_start() + dt.timedelta(days=9) <= clock.today() <= clock.stay_end()


@pytest.mark.django_db
def test_cast_campaign_is_stationed_today(world):
    from inspectorate.campaigns.models import Stage

    assert world.campaign.stationing_start == clock.stay_start()
    assert world.campaign.stationing_end == clock.stay_end()
    assert world.campaign.stage(clock.today()) in (Stage.STATIONED, Stage.FIELD_DESCENT)
