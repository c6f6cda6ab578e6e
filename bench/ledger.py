"""Ledger export benchmark (issue 5): 100,000 tasks to xlsx in streaming mode vs the same rows through csv.writer.

Targets: xlsx time ≤ 3× csv time; peak memory of the streaming export ≤ 300 MB.
`run()` returns the lines to print; `python -m bench.ledger` prints them.

1. The writers alone: the same 100,000 in-memory ledger rows through `csv.writer` and through the
   streaming xlsx writer (`inspectorate.core.xlsx`, what the export endpoint uses).
2. When Django is already set up on a migrated throwaway SQLite database in the temp folder (as
   `python -m bench` does), also end to end: 100,000 tasks + 200,000 measures are seeded, then the real
   `ledger.write_ledger` (database → xlsx, both sheets) is timed against the same rows to csv (adds ~3 min).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import os
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Iterator

N_TASKS = 100_000
RATIO_TARGET = 3.0
MEMORY_TARGET_MB = 300


def _rows(n: int) -> Iterator[list[object]]:
    """Rows shaped like the ledger's tasks sheet (20 columns, Chinese text, dates, numbers)."""
    base = dt.date(2021, 3, 1)
    for i in range(n):
        yield [
            f"{i // 8 + 1}.{i % 8 + 1}",
            str(i // 8 + 1),
            f"第{i // 8 + 1}项问题：历史遗留矿区生态修复滞后，地下水氨氮超标",
            "central_feedback",
            "time_limited",
            "common",
            f"完成第{i}项整改任务，建立长效机制，确保问题不反弹",
            "分管副总经理",
            f"UNIT-{i % 50}",
            f"UNIT-{i % 7};UNIT-{i % 11}",
            "ACCEPT-1",
            base + dt.timedelta(days=i % 900),
            "no",
            "",
            i % 101,
            "in_progress",
            "",
            None,
            None,
            None,
        ]


def _csv(rows: object, path: str) -> float:
    t = time.perf_counter()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for r in rows:  # type: ignore[attr-defined]
            w.writerow(r)
    return time.perf_counter() - t


def _xlsx(rows: object, path: str) -> float:
    from inspectorate.core.xlsx import StreamingWorkbook

    header = [f"c{i}" for i in range(20)]
    t = time.perf_counter()
    with open(path, "wb") as fh:
        wb = StreamingWorkbook(fh)
        wb.write_sheet("tasks", header, rows)  # type: ignore[arg-type]
        wb.close()
    return time.perf_counter() - t


def _throwaway_db() -> bool:
    """True when Django is set up on a migrated SQLite database inside the temp folder (as `python -m bench` does)."""
    try:
        from django.apps import apps
        from django.db import connection
    except ImportError:
        return False
    if not apps.ready or connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict.get("NAME") or "")
    return name.startswith(tempfile.gettempdir()) and "rectification_task" in connection.introspection.table_names()


