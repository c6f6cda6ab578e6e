"""The bulletin line and the team dashboard over a national-size campaign on PostgreSQL (issue 13's scale part).

`python -m bench --only scale` runs this module in a child process (Django is set up once per process). The
child creates the database `--pg-url` names (dropping an earlier one), migrates it, builds the test cast and
loads with COPY, into the cast's campaign: `n` complaints and their `n` cases (2 % merged, the rest transferred
over 200 days), one or two handling replies for most cases (accepted, returned or pending; closed, staged or
open), a penalty decision on a tenth of the replies, and `10 n` audit events (a chain of the right shape); the
cast's second campaign gets 1/1000 of that. Secondary indexes are dropped for the load and created again, then
ANALYZE. It then times, median of `repeat` runs each:

* the bulletin line (`complaints.bulletin.bulletin`) against one hand-written SQL statement computing the same
  figures (DISTINCT ON for the latest accepted reply of each case), and checks they agree;
* the team member's dashboard figures (`reports.panels.team_charts` and the dashboard cards) against
  hand-written SQL of the same groupings;

and prints each ratio (target ≤ 1.5×) and the query counts on the big campaign and on the small one (target:
the same). The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import pgdb  # noqa: E402  (after the path set-up above)

TARGET = 1.5
DAYS = 200


def load(campaign: Any, units: list[Any], ks: range, first_seq: int, note: Callable[[str], None]) -> int:
    """Complaints, cases, replies, penalties and audit events numbered `ks` of one campaign; returns the last
    audit seq."""
    from django.utils import timezone

    from inspectorate.audit.models import AuditEvent
    from inspectorate.complaints.models import Case, Complaint, HandlingResult, PenaltyDecision

    tz = timezone.get_current_timezone()
    start = timezone.now() - dt.timedelta(days=DAYS)
    n = len(ks)
    cids = {k: uuid.uuid4() for k in ks}
    kids = {k: uuid.uuid4() for k in ks}
    k0 = ks.start

    def when(k: int) -> dt.datetime:
        return start + dt.timedelta(seconds=(k * 9973) % (DAYS * 86400))

    t = time.perf_counter()
    tmpl = Complaint(campaign=campaign, channel="phone", text="", intake_day=timezone.localdate())
    tag = str(campaign.pk)[:4]
    pgdb.copy_rows(Complaint, tmpl, (
        {"id": cids[k], "received_at": when(k), "intake_day": when(k).astimezone(tz).date(), "text": f"举报 {k}",
         "status": "invalid" if k % 20 == 0 else "accepted", "screened_at": when(k) + dt.timedelta(hours=3),
         "receipt_code": f"S{tag}{k:09d}", "jurisdiction_id": units[k % len(units)].pk}
        for k in ks
    ))  # fmt: skip
    statuses = ["transferred", "dispatched", "replied", "returned", "reviewed", "published"]
    verdicts = ["true", "basically_true", "partly_true", "untrue"]
    tmpl_case = Case(
        campaign=campaign, number="", channel="phone", origin_id=cids[k0], summary="", intake_day=timezone.localdate()
    )
    pgdb.copy_rows(Case, tmpl_case, (
        {"id": kids[k], "origin_id": cids[k], "number": f"{campaign.code[:6]}-{k:08d}", "summary": f"案件 {k}",
         "lead_unit_id": units[k % len(units)].pk, "region_id": units[k % len(units)].pk,
         "status": "merged" if k % 50 == 0 else statuses[k % len(statuses)], "transferred_at": when(k) + dt.timedelta(days=1),
         "due_date": (when(k) + dt.timedelta(days=16)).astimezone(tz).date(), "intake_day": when(k).astimezone(tz).date(),
         "verdict": verdicts[k % 4] if k % 3 else ""}
        for k in ks
    ))  # fmt: skip
    note(f"{n:,} complaints and {n:,} cases copied in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    rids: list[Any] = []

    def replies() -> Iterable[dict[str, Any]]:
        for k in ks:
            if k % 10 == 9:
                continue  # no reply yet
            for v in (1, 2) if k % 5 == 0 else (1,):
                rid = uuid.uuid4()
                if k % 10 == 3:
                    rids.append(rid)
                review = "accepted" if k % 7 else ("returned" if v == 1 else "pending")
                yield {
                    "id": rid, "case_id": kids[k], "version": v, "summary": "核查", "verdict": verdicts[k % 4],
                    "status": ("closed", "staged_closed", "open")[(k + v) % 3], "submitted_at": when(k) + dt.timedelta(days=5),
                    "review": review, "reviewed_at": when(k) + dt.timedelta(days=6), "ordered_to_rectify": k % 2,
                    "criminal_cases": 1 if k % 97 == 0 else 0, "interviewed": k % 3, "held_accountable": int(k % 4 == 0),
                }  # fmt: skip

    tmpl_r = HandlingResult(case_id=kids[k0], summary="", verdict="true", status="open", submitted_at=timezone.now())
    replies_n = pgdb.copy_rows(HandlingResult, tmpl_r, replies())
    tmpl_p = PenaltyDecision(result_id=rids[0] if rids else None, enterprise_name="")
    pen_n = pgdb.copy_rows(PenaltyDecision, tmpl_p, (
        {"result_id": rid, "enterprise_name": f"企业 {j % 5000}", "amount": Decimal(1000 + j % 9000)}
        for j, rid in enumerate(rids)
    ))  # fmt: skip
    note(f"{replies_n:,} replies and {pen_n:,} penalty decisions copied in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    tmpl_a = AuditEvent(seq=0, at=timezone.now(), verb="", object_type="", object_id="", prev_hash="", hash="")

    def events() -> Iterable[dict[str, Any]]:
        prev = "0" * 64
        for j in range(10 * n):
            seq = first_seq + j + 1
            k = k0 + j // 10
            h = hashlib.sha256(f"{campaign.pk}:{seq}".encode()).hexdigest()
            yield {
                "seq": seq, "at": when(k) + dt.timedelta(seconds=j % 10), "verb": ("case.update", "case.reply")[j % 2],
                "object_type": "complaints.case", "object_id": str(kids[k]), "object_repr": f"case {k}",
                "prev_hash": prev, "hash": h,
            }  # fmt: skip
            prev = h

    pgdb.copy_rows(AuditEvent, tmpl_a, events())
    note(f"{10 * n:,} audit events copied in {time.perf_counter() - t:.0f} s")
    return first_seq + 10 * n


SHOW_QUERIES = os.environ.get("SCALE_BENCH_QUERIES") == "1"  # print each query of the product with its time


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: what a process looks up once (content types, settings) is not the figure's
    times, out, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t)
        queries = len(ctx.captured_queries)
    if SHOW_QUERIES:
        for q in ctx.captured_queries:
            print(f"      {float(q['time']) * 1000:8.1f} ms  {q['sql'][:600]}", flush=True)
    return statistics.median(times), out, queries


BULLETIN_SQL = """
WITH c AS (
  SELECT id FROM complaints_case WHERE campaign_id = %(campaign)s AND transferred_at < %(end)s AND status <> 'merged'
), latest AS (
  SELECT DISTINCT ON (r.case_id) r.id, r.status, r.ordered_to_rectify, r.criminal_cases, r.detained_administrative,
         r.detained_criminal, r.interviewed, r.held_accountable
  FROM complaints_handlingresult r JOIN c ON c.id = r.case_id
  WHERE r.review = 'accepted' AND r.submitted_at < %(end)s AND (r.reviewed_at < %(end)s OR r.reviewed_at IS NULL)
  ORDER BY r.case_id, r.version DESC
)
SELECT
  (SELECT count(*) FROM complaints_complaint WHERE campaign_id = %(campaign)s AND received_at < %(end)s),
  (SELECT count(*) FROM complaints_complaint WHERE campaign_id = %(campaign)s AND received_at < %(end)s
     AND status = 'invalid' AND (screened_at < %(end)s OR screened_at IS NULL)),
  (SELECT count(*) FROM c),
  l.closed, l.staged, l.ordered, l.criminal, l.detained, p.enterprises, p.fines
