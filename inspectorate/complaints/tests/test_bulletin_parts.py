"""The bulletin's parts never exceed their whole (hypothesis), and the sentence says so in the published wording.

closed, staged_closed and open are disjoint and add up to transferred; the sentence prints the done figure
("已办结或阶段性办结", closed + staged) first and its two parts in brackets, never a part larger than the whole.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from inspectorate.complaints.bulletin import bulletin, inconsistencies, summary_line
from inspectorate.complaints.models import Case, Complaint, HandlingResult
from inspectorate.testing.factories import CampaignFactory, OrgUnitFactory

SH = ZoneInfo("Asia/Shanghai")
START = dt.date(2020, 9, 1)
DONE = re.compile(r"已办结或阶段性办结(\d+)件（其中办结(\d+)件、阶段性办结(\d+)件）")
TRANSFERRED = re.compile(r"转办(\d+)件")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour), tzinfo=SH)


def sentence_parts(line: str) -> tuple[int, int, int, int]:
    m, t = DONE.search(line), TRANSFERRED.search(line)
    assert m is not None and t is not None, line
    return int(t.group(1)), int(m.group(1)), int(m.group(2)), int(m.group(3))


REPLY = st.tuples(
    st.sampled_from(["closed", "staged_closed", "open"]),
    st.sampled_from(["accepted", "returned", "pending"]),
    st.integers(min_value=0, max_value=6),  # day the reply is reviewed
)
CASE = st.tuples(
    st.integers(min_value=0, max_value=5),  # day transferred
    st.booleans(),  # merged into another case
    st.lists(REPLY, max_size=3),
)


class BulletinParts(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.unit = OrgUnitFactory(code="430600")
        cls.campaign = CampaignFactory(code="parts", stationing_start=START, targets=[cls.unit])

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cases=st.lists(CASE, max_size=8), invalid=st.integers(min_value=0, max_value=3), as_of=st.integers(0, 6))
    def test_parts_never_exceed_the_whole(self, cases, invalid, as_of):
        expected = {"closed": 0, "staged_closed": 0, "open": 0}
        for n, (day, merged, replies) in enumerate(cases):
            origin = Complaint.objects.create(
                campaign=self.campaign, channel="phone", received_at=at(day, 8), intake_day=START, text=f"举报{n}",
                status="accepted",
            )  # fmt: skip
            case = Case.objects.create(
                campaign=self.campaign, number=f"P{n:04d}", channel="phone", origin=origin, summary="摘要",
                lead_unit=self.unit, intake_day=START, transferred_at=at(day), status="merged" if merged else "published",
            )  # fmt: skip
            latest = "open"
            for v, (status, review, reviewed) in enumerate(replies, start=1):
                HandlingResult.objects.create(
                    case=case, version=v, summary="核查", verdict="true", status=status, submitted_at=at(day, 12),
                    review=review, reviewed_at=at(max(day, reviewed), 15),
                )  # fmt: skip
                if review == "accepted" and max(day, reviewed) <= as_of:
                    latest = status
            if not merged and day <= as_of:
                expected[latest] += 1
        for k in range(invalid):
            Complaint.objects.create(
                campaign=self.campaign, channel="web", received_at=at(0, 9), intake_day=START, text=f"无效{k}",
                status="invalid", screened_at=at(0, 11),
            )  # fmt: skip
        day = START + dt.timedelta(days=as_of)
        fig = bulletin([self.campaign], day)
        assert inconsistencies(fig) == []
        assert {k: fig[k] for k in expected} == expected
        assert fig["transferred"] == sum(expected.values())
        transferred, done, closed, staged = sentence_parts(summary_line(fig, day))
        assert (transferred, closed, staged) == (fig["transferred"], fig["closed"], fig["staged_closed"])
        assert done == closed + staged and closed <= done and staged <= done <= transferred


FIGURES = st.fixed_dictionaries(
    {
        "received": st.integers(0, 10**6),
        "valid": st.integers(0, 10**6),
        "transferred": st.integers(0, 10**6),
        "closed": st.integers(-5, 10**6),
        "staged_closed": st.integers(0, 10**6),
        "open": st.integers(-5, 10**6),
    }
)


@given(FIGURES)
def test_inconsistencies_name_every_part_larger_than_its_whole(f):
    found = inconsistencies(f)
    consistent = (
        f["valid"] <= f["received"] and min(f.values()) >= 0 and f["closed"] + f["staged_closed"] + f["open"] == f["transferred"]
    )
    assert (found == []) == consistent


@given(st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 5000))
def test_sentence_brackets_hold_parts_of_the_whole(closed, staged, still_open):
    f = {
        "received": closed + staged + still_open + 7, "valid": closed + staged + still_open + 3,
        "transferred": closed + staged + still_open, "closed": closed, "staged_closed": staged, "open": still_open,
        "ordered_to_rectify": 0, "penalised_enterprises": 0, "fines_yuan": Decimal("0"), "criminal_cases": 0,
        "detained": 0, "interviewed": 0, "held_accountable": 0,
    }  # fmt: skip
    assert inconsistencies(f) == []
    transferred, done, c, s = sentence_parts(summary_line(f, START))
    assert done == c + s == closed + staged and max(c, s) <= done <= transferred


def test_r3_b1_reads_as_published():
    """R3 b1 (DOMAIN §6.2 †): 13,441 transferred, 11,457 done including staged closures."""
    f = {
        "received": 19815, "valid": 16700, "transferred": 13441, "closed": 9000, "staged_closed": 2457,
        "open": 13441 - 11457, "ordered_to_rectify": 0, "penalised_enterprises": 1232, "fines_yuan": Decimal("0"),
        "criminal_cases": 55, "detained": 0, "interviewed": 623, "held_accountable": 289,
    }  # fmt: skip
    line = summary_line(f, dt.date(2023, 12, 31))
    assert "截至2023年12月31日" in line and "转办13441件；已办结或阶段性办结11457件（其中办结9000件、阶段性办结2457件）" in line
    assert inconsistencies(f) == []


class BulletinQueries(HypothesisTestCase):
    """The line is a fixed number of aggregate queries, whatever the number of cases, replies and penalties."""

    def _add(self, first: int, n: int) -> None:
        from inspectorate.complaints.models import PenaltyDecision

        for k in range(first, first + n):
            origin = Complaint.objects.create(
                campaign=self.campaign, channel="phone", received_at=at(0, 8), intake_day=START, text=f"举报{k}",
                status="accepted",
            )  # fmt: skip
            case = Case.objects.create(
                campaign=self.campaign, number=f"Q{k:04d}", channel="phone", origin=origin, summary="摘要",
                lead_unit=self.unit, intake_day=START, transferred_at=at(0), status="published",
            )  # fmt: skip
            for v in (1, 2):
                result = HandlingResult.objects.create(
                    case=case, version=v, summary="核查", verdict="true", status="closed" if v == 2 else "open",
                    submitted_at=at(0, 12), review="accepted", reviewed_at=at(0, 15), ordered_to_rectify=1,
                )  # fmt: skip
                PenaltyDecision.objects.create(
                    result=result, enterprise_name=f"企业 {k % 3}", amount=Decimal("1000.00"), decision_no=f"D{k}-{v}"
                )

    def test_query_count_does_not_grow_with_the_rows(self) -> None:
        self.unit = OrgUnitFactory(code="430700")
        self.campaign = CampaignFactory(code="queries", stationing_start=START, targets=[self.unit])
        self._add(0, 3)
        with self.assertNumQueries(6) as small:
            fig = bulletin([self.campaign], START)
        assert (fig["transferred"], fig["closed"], fig["ordered_to_rectify"]) == (3, 3, 3)
        assert (fig["penalised_enterprises"], fig["fines_yuan"]) == (3, Decimal("3000.00"))  # latest replies only
        self._add(3, 12)
        with self.assertNumQueries(len(small.captured_queries)):
            fig = bulletin([self.campaign], START)
        assert (fig["transferred"], fig["closed"], fig["penalised_enterprises"]) == (15, 15, 3)
