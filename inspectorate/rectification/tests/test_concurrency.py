"""Two people signing the same task at the same time: exactly one succeeds.

On PostgreSQL two threads race through real transactions (the conditional UPDATE …
WHERE signoff_step = 'site_verified' lets one through, the other sees 0 rows after the
first commits). SQLite serialises writers, so there the same race is run sequentially
with two stale copies of the task.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from inspectorate.rectification import actions
from inspectorate.rectification.models import SignOffStep, Task
from inspectorate.testing.cast import World

from .conftest import build
from .test_signoff import ready


def _at_site_verified():  # type: ignore[no-untyped-def]
    rect = build(World.build())
    task = ready(rect, rect.task())
    actions.apply_sign_off(task, actor=rect.w.handler_a)
    actions.verify(task, actor=rect.acceptance3, conclusion="ok")  # the verifier does not sign
    return rect, task


@pytest.mark.django_db(transaction=True)
def test_two_signers_at_once_exactly_one_wins():
    rect, task = _at_site_verified()
    signers = [rect.acceptance, rect.acceptance2]
    results: list[str] = []
    if connection.vendor != "postgresql":
        copies = [Task.objects.select_related("acceptance_unit").get(pk=task.pk) for _ in signers]
        for copy, user in zip(copies, signers, strict=True):
            try:
                actions.sign(copy, actor=user)
                results.append("ok")
            except ValidationError:
                results.append("refused")
    else:
        barrier = threading.Barrier(len(signers))
        lock = threading.Lock()

        def run(user):  # type: ignore[no-untyped-def]
            from django.db import connections

            try:
                copy = Task.objects.select_related("acceptance_unit").get(pk=task.pk)
                barrier.wait(timeout=10)
                actions.sign(copy, actor=user)
                outcome = "ok"
            except ValidationError:
                outcome = "refused"
            except Exception as exc:  # pragma: no cover - reported below
                outcome = f"error: {exc!r}"
            finally:
                connections.close_all()
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=run, args=(u,)) for u in signers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert sorted(results) == ["ok", "refused"], results
    task.refresh_from_db()
    assert task.signoff_step == SignOffStep.SIGNED
    assert task.signed_by_id in {u.pk for u in signers}
