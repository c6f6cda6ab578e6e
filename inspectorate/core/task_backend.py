"""The task queue's backend: django-tasks' database backend, with the row of a new task inserted by a statement
written out once per process (`core.rawsql.insert`, see docs/conventions.md) instead of compiled by the ORM.

Every complaint received queues its triage (`complaints.actions.triage.queue`), so enqueueing is on the intake's
hot path (`make bench`, intake throughput): the ORM's `create` compiled the same INSERT for every complaint, and the
library built the task's result object twice (once for the `task_enqueued` signal, once to return).  The row,
the signal and the result are the library's own; the worker (`manage.py db_worker`) is unchanged.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.backend import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued

from . import rawsql


class DatabaseBackend(LibraryDatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult

        row: Any = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        rawsql.insert(row)
        return row

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result
