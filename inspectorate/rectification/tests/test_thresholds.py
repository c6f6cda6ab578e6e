"""Per-campaign thresholds for the fake-rectification signals (LedgerSettings, editable in the admin)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from inspectorate.rectification.fakecheck import DEFAULTS, Config, compute_flags
from inspectorate.rectification.models import FlagKind, LedgerSettings, Problem
from inspectorate.testing.factories import OrgUnitFactory

from .test_flags import close, kinds

pytestmark = pytest.mark.django_db


def settings_for(rect, **kw):
    return LedgerSettings.objects.create(campaign=rect.w.campaign, **kw)


def test_defaults_apply_without_settings(rect):
    cfg = Config([rect.w.campaign.pk])
    assert cfg(rect.w.campaign.pk) == DEFAULTS
    s = settings_for(rect, relapse_days=30, similar_text_percent=80)
    th = Config([rect.w.campaign.pk])(rect.w.campaign.pk)
    assert th.relapse_days == 30 and th.similar_ratio == 0.8 and th.bunch_min_tasks == s.bunch_min_tasks == 5


def test_bunching_thresholds(rect):
    deadline = dt.date(2024, 6, 30)
    rushed = [close(rect.task(deadline=deadline), closed_on=deadline - dt.timedelta(days=i % 3)) for i in range(5)]
    settings_for(rect, bunch_min_tasks=6)
    compute_flags(rect.w.campaign)
    assert all(kinds(t, FlagKind.BUNCHED_CLOSURES) == [] for t in rushed)
    LedgerSettings.objects.filter(campaign=rect.w.campaign).update(bunch_min_tasks=5, bunch_window_days=1)
    compute_flags(rect.w.campaign)  # only the closures on the deadline day and the day before count: 4 < 5
    assert all(kinds(t, FlagKind.BUNCHED_CLOSURES) == [] for t in rushed)
    LedgerSettings.objects.filter(campaign=rect.w.campaign).update(bunch_min_tasks=4)
    compute_flags(rect.w.campaign)
    assert sum(len(kinds(t, FlagKind.BUNCHED_CLOSURES)) for t in rushed) == 4


def test_relapse_window(rect):
    p1 = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="2", title="化工厂废水", source="complaint_case",
        enterprise=rect.w.enterprise_a,
    )  # fmt: skip
    t = close(rect.task(problem=p1), closed_on=timezone.localdate() - dt.timedelta(days=20))
    settings_for(rect, relapse_days=10)
    Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="9", title="又被举报", source="complaint_case",
        enterprise=rect.w.enterprise_a,
    )  # fmt: skip
    compute_flags(rect.w.campaign)
    assert kinds(t, FlagKind.RELAPSE) == []  # the new problem came 20 days after closure; the window is 10
    LedgerSettings.objects.filter(campaign=rect.w.campaign).update(relapse_days=30)
    compute_flags(rect.w.campaign)
    assert len(kinds(t, FlagKind.RELAPSE)) == 1


def test_relapse_radius(rect):
    from decimal import Decimal

    from django.apps import apps

    complaint_model = apps.get_model("complaints", "Complaint")
    ent = rect.w.enterprise_a
    ent.lat, ent.lon = Decimal("28.700000"), Decimal("113.600000")
    ent.save()
    p = Problem.objects.create(
        campaign=rect.w.campaign, unit=rect.w.county_a, number="31", title="化工厂", source="complaint_case", enterprise=ent
    )
    t = close(rect.task(problem=p), closed_on=dt.date(2024, 3, 11))
    when = timezone.make_aware(dt.datetime(2024, 6, 1, 9, 0))
    complaint_model.objects.create(
        campaign=rect.w.campaign,
        channel="web",
        received_at=when,
        intake_day=dt.date(2024, 6, 1),
        text="远处的异味",
        lat=28.72,
        lon=113.60,
    )  # ~2.2 km away; fmt: skip
    compute_flags(rect.w.campaign)
    assert kinds(t, FlagKind.RELAPSE) == []
    settings_for(rect, relapse_radius_m=3000)
    compute_flags(rect.w.campaign)
    flags = kinds(t, FlagKind.RELAPSE)
    assert len(flags) == 1 and "3000 m" in flags[0].explanation


def test_similar_text_threshold(rect):
    other_unit = OrgUnitFactory(parent=rect.w.city_a, unit_type="county", code="430621")
    a = close(rect.task(), verification_conclusion="经现场核查，该问题已按要求完成整改，相关设施正常运行，资料齐全，同意销号。")
    b = close(
        rect.task(lead_unit=other_unit),
        verification_conclusion="经现场核查，该问题已基本完成整改，相关设施运行正常，资料较齐全，同意销号。",
    )
    compute_flags(rect.w.campaign)
    assert kinds(a, FlagKind.SIMILAR_CLOSURE_TEXT) == []  # below the default 90%
    settings_for(rect, similar_text_percent=70)
    compute_flags(rect.w.campaign)
    assert [f.key for f in kinds(a, FlagKind.SIMILAR_CLOSURE_TEXT)] == [str(b.pk)]


def test_settings_are_validated_and_editable_in_the_admin(rect):
    s = LedgerSettings(campaign=rect.w.campaign, similar_text_percent=30, bunch_min_share_percent=120)
    with pytest.raises(ValidationError) as exc:
        s.full_clean()
    assert {"similar_text_percent", "bunch_min_share_percent"} <= set(exc.value.error_dict)
    s = settings_for(rect)
    c = Client()
    c.force_login(rect.w.admin)
    url = f"/admin/rectification/ledgersettings/{rect.w.campaign.pk}/change/"
    body = c.get(url).content.decode()
    assert 'name="relapse_radius_m"' in body and 'name="similar_text_percent"' in body
    data = {
        "campaign": rect.w.campaign.pk, "report_frequency": "monthly", "due_soon_days": 7, "behind_margin": 15,
        "relapse_days": 180, "relapse_radius_m": 800, "similar_text_percent": 85, "bunch_window_days": 2,
        "bunch_min_tasks": 4, "bunch_min_share_percent": 40,
    }  # fmt: skip
    assert c.post(url, data).status_code == 302
    s.refresh_from_db()
    assert (s.relapse_days, s.relapse_radius_m, s.similar_text_percent, s.behind_margin) == (180, 800, 85, 15)
