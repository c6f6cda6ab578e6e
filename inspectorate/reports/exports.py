"""Exporters that run in the background. Each writes a file and reports progress as it goes.

An exporter is `fn(job, fileobj, progress) -> (filename, content_type)`; `progress(done, total)` may be
called as often as convenient (it writes at most every PROGRESS_EVERY rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.http import QueryDict

from inspectorate.accounts.scoping import restrict
from inspectorate.audit.anchors import STAMP_HEADER, export_stamp

PROGRESS_EVERY = 500
Progress = Callable[[int, int], None]


def _counted(rows: Iterable[Any], start: int, total: int, progress: Progress) -> Iterator[Any]:
    n = start
    for row in rows:
        yield row
        n += 1
        if n % PROGRESS_EVERY == 0:
            progress(n, total)
    progress(n, total)


def ledger(job: Any, fileobj: IO[bytes], progress: Progress) -> tuple[str, str]:
    """The rectification ledger (tasks + measures sheets), honouring the list filters and the user's scope."""
    from inspectorate.core.xlsx import StreamingWorkbook
    from inspectorate.rectification.filters import TaskFilter
    from inspectorate.rectification.ledger import MEASURE_COLUMNS, TASK_COLUMNS, measure_rows, task_rows
    from inspectorate.rectification.models import Measure, Task

    qs = TaskFilter(QueryDict(job.query), queryset=restrict(Task.objects.all(), job.user, "view")).qs
    tasks = qs.count()
    total = tasks + Measure.objects.filter(task_id__in=qs.values("pk")).count()
    progress(0, total)
    wb = StreamingWorkbook(fileobj)
    wb.write_sheet("tasks", TASK_COLUMNS, _counted(task_rows(qs), 0, total, progress))
    wb.write_sheet("measures", MEASURE_COLUMNS, _counted(measure_rows(qs), tasks, total, progress))
    wb.write_sheet("audit", STAMP_HEADER, export_stamp())
    wb.close()
    return "ledger.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


EXPORTERS: dict[str, Callable[[Any, IO[bytes], Progress], tuple[str, str]]] = {"ledger": ledger}
