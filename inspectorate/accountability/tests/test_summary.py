"""The summary by rank and measure against generated datasets (expectations computed independently), the xlsx
file, and the bulletin's interviewed / held-accountable figures: from replies until records exist, then persons."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict

import openpyxl
import pytest
from django.utils import timezone

from inspectorate.accountability.models import (
    AccountabilityIssue,
    AccountabilityRecord,
    Interview,
    InterviewPerson,
    IssueStatus,
    Measure,
    Rank,
)
from inspectorate.complaints.models import Case, HandlingResult
from inspectorate.testing.clock import today
from inspectorate.testing.factories import OrgUnitFactory

SUMMARY = "/api/v1/accountability-records/summary/"
NAMES = ["张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "赵磊", "黄敏", "周杰", "吴刚"]


def generate(acc, seed: int, *, status: str = IssueStatus.PUBLISHED) -> list[tuple[str, str, str, str]]:
    """Random issues and records (a person is name + unit; some people in several issues with several measures)."""
    rng = random.Random(seed)
    w = acc.w
    units = [w.county_a, w.city_a, OrgUnitFactory(parent=w.city_a, unit_type="county", code=f"X{seed}")]
    day = today() - dt.timedelta(days=30)
    rows: list[tuple[str, str, str, str]] = []
    for n in range(1, rng.randint(2, 5) + 1):
        issue = AccountabilityIssue.objects.create(
            campaign=w.campaign, number=n, title=f"问题{n}", facts="事实", status=status, handed_over_on=day,
            published_on=day if status == IssueStatus.PUBLISHED else None,
        )  # fmt: skip
        seen = set()
        for _ in range(rng.randint(0, 25)):
            name, unit = rng.choice(NAMES), rng.choice(units)
            measure = rng.choice(list(Measure)).value
            if (name, unit.pk, measure) in seen:
                continue
            seen.add((name, unit.pk, measure))
            rank = rng.choice(list(Rank)).value
            AccountabilityRecord.objects.create(
                issue=issue, person_name=name, unit=unit, rank=rank, unit_type="government", measure=measure,
                approving_body="纪委", decided_on=day,
            )  # fmt: skip
            rows.append((name, str(unit.pk), rank, measure))
    return rows


def expected(rows):
    """Independently: for each person, the ranks and measures they were recorded with; count persons per cell."""
    ranks_of, measures_of, at_rank = defaultdict(set), defaultdict(set), defaultdict(set)
    for name, unit, rank, measure in rows:
        person = (name, unit)
        ranks_of[person].add(rank)
        measures_of[person].add(measure)
        at_rank[(person, rank)].add(measure)
    persons = list(ranks_of)
    out = {"total": len(persons), "times": len(rows)}
    for m in Measure:
        out[("", m.value)] = sum(1 for p in persons if m.value in measures_of[p])
    for r in Rank:
        out[(r.value, "")] = sum(1 for p in persons if r.value in ranks_of[p])
        out[(r.value, "times")] = sum(1 for row in rows if row[2] == r.value)
        for m in Measure:
            out[(r.value, m.value)] = sum(1 for p in persons if m.value in at_rank.get((p, r.value), set()))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 7, 11, 42])
def test_summary_matches_generated_dataset(acc, seed):
    rows = generate(acc, seed)
    exp = expected(rows)
    data = acc.api(acc.w.team_leader).get(SUMMARY, {"campaign": acc.w.campaign.code}).json()
    assert data["total"]["persons"] == exp["total"]
    assert data["total"]["person_times"] == exp["times"]
    for m in Measure:
        assert data["total"]["by_measure"][m.value] == exp[("", m.value)]
    for row in data["rows"]:
        assert row["persons"] == exp[(row["rank"], "")]
        assert row["person_times"] == exp[(row["rank"], "times")]
        for m in Measure:
            assert row["by_measure"][m.value] == exp[(row["rank"], m.value)]
    # the bulletin counts the same persons (one person with several measures, or in several issues, once)
    b = acc.api(acc.w.team_leader).get("/api/v1/reports/bulletin/", {"campaign": acc.w.campaign.code, "as_of": str(today())})
    assert b.status_code == 200, b.content
    assert b.json()["held_accountable"] == exp["total"]


def test_summary_xlsx_opens_with_the_same_figures(acc):
    rows = generate(acc, 5)
    exp = expected(rows)
    r = acc.api(acc.discipline).get("/api/v1/accountability-records/summary.xlsx", {"campaign": acc.w.campaign.code})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    summary, records = wb.worksheets
    table = list(summary.iter_rows(values_only=True))
    assert len(table) == 1 + len(Rank) + 1
    total = table[-1]
    assert int(total[1]) == exp["total"] and int(total[2]) == exp["times"]
    assert records.max_row == 1 + len(rows)


def test_summary_page(acc, client):
    generate(acc, 3)
    client.force_login(acc.w.team_leader)
    r = client.get("/accountability/summary/", {"campaign": acc.w.campaign.code})
    assert r.status_code == 200
    assert "summary.xlsx" in r.content.decode()


def test_target_summary_counts_published_only(acc):
    generate(acc, 9, status=IssueStatus.DECIDED)
    assert acc.api(acc.w.liaison_a).get(SUMMARY).json()["total"]["persons"] == 0
    assert acc.api(acc.discipline).get(SUMMARY).json()["total"]["persons"] > 0


def _reply(acc, interviewed: int, held: int) -> None:
    w = acc.w
    now = timezone.now() - dt.timedelta(days=3)
    case = Case.objects.create(
        campaign=w.campaign, number="D2HN000001", channel="phone", summary="摘要", lead_unit=w.city_a, region=w.city_a,
        intake_day=today() - dt.timedelta(days=5), status="dispatched", transferred_at=now,
    )  # fmt: skip
    HandlingResult.objects.create(
        case=case, version=1, summary="查实", verdict="true", status="closed", submitted_at=now, review="accepted",
        reviewed_at=now, interviewed=interviewed, held_accountable=held,
    )  # fmt: skip


def test_bulletin_falls_back_to_replies_until_records_exist(acc):
    w = acc.w
    _reply(acc, interviewed=5, held=3)
    url, q = "/api/v1/reports/bulletin/", {"campaign": w.campaign.code, "as_of": str(today())}
    line = acc.api(w.team_leader).get(url, q).json()
    assert (line["interviewed"], line["held_accountable"]) == (5, 3)
    # an interview held two days ago naming two people (one of them twice over two interviews)
    for title in ("约谈一", "约谈二"):
        i = Interview.objects.create(
            campaign=w.campaign, title=title, reason="serious_case", interview_date=today() - dt.timedelta(days=2),
            report_due=today() + dt.timedelta(days=28),
        )  # fmt: skip
        InterviewPerson.objects.create(interview=i, name="李某某", unit=w.county_a)
    InterviewPerson.objects.create(interview=i, name="王某", unit=w.county_a)
    line = acc.api(w.team_leader).get(url, q).json()
    assert (line["interviewed"], line["held_accountable"]) == (2, 3)
    # a decided but unpublished issue does not count yet
    issue = AccountabilityIssue.objects.create(
        campaign=w.campaign, number=1, title="t", facts="f", status=IssueStatus.DECIDED, handed_over_on=today()
    )
    for measure in ("admonishment", "sanction"):
        AccountabilityRecord.objects.create(
            issue=issue, person_name="李某某", unit=w.county_a, rank="division", unit_type="government",
            measure=measure, approving_body="纪委", decided_on=today(),
        )  # fmt: skip
    assert acc.api(w.team_leader).get(url, q).json()["held_accountable"] == 3
    AccountabilityIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.PUBLISHED, published_on=today())
    line = acc.api(w.team_leader).get(url, q).json()
    assert line["held_accountable"] == 1  # one person, two measures
    # as of a day before the interviews and the publication: the replies' figures again
    earlier = acc.api(w.team_leader).get(url, {**q, "as_of": str(today() - dt.timedelta(days=3))}).json()
    assert (earlier["interviewed"], earlier["held_accountable"]) == (5, 3)