FROM (SELECT count(*) FILTER (WHERE status = 'closed') AS closed, count(*) FILTER (WHERE status = 'staged_closed') AS staged,
             coalesce(sum(ordered_to_rectify), 0) AS ordered, coalesce(sum(criminal_cases), 0) AS criminal,
             coalesce(sum(detained_administrative + detained_criminal), 0) AS detained FROM latest) l,
     (SELECT count(DISTINCT regexp_replace(enterprise_name, '\\s', '', 'g')) AS enterprises, coalesce(sum(amount), 0) AS fines
      FROM complaints_penaltydecision pd JOIN latest ON latest.id = pd.result_id) p
"""

DASHBOARD_SQL = [
    "SELECT intake_day, count(*) FROM complaints_complaint WHERE campaign_id = %(campaign)s"
    " AND intake_day BETWEEN %(start)s AND %(today)s GROUP BY intake_day",
    "SELECT status, count(*) FROM complaints_case WHERE campaign_id = %(campaign)s AND status <> 'merged' GROUP BY status",
    "SELECT verdict, count(*) FROM complaints_case WHERE campaign_id = %(campaign)s AND status <> 'merged'"
    " AND verdict <> '' GROUP BY verdict",
    "SELECT u.code, u.name_zh, count(*) FROM complaints_case c LEFT JOIN orgs_orgunit u ON u.id = c.region_id"
    " WHERE c.campaign_id = %(campaign)s AND c.status IN ('transferred', 'dispatched', 'returned')"
    " AND c.due_date < %(today)s"
    " GROUP BY u.code, u.name_zh",
    "SELECT count(*) FROM complaints_complaint WHERE campaign_id = %(campaign)s AND status IN ('received', 'screened')",
    "SELECT count(*) FILTER (WHERE status IN ('transferred', 'dispatched', 'returned')),"
    " count(*) FILTER (WHERE status IN ('transferred', 'dispatched', 'returned') AND due_date < %(today)s)"
    " FROM complaints_case WHERE campaign_id = %(campaign)s",
]


def measure(url: str, n: int, repeat: int) -> dict[str, Any]:
    pgdb.fresh_django(url)
    from django.db import connection, transaction
    from django.utils import timezone

    from inspectorate.audit.models import AuditEvent, ChainHead
    from inspectorate.complaints.bulletin import KEYS, bulletin
    from inspectorate.complaints.dashboard import complaint_cards
    from inspectorate.complaints.models import Case, Complaint, HandlingResult, PenaltyDecision
    from inspectorate.reports.panels import INTAKE_DAYS, team_charts
    from inspectorate.testing.cast import World

    note = pgdb.note
    with transaction.atomic():
        world = World.build()
    campaign, user, units = world.campaign, world.inspector, [world.county_a, world.city_a]
    today = timezone.localdate()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    params = {"campaign": campaign.pk, "today": today, "start": today - dt.timedelta(days=INTAKE_DAYS - 1)}

    def product_bulletin() -> dict[str, Any]:
        return bulletin([campaign], today)

    def product_dashboard() -> Any:
        return team_charts(user, today), complaint_cards(user)

    def sql_bulletin() -> tuple[Any, ...]:
        with connection.cursor() as cur:
            cur.execute(BULLETIN_SQL, {"campaign": campaign.pk, "end": end})
            return tuple(cur.fetchone())

    def sql_dashboard() -> None:
        with connection.cursor() as cur:
            for sql in DASHBOARD_SQL:
                cur.execute(sql, params)
                cur.fetchall()

    def agree(fig: dict[str, Any], row: tuple[Any, ...]) -> bool:
        mine = (fig["received"], fig["received"] - fig["valid"], fig["transferred"], fig["closed"], fig["staged_closed"],
                fig["ordered_to_rectify"], fig["criminal_cases"], fig["detained"], fig["penalised_enterprises"],
                Decimal(fig["fines_yuan"]))  # fmt: skip
        return tuple(x if isinstance(x, Decimal) else int(x) for x in row) == mine

    # The same campaign and user, first at 1/1000 of the size (indexes in place), then at full size.
    small = max(100, n // 1000)
    head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    seq = load(campaign, units, range(small), head, note)
    _s, fig, small_bq = _timed(product_bulletin, 1)
    _s, row, _q = _timed(sql_bulletin, 1)
    small_agree = agree(fig, row)
    _s, _d, small_dq = _timed(product_dashboard, 1)
    tables = [m._meta.db_table for m in (Complaint, Case, HandlingResult, PenaltyDecision, AuditEvent)]
    with pgdb.bulk_load(tables):
        seq = load(campaign, units, range(small, n), seq, note)
    ChainHead.objects.update_or_create(pk=1, defaults={"last_seq": seq})

    orm_s, fig, big_bq = _timed(product_bulletin, repeat)
    sql_s, row, _q = _timed(sql_bulletin, repeat)
    dash_s, _d, big_dq = _timed(product_dashboard, repeat)
    dsql_s, _r, _q = _timed(sql_dashboard, repeat)
    note(f"bulletin {orm_s * 1000:.0f} ms (hand-written SQL {sql_s * 1000:.0f} ms); dashboard {dash_s * 1000:.0f} ms"
         f" (hand-written SQL {dsql_s * 1000:.0f} ms)")  # fmt: skip
    return {
        "n": n, "small": small,
        "bulletin": {"orm": orm_s, "sql": sql_s, "queries": [small_bq, big_bq], "agree": small_agree and agree(fig, row)},
        "dashboard": {"orm": dash_s, "sql": dsql_s, "queries": [small_dq, big_dq]},
        "keys": len(KEYS),
    }  # fmt: skip


def run(report: Any, *, url: str, n: int, repeat: int = 3) -> None:
    """In the bench process: run `measure` in a child process and print its figures."""
    report.section(f"Bulletin and dashboard over {n:,} cases and {10 * n:,} audit events on PostgreSQL")
    why = pgdb.reachable(url)
    if why:
        report.figure("bulletin and dashboard at scale", f"not measured: PostgreSQL not reachable ({why})")
        return
    res = pgdb.run_child("bench.scale_bench", ["--pg-url", url, "--n", str(n), "--repeat", str(repeat)])
    if isinstance(res, str):
        report.figure("bulletin and dashboard at scale", f"not measured: {res}")
        return
    for part, name in (("bulletin", "bulletin line"), ("dashboard", "team dashboard figures")):
        r = res[part]
        ratio = r["orm"] / r["sql"] if r["sql"] else float("inf")
        report.figure(
            f"{name} over {n:,} cases: product / hand-written SQL",
            f"{ratio:.2f}× ({r['orm'] * 1000:.0f} ms vs {r['sql'] * 1000:.0f} ms)", f"≤ {TARGET}×", ratio <= TARGET,
        )  # fmt: skip
        small_q, big_q = r["queries"]
        report.figure(
            f"{name}: queries at {res['small']:,} cases / at {n:,}", f"{small_q} / {big_q}", "the same", small_q == big_q
        )
        if part == "bulletin":
            report.note(f"   the product's figures equal the hand-written SQL's at both sizes: {r['agree']}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_bench")
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    return pgdb.child_main(args.pg_url, args.out, lambda: measure(args.pg_url, args.n, args.repeat))


if __name__ == "__main__":
    raise SystemExit(main())
