"""The audit chain: appending, verifying, and detecting edits, deletions and truncation."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from inspectorate import audit
from inspectorate.audit.chain import verify
from inspectorate.audit.models import AuditEvent, ChainHead
from inspectorate.testing.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(n: int) -> None:
    user = UserFactory()
    unit = OrgUnitFactory()
    for i in range(n):
        audit.record(user, "org_unit.update", unit, before={"i": i}, after={"i": i + 1, "name": "岳阳"}, reason=f"r{i}")


def test_chain_verifies_and_links():
    _events(5)
    result = verify()
    assert result.ok and result.checked == 5
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[0].prev_hash == "0" * 64
    for a, b in itertools.pairwise(events):
        assert b.prev_hash == a.hash
    head = ChainHead.objects.get(id=1)  # the head written by plain SQL (chain._WRITE_HEAD) names the table's last event
    assert ChainHead._meta.db_table == "audit_chainhead"
    assert (head.last_seq, head.last_hash) == (events[-1].seq, events[-1].hash)


def test_edited_row_is_named():
    _events(5)
    AuditEvent.objects.filter(seq=3).update(after={"i": 999})
    result = verify()
    assert not result.ok and result.broken_seq == 3
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


def test_backdated_row_is_detected():
    _events(3)
    ev = AuditEvent.objects.get(seq=2)
    AuditEvent.objects.filter(pk=ev.pk).update(at=ev.at.replace(year=ev.at.year - 1))
    assert verify().broken_seq == 2


def test_deleted_middle_row_is_detected():
    _events(5)
    AuditEvent.objects.filter(seq=2).delete()
    result = verify()
    assert not result.ok and result.broken_seq == 2


def test_deleted_last_rows_are_detected():
    _events(5)
    AuditEvent.objects.filter(seq__gte=4).delete()
    result = verify()
    assert not result.ok and result.broken_seq == 4


def test_rehashed_forgery_is_detected_by_the_next_link():
    """Re-computing one row's hash after editing it still breaks the link from the next row."""
    from inspectorate.audit.chain import compute_hash, event_payload

    _events(4)
    ev = AuditEvent.objects.get(seq=2)
    ev.reason = "forged"
    ev.hash = compute_hash(ev.prev_hash, event_payload(ev))
    AuditEvent.objects.filter(pk=ev.pk).update(reason="forged", hash=ev.hash)
    assert verify().broken_seq == 3


def test_command_passes_on_intact_chain(capsys):
    _events(2)
    call_command("verify_audit")
    assert "2" in capsys.readouterr().out


class ChainProperties(HypothesisTestCase):
    @settings(max_examples=15, deadline=None)
    @given(
        payloads=st.lists(
            st.dictionaries(
                st.text(min_size=1, max_size=5), st.one_of(st.integers(-(2**40), 2**40), st.text(max_size=8), st.booleans())
            ),
            min_size=1,
            max_size=6,
        ),
        victim=st.integers(min_value=0, max_value=5),
    )
    def test_any_history_verifies_and_any_edit_breaks_it(self, payloads, victim):
        AuditEvent.objects.all().delete()
        from inspectorate.audit.models import ChainHead

        ChainHead.objects.all().delete()
        unit = OrgUnitFactory()
        for p in payloads:
            audit.record("system", "test.write", unit, after=p)
        assert verify().ok
        seq = victim % len(payloads) + 1
        AuditEvent.objects.filter(seq=seq).update(reason="tampered")
        assert verify().broken_seq == seq


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    """Threads appending at once (real concurrency on PostgreSQL; serialised by SQLite) never fork the chain."""
    import threading

    from django.db import connection, transaction

    unit = OrgUnitFactory()
    errors: list[BaseException] = []

    def writer(n: int, own_connection: bool = True) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit.record("system", "test.concurrent", unit, after={"writer": n, "i": i})
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            if own_connection:
                connection.close()

    if connection.vendor == "sqlite":
        # The in-memory test database uses SQLite's shared cache, which reports "table is locked"
        # instead of waiting; SQLite serialises writers anyway, so run them one after another.
        for n in range(4):
            writer(n, own_connection=False)
    else:
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    result = verify()
    assert result.ok and result.checked == AuditEvent.objects.count() == 40


def test_appended_event_reads_back_as_written():
    """The event is inserted by a statement written out once per process (core.rawsql.insert): what the database holds is
    what the ORM would have stored, and the returned object carries the new row's id."""
    user = UserFactory()
    unit = OrgUnitFactory(name_zh="岳阳市")
    payload = {"名称": "岳阳市", "n": [1, 2.5, None, True], "nested": {"k": "\u4e00"}}
    first = audit.record(user, "org_unit.update", unit, before=None, after=payload, reason="整改\n说明")
    second = audit.record("system", "org_unit.update", unit, before=payload, after={}, reason="")
    assert first.pk is not None and second.pk is not None and first.pk != second.pk
    assert not first._state.adding
    for ev in (first, second):
        stored = AuditEvent.objects.get(pk=ev.pk)
        assert {f.attname: getattr(stored, f.attname) for f in AuditEvent._meta.concrete_fields} == {
            f.attname: getattr(ev, f.attname) for f in AuditEvent._meta.concrete_fields
        }
    assert AuditEvent.objects.filter(after__名称="岳阳市").get().pk == first.pk  # JSON stored as JSON, queryable
    assert verify().ok
