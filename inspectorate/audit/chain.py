"""Appending to and verifying the audit chain (no Django request code here)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from inspectorate.core import rawsql

from .models import AuditEvent, ChainHead

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    raise TypeError(f"cannot put {type(value).__name__} into an audit event")


def _strip_nul(value: Any) -> Any:
    # PostgreSQL's jsonb cannot hold U+0000; it becomes U+FFFD on every database alike.
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_strip_nul(k): _strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    return value


def to_jsonable(value: Any) -> Any:
    """Normalise a before/after payload to plain JSON types (what the database stores)."""
    if value is None:
        return None
    return _strip_nul(json.loads(json.dumps(value, default=_default, ensure_ascii=False)))


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def event_payload(ev: AuditEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "at": ev.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": ev.actor_id,
        "actor_label": ev.actor_label,
        "verb": ev.verb,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "object_repr": ev.object_repr,
        "before": ev.before,
        "after": ev.after,
        "reason": ev.reason,
    }


def compute_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(payload)).encode("utf-8")).hexdigest()


# The head's table is audit_chainhead (ChainHead._meta.db_table; the test of the chain checks it).
_READ_HEAD = "SELECT last_seq, last_hash FROM audit_chainhead WHERE id = 1"
_LOCK_HEAD = "SELECT last_seq, last_hash FROM audit_chainhead WHERE id = 1 FOR UPDATE"
_WRITE_HEAD = "UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1"


def _locked_head() -> tuple[int, str] | None:
    """(last_seq, last_hash) of the chain head, its row locked until the transaction ends (on SQLite the write
    transaction itself is the lock). Plain SQL: this runs for every audited change, and the ORM's compilation of
    the same two statements cost more than running them."""
    with connection.cursor() as cur:
        cur.execute(_LOCK_HEAD if connection.features.has_select_for_update else _READ_HEAD)
        row = cur.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def append(
    *,
    actor: Any,
    verb: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: Any,
    after: Any,
    reason: str,
) -> AuditEvent:
    # savepoint=False: the event lives and dies with the caller's transaction, and a savepoint
    # round-trip per event is measurable on the intake path.
    with transaction.atomic(savepoint=False):
        row = _locked_head()
        if row is None:
            # The migration creates the head row; if it is missing (an emptied database), the first
            # writers race to create it: the losers wait for the winner and then read its row.
            try:
                with transaction.atomic():
                    ChainHead.objects.create(id=1)
            except IntegrityError:
                pass
            row = _locked_head()
            assert row is not None
        last_seq, last_hash = row
        ev = AuditEvent(
            seq=last_seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=(actor.get_username() if getattr(actor, "pk", None) else str(actor or "system"))[:150],
            verb=verb,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=_strip_nul(object_repr[:255]),
            before=to_jsonable(before),
            after=to_jsonable(after),
            reason=_strip_nul(reason),
            prev_hash=last_hash,
        )
        ev.hash = compute_hash(ev.prev_hash, event_payload(ev))
        rawsql.insert(ev)  # the ORM compiled the insert on every audited change
        with connection.cursor() as cur:
            cur.execute(_WRITE_HEAD, [ev.seq, ev.hash])
    return ev


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def verify(batch_size: int = 2000) -> VerifyResult:
    """Walk the whole chain in order and name the first broken link."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    qs = AuditEvent.objects.order_by("seq")
    last_seq = 0
    start = 0
    while True:
        chunk = list(qs.filter(seq__gt=start)[:batch_size])
        if not chunk:
            break
        for ev in chunk:
            if ev.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, f"event #{expected_seq} is missing (next is #{ev.seq})")
            if ev.prev_hash != prev:
                return VerifyResult(False, checked, ev.seq, f"event #{ev.seq} does not link to the previous event")
            if compute_hash(prev, event_payload(ev)) != ev.hash:
                return VerifyResult(False, checked, ev.seq, f"event #{ev.seq} was altered (hash mismatch)")
            prev = ev.hash
            expected_seq += 1
            checked += 1
            last_seq = ev.seq
        start = chunk[-1].seq
    head = ChainHead.objects.filter(id=1).first()
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS
    if head_seq != last_seq:
        return VerifyResult(False, checked, last_seq + 1, f"events #{last_seq + 1}…#{head_seq} were deleted from the end")
    if head_hash != prev:
        return VerifyResult(False, checked, last_seq, f"event #{last_seq} does not match the chain head")
    return VerifyResult(True, checked)
