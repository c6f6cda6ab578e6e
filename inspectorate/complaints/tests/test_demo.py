"""The demo loader (issue 4 point 10): Yueyang, Guangxi/Chinalco and the live look-back; idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from inspectorate.complaints.models import Case, Complaint, DisclosureTable

pytestmark = pytest.mark.django_db


def _load():
    from inspectorate.demo import complaints, foundation
    from inspectorate.demo.registry import DemoContext

    ctx = DemoContext()
    foundation.load(ctx)
    complaints.load(ctx)
    return ctx


def test_demo_scenarios():
    _load()
    yy = Case.objects.filter(campaign__code="hn-2-yueyang")
    assert yy.exclude(status="merged").count() >= 50
    assert yy.filter(is_key=True).exists()
    assert yy.filter(split_from__isnull=False).exists()
    assert yy.filter(is_joint=True).exists()
    assert Complaint.objects.filter(campaign__code="hn-2-yueyang", status="duplicate").count() >= 3
    assert set(Counter(yy.values_list("verdict", flat=True))) >= {"true", "basically_true", "partly_true", "untrue"}
    assert DisclosureTable.objects.filter(batch__campaign__code="hn-2-yueyang", status="published").count() >= 2
    assert yy.values("batch").distinct().count() >= 3
    gx = Case.objects.filter(campaign__code="c2-4-chinalco")
    assert gx.filter(number__contains="GX").exists()
    assert gx.filter(lead_unit__code="CHALCO").count() == gx.count()
    live = Case.objects.filter(campaign__code="hn-lookback-yueyang")
    assert {c.urgency() for c in live} >= {"yellow", "blue"}
    before = (Complaint.objects.count(), Case.objects.count(), DisclosureTable.objects.count())
    _load()
    assert (Complaint.objects.count(), Case.objects.count(), DisclosureTable.objects.count()) == before
