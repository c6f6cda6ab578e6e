"""Reproduce DOMAIN.md §6.2, row "R2 b2, 3 provinces + Chinalco + CNBM (10 Sep 2020)" from a generated dataset.

3,809 received · 3,000 valid · 2,731 transferred · 289 done · 101 penalised · 1,243.82 万元 · 5 criminal · 3 detained ·
58 interviewed · 21 accountable. Traps around it must not count: reports after the date, a reply accepted after it,
a returned reply, a second penalty on an already penalised enterprise, a merged case.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from inspectorate.complaints.bulletin import bulletin, summary_line, wan
from inspectorate.complaints.models import Case, Complaint, HandlingResult, PenaltyDecision, TransferBatch
from inspectorate.testing.factories import CampaignFactory, OrgUnitFactory, TeamFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
AS_OF = dt.date(2020, 9, 10)


def t(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2020, 9, day, hour, tzinfo=SH)


def build(world):
    office = OrgUnitFactory(kind="inspectorate", unit_type="central", code="CEPI-T")
    region = world.city_a
    c = CampaignFactory(
        code="r2-b2", level="central", inspecting_unit=office, stationing_start=dt.date(2020, 8, 30), targets=[region]
    )
    TeamFactory(campaign=c, code="4")
    batch = TransferBatch.objects.create(
        campaign=c, number=1, intake_day=dt.date(2020, 9, 1), status="transferred", transferred_at=t(2)
    )
    late_batch = TransferBatch.objects.create(
        campaign=c, number=2, intake_day=dt.date(2020, 9, 11), status="transferred", transferred_at=t(12)
    )
    complaints = []
    for i in range(3809):
        status = "invalid" if i < 809 else "duplicate" if i < 809 + 269 else "accepted"
        complaints.append(
            Complaint(
                campaign=c,
                channel="phone",
                received_at=t(1 + i % 9),
                intake_day=dt.date(2020, 9, 1),
                text=f"举报{i}",
                address="某地",
                status=status,
                screened_at=t(1 + i % 9, 12),
            )
        )
    # Traps: received after the date.
    complaints += [
        Complaint(
            campaign=c,
            channel="web",
            received_at=t(11),
            intake_day=dt.date(2020, 9, 11),
            text="晚到",
            address="某地",
            status="accepted",
        )
        for _ in range(7)
    ]
    Complaint.objects.bulk_create(complaints, batch_size=1000)
    accepted = [x for x in complaints[:3809] if x.status == "accepted"]
    cases = [
        Case(
            campaign=c,
            number=f"D4XX{i:08d}",
            channel="phone",
            origin=x,
            summary="摘要",
            lead_unit=region,
            region=region,
            intake_day=x.intake_day,
            batch=batch,
            status="dispatched",
            transferred_at=t(2),
        )
        for i, x in enumerate(accepted)
    ]
    # Traps: a case transferred after the date, and a merged case.
    cases.append(
        Case(
            campaign=c,
            number="LATE0001",
            channel="web",
            summary="晚",
            lead_unit=region,
            intake_day=dt.date(2020, 9, 11),
            batch=late_batch,
            status="transferred",
            transferred_at=t(12),
        )
    )
    cases.append(
        Case(
            campaign=c,
            number="MERGED01",
            channel="web",
            summary="并",
            lead_unit=region,
            intake_day=dt.date(2020, 9, 1),
            batch=batch,
            status="merged",
            transferred_at=t(2),
        )
    )
    Case.objects.bulk_create(cases, batch_size=1000)
    real = cases[:2731]
    results = []
    for i, case in enumerate(real[:420]):
        status = "closed" if i < 289 else "staged_closed" if i < 289 + 80 else "open"
        results.append(
            HandlingResult(
                case=case,
                version=1,
                summary="查实",
                verdict="true",
                status=status,
                submitted_at=t(8),
                review="accepted",
                reviewed_at=t(9),
                criminal_cases=1 if i < 5 else 0,
                detained_administrative=1 if i < 2 else 0,
                detained_criminal=1 if i == 2 else 0,
                interviewed=2 if i < 29 else 0,
                held_accountable=1 if 100 <= i < 121 else 0,
                ordered_to_rectify=1 if i < 300 else 0,
            )
        )
    # Traps: a pending (unreviewed) reply, a returned reply, a reply accepted after the date.
    results.append(HandlingResult(case=real[500], version=1, summary="x", verdict="true", status="closed", submitted_at=t(8)))
    results.append(
        HandlingResult(
            case=real[501],
            version=1,
            summary="x",
            verdict="true",
            status="closed",
            submitted_at=t(8),
            review="returned",
            reviewed_at=t(9),
            interviewed=50,
        )
    )
    results.append(
        HandlingResult(
            case=real[502],
            version=1,
            summary="x",
            verdict="true",
            status="closed",
            submitted_at=t(10, 23),
            review="accepted",
            reviewed_at=t(11),
            criminal_cases=9,
        )
    )
    HandlingResult.objects.bulk_create(results)
    penalties = [
        PenaltyDecision(result=results[i], enterprise_name=f"企业{i:03d}", amount=Decimal("123000.00")) for i in range(100)
    ]
    penalties.append(PenaltyDecision(result=results[100], enterprise_name="企业100", amount=Decimal("138200.00")))
    # The same enterprise penalised twice counts once as an enterprise; a zero-fine decision adds nothing to fines.
    penalties.append(PenaltyDecision(result=results[101], enterprise_name="企业 000", amount=Decimal("0")))
    penalties.append(PenaltyDecision(result=results[-1], enterprise_name="晚到企业", amount=Decimal("999999")))
    PenaltyDecision.objects.bulk_create(penalties)
    return c


EXPECTED = {
    "received": 3809,
    "valid": 3000,
    "transferred": 2731,
    "closed": 289,
    "staged_closed": 80,
    "open": 2731 - 289 - 80,
    "ordered_to_rectify": 300,
    "penalised_enterprises": 101,
    "fines_yuan": Decimal("12438200.00"),
    "criminal_cases": 5,
    "detained": 3,
    "interviewed": 58,
    "held_accountable": 21,
}


def test_reproduces_r2_b2_row(world):
    c = build(world)
    got = bulletin([c], AS_OF)
    assert got == EXPECTED
    assert wan(got["fines_yuan"]) == Decimal("1243.82")
    line = summary_line(got, AS_OF)
    assert "共受理群众举报3809件" in line and "罚款1243.82万元" in line
    client = APIClient()
    client.force_authenticate(world.admin)
    r = client.get("/api/v1/reports/bulletin/", {"campaign": "r2-b2", "as_of": "2020-09-10"})
    assert r.status_code == 200
    assert r.json() == {**EXPECTED, "fines_yuan": "12438200.00"}
    # A day later the traps come in.
    later = bulletin([c], dt.date(2020, 9, 12))
    assert later["received"] == 3816 and later["transferred"] == 2732 and later["criminal_cases"] == 14
    by_batch = bulletin([c], AS_OF, batch=TransferBatch.objects.get(campaign=c, number=1))
    assert by_batch["transferred"] == 2731
