"""`core.rawsql.insert`, the written-out INSERT of the audit chain and of the task queue's backend: the row it stores
is the one the ORM's `save` stores (field for field, read back through the ORM), the model signals are sent as
`save` sends them, and a task queued through the backend is read, listed and run by django-tasks as before
(both databases)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import signals
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult, get_date_max

from inspectorate.audit.models import AuditEvent
from inspectorate.complaints.tasks import generate_notices
from inspectorate.core import rawsql
from inspectorate.core.task_backend import DatabaseBackend

pytestmark = pytest.mark.django_db


def _values(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}  # type: ignore[attr-defined]


def _task_row(**extra: object) -> DBTaskResult:
    return DBTaskResult(
        args_kwargs={"args": ["松阳湖", 3], "kwargs": {"n": None, "深": [1.5, True]}},
        task_path="inspectorate.complaints.tasks.generate_notices", backend_name="default", **extra,
    )  # fmt: skip


def test_a_row_with_its_own_id_is_stored_as_the_orm_stores_it():
    mine, theirs = _task_row(), _task_row()
    before = timezone.now()
    rawsql.insert(mine)
    theirs.save(force_insert=True)
    assert not mine._state.adding and mine._state.db == "default"
    stored_mine, stored_theirs = DBTaskResult.objects.get(pk=mine.pk), DBTaskResult.objects.get(pk=theirs.pk)
    assert _values(stored_mine) == _values(mine)  # what the caller holds is what was stored
    differ = {"id", "enqueued_at"}
    assert {k: v for k, v in _values(stored_mine).items() if k not in differ} == {
        k: v for k, v in _values(stored_theirs).items() if k not in differ
    }
    assert stored_mine.enqueued_at >= before  # auto_now_add filled in by the field, as save does
    assert stored_mine.run_after == get_date_max()  # the library's pre_save receiver ran
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__深=[1.5, True]).count() == 2  # JSON stays JSON


def test_a_database_assigned_id_is_read_back():
    first = AuditEvent(seq=10_001, at=timezone.now(), actor_label="system", verb="x.y", object_type="t", object_id="1")
    second = AuditEvent(seq=10_002, at=timezone.now(), actor_label="system", verb="x.y", object_type="t", object_id="2")
    for n, ev in enumerate((first, second)):
        ev.hash, ev.prev_hash = str(n) * 64, "0" * 64
        rawsql.insert(ev)
    assert isinstance(first.pk, int) and isinstance(second.pk, int) and second.pk > first.pk
    assert AuditEvent.objects.get(pk=second.pk).object_id == "2"


def test_model_signals_are_sent_as_save_sends_them():
    seen: list[tuple[str, bool, object]] = []

    def before(sender: type, instance: DBTaskResult, raw: bool, using: str, update_fields: object, **kw: object) -> None:
        seen.append(("pre", instance._state.adding, update_fields))

    def after(sender: type, instance: DBTaskResult, created: bool, **kw: object) -> None:
        seen.append(("post", created, instance._state.adding))

    signals.pre_save.connect(before, sender=DBTaskResult, dispatch_uid="rawsql-test-pre")
    signals.post_save.connect(after, sender=DBTaskResult, dispatch_uid="rawsql-test-post")
    try:
        rawsql.insert(_task_row())
    finally:
        signals.pre_save.disconnect(dispatch_uid="rawsql-test-pre", sender=DBTaskResult)
        signals.post_save.disconnect(dispatch_uid="rawsql-test-post", sender=DBTaskResult)
    assert seen == [("pre", True, None), ("post", True, False)]


def test_a_task_queued_through_the_backend_is_the_librarys_task():
    assert isinstance(task_backends["default"], DatabaseBackend)
    later = timezone.now() + dt.timedelta(days=2)
    queued = generate_notices.using(priority=7, run_after=later).enqueue("00000000-0000-0000-0000-000000000000")
    fetched = generate_notices.get_result(queued.id)
    assert (fetched.id, fetched.status, fetched.args, fetched.kwargs) == (
        queued.id, "READY", ["00000000-0000-0000-0000-000000000000"], {},
    )  # fmt: skip
    assert fetched.task.priority == 7 and fetched.task.run_after == later
    assert fetched.enqueued_at == queued.enqueued_at
    row = DBTaskResult.objects.get(pk=queued.id)
    assert row.backend_name == "default" and row.task_path == "inspectorate.complaints.tasks.generate_notices"
    assert not DBTaskResult.objects.ready().filter(pk=queued.id).exists()  # deferred: not ready before run_after


@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it is done
def test_the_worker_runs_a_task_queued_through_the_backend():
    queued = generate_notices.enqueue("00000000-0000-0000-0000-000000000000")
    assert DBTaskResult.objects.ready().filter(pk=queued.id).exists()
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO())
    done = generate_notices.get_result(queued.id)
    assert done.status == "SUCCESSFUL" and done.return_value == 0  # no such batch: no notice to write
