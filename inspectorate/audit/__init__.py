"""Audit: `from inspectorate.audit import record` appends a hash-chained event."""

from __future__ import annotations

from typing import Any


def record(actor: Any, verb: str, obj: Any, before: Any = None, after: Any = None, reason: str = "") -> Any:
    """Append an audit event for `obj` (a model instance) and return it.

    Call it inside the action's transaction: if the action rolls back, so does the event.
    """
    from .chain import append

    meta = obj._meta
    return append(
        actor=actor,
        verb=verb,
        object_type=f"{meta.app_label}.{meta.model_name}",
        object_id=str(obj.pk),
        object_repr=str(obj),
        before=before,
        after=after,
        reason=reason,
    )


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after payloads."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if getattr(f, "encrypted", False) or f.name == "password":
            out[f.name] = "***" if getattr(obj, f.attname) else ""
            continue
        out[f.name] = getattr(obj, f.attname)
    for f in obj._meta.many_to_many:
        if fields is not None and f.name not in fields:
            continue
        if obj.pk:
            out[f.name] = sorted(str(pk) for pk in getattr(obj, f.name).values_list("pk", flat=True))
    return out
