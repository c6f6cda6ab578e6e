"""For the few statements written out by hand on a hot path (see docs/conventions.md): a column read through a plain
cursor becomes what the ORM would have made of it (`column_converter`), and a new object is inserted as `save` would
insert it (`insert`); `bound_cursor` sends a statement's values apart from its text on PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connections, router
from django.db.models import signals


def column_converter(field: Any, connection: Any) -> Callable[[Any, Any], Any] | None:
    """The ORM's conversion of `field`'s column as the database driver returns it (the backend's converters, then the
    field's, as the compiler applies them to a selected column), or None when the value needs none. It is called
    as `convert(value, connection)` with the connection that read the value (a connection belongs to its thread,
    while the converters, chosen by the backend and the field, are the same for every connection of one alias)."""
    col = field.get_col(field.model._meta.db_table)
    converters = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
    if not converters:
        return None

    def convert(value: Any, connection: Any) -> Any:
        for fn in converters:
            value = fn(value, col, connection)
        return value

    return convert


_INSERTS: dict[tuple[type, str, bool], tuple[str, list[Any]]] = {}


def _insert_plan(model: type, alias: str, with_pk: bool) -> tuple[str, list[Any]]:
    """(INSERT statement, the fields whose values it takes) of `model` on `alias`, written out once per process
    from `_meta`. Unless `with_pk`, the auto-incremented id is left out and the statement returns the one the
    database assigns (where the database can return it)."""
    key = (model, alias, with_pk)
    plan = _INSERTS.get(key)
    if plan is None:
        meta = model._meta  # type: ignore[attr-defined]
        if meta.parents or meta.proxy:
            raise TypeError(f"{meta.label}: an insert is written out only for a model with its own single table")
        db = connections[alias]
        qn = db.ops.quote_name
        fields = [f for f in meta.concrete_fields if with_pk or f is not meta.auto_field]
        if any(f.db_returning and f is not meta.pk for f in fields) or any(f.has_db_default() for f in fields):
            raise TypeError(f"{meta.label}: a column the database fills in needs the ORM's insert")
        sql = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
        sql += f" VALUES ({', '.join(['%s'] * len(fields))})"
        if not with_pk and db.features.can_return_columns_from_insert:
            sql += f" RETURNING {qn(meta.pk.column)}"
        plan = _INSERTS[key] = (sql, fields)
    return plan


def insert(obj: Any, *, using: str | None = None) -> None:
    """`obj.save(force_insert=True)` of a new object through a statement written out once per process (see
    `_insert_plan`): `pre_save` and `post_save` sent as `save` sends them, each value prepared by its field as the
    ORM prepares it (`pre_save(obj, add=True)` then `get_db_prep_save`), the id the database assigns set on `obj`."""
    model = type(obj)
    meta = model._meta
    alias = using or router.db_for_write(model, instance=obj)
    db = connections[alias]
    obj._prepare_related_fields_for_save(operation_name="save")
    if signals.pre_save.has_listeners(model):
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    with_pk = meta.auto_field is None or obj.pk is not None
    sql, fields = _insert_plan(model, alias, with_pk)
    with db.cursor() as cur:
        cur.execute(sql, [f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields])
        if not with_pk:
            row = cur.fetchone() if db.features.can_return_columns_from_insert else None
            pk = row[0] if row else db.ops.last_insert_id(cur, meta.db_table, meta.pk.column)
            obj.pk = meta.pk.to_python(pk)
    obj._state.adding = False
    obj._state.db = alias
    if signals.post_save.has_listeners(model):
        signals.post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False, using=alias)


@contextlib.contextmanager
def bound_cursor(connection: Any) -> Iterator[Any]:
    """`connection.cursor()`, except that on PostgreSQL the values travel apart from the statement (psycopg's
    `Cursor`, server-side binding; Django's default `ClientCursor` writes them into the statement's text, which
    the server then parses whole). For a statement with large parameters run on a hot path, such as the duplicate
    candidates' key arrays: the same text every time, so psycopg also prepares it after a few runs. Everything
    else about the cursor is Django's: its wrapper, its error translation, its time zone handling."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    connection.ensure_connection()
    raw = connection.connection
    factory = raw.cursor_factory
    raw.cursor_factory = ServerBindingCursor  # a connection belongs to one thread: no one else sees the switch
    try:
        cursor = connection.cursor()
    finally:
        raw.cursor_factory = factory
    with cursor:
        yield cursor