def _end_to_end(n: int) -> list[str]:
    """Seed n tasks (2 measures each) in the throwaway database, then export them: database → xlsx vs database → csv."""
    from django.db import transaction

    from inspectorate.campaigns.models import Campaign
    from inspectorate.orgs.models import OrgUnit
    from inspectorate.rectification.ledger import measure_rows, task_rows, write_ledger
    from inspectorate.rectification.models import Leader, Measure, Problem, Task, natural_key

    with transaction.atomic():
        unit = OrgUnit.objects.create(kind="enterprise", unit_type="group", code="BENCH-LEDGER", name_zh="基准集团")
        campaign = Campaign.objects.create(
            code="bench-ledger", name_zh="台账基准", level="group", inspecting_unit=unit, stationing_start=dt.date(2021, 6, 1)
        )
        campaign.targets.set([unit])
        leader = Leader.objects.create(name="分管副总经理", unit=unit)
        problems = Problem.objects.bulk_create(
            [
                Problem(
                    campaign=campaign,
                    unit=unit,
                    number=str(p),
                    sort_key=natural_key(str(p)),
                    title=f"第{p}项问题",
                    source="self_found",
                )
                for p in range(1, n // 8 + 2)
            ]
        )
        for lo in range(0, n, 10_000):  # in chunks, to keep the seeding's memory small
            tasks = [
                Task(
                    campaign=campaign,
                    problem=problems[i // 8],
                    number=f"{i // 8 + 1}.{i % 8 + 1}",
                    sort_key=natural_key(f"{i // 8 + 1}.{i % 8 + 1}"),
                    goal=f"完成第{i}项整改任务，建立长效机制",
                    lead_leader=leader,
                    lead_unit=unit,
                    acceptance_unit=unit,
                    deadline=dt.date(2022, 1, 1) + dt.timedelta(days=i % 700),
                    progress=i % 101,
                )
                for i in range(lo, min(n, lo + 10_000))
            ]
            Task.objects.bulk_create(tasks, batch_size=2000)
            Measure.objects.bulk_create(
                [Measure(task=t, number=k, text=f"措施{k}", milestone=dt.date(2021, 9, 1)) for t in tasks for k in (1, 2)],
                batch_size=5000,
            )
    qs = Task.objects.filter(campaign=campaign)
    with tempfile.TemporaryDirectory() as tmp:

        def to_csv() -> float:
            t0 = time.perf_counter()
            with open(os.path.join(tmp, "l.csv"), "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                for r in task_rows(qs):
                    w.writerow(r)
                for r in measure_rows(qs):
                    w.writerow(r)
            return time.perf_counter() - t0

        def to_xlsx() -> float:
            t0 = time.perf_counter()
            with open(os.path.join(tmp, "l.xlsx"), "wb") as fh:
                write_ledger(qs, fh)
            return time.perf_counter() - t0

        to_csv()  # warm the database cache for both
        csv_s = min(to_csv() for _ in range(2))
        xlsx_s = min(to_xlsx() for _ in range(2))
        tracemalloc.start()
        to_xlsx()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return [
        f"ledger export from the database, {n:,} tasks + {2 * n:,} measures: xlsx {xlsx_s:.2f} s, csv {csv_s:.2f} s, "
        f"ratio {xlsx_s / csv_s:.2f}× (target ≤ {RATIO_TARGET:.0f}×); "
        f"peak traced memory {peak / 1e6:.0f} MB (target ≤ {MEMORY_TARGET_MB} MB)"
    ]


def run(n: int = N_TASKS) -> list[str]:
    extra = _end_to_end(n) if _throwaway_db() else []
    rows = list(_rows(n))
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, xlsx_path = os.path.join(tmp, "ledger.csv"), os.path.join(tmp, "ledger.xlsx")
        # Interleaved, best of three: other work on the machine disturbs both writers alike.
        csv_times, xlsx_times = [], []
        for _ in range(3):
            csv_times.append(_csv(rows, csv_path))
            xlsx_times.append(_xlsx(rows, xlsx_path))
        csv_s, xlsx_s = min(csv_times), min(xlsx_times)
        size_mb = os.path.getsize(xlsx_path) / 1e6
        del rows
        gc.collect()
        # Peak memory of a streaming export whose rows arrive in a stream (as from the database in chunks).
        tracemalloc.start()
        _xlsx(_rows(n), xlsx_path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        from openpyxl import load_workbook

        wb = load_workbook(xlsx_path, read_only=True)
        first = [r for _, r in zip(range(3), wb["tasks"].iter_rows(values_only=True), strict=False)]
        wb.close()
        readable = len(first) == 3 and first[1][0] == "1.1"
    ratio = xlsx_s / csv_s
    peak_mb = peak / 1e6
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok_ratio = "OK" if ratio <= RATIO_TARGET else "OVER TARGET"
    ok_mem = "OK" if peak_mb <= MEMORY_TARGET_MB else "OVER TARGET"
    return [
        f"ledger export, {n:,} tasks: xlsx (streaming) {xlsx_s:.2f} s, csv.writer {csv_s:.2f} s, "
        f"ratio {ratio:.2f}× (target ≤ {RATIO_TARGET:.0f}×) {ok_ratio}",
        f"ledger export peak memory (tracemalloc, streamed rows): {peak_mb:.1f} MB (target ≤ {MEMORY_TARGET_MB} MB) {ok_mem}; "
        f"process max RSS {rss_mb:.0f} MB; file {size_mb:.1f} MB, openpyxl reads it: {'yes' if readable else 'NO'}",
        *extra,
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
