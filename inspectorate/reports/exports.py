"""Exporters that run in the background. Each writes a file and reports progress as it goes.

An exporter is `fn(job, fileobj, progress) -> (filename, content_type)`; `progress(done, total)` may be
called as often as convenient (the ledger calls it every 500 rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.http import QueryDict
from django.utils import translation

from inspectorate.accounts.scoping import restrict

Progress = Callable[[int, int], None]


def ledger(job: Any, fileobj: IO[bytes], progress: Progress) -> tuple[str, str]:
    """The rectification ledger (tasks + measures sheets), honouring the list filters and the user's scope."""
    from inspectorate.rectification.filters import TaskFilter
    from inspectorate.rectification.ledger import write_ledger
    from inspectorate.rectification.models import Task

    qs = TaskFilter(QueryDict(job.query), queryset=restrict(Task.objects.all(), job.user, "view")).qs
    with translation.override(job.language or None):  # in the language of the person who asked for it
        write_ledger(qs, fileobj, user=job.user, progress=progress)
    return "ledger.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


EXPORTERS: dict[str, Callable[[Any, IO[bytes], Progress], tuple[str, str]]] = {"ledger": ledger}
