"""For the few statements written out by hand on a hot path (see docs/conventions.md): a column read through a plain
cursor becomes what the ORM would have made of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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
