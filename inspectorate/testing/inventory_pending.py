"""Routes not yet in the route inventory (see inventory.py): this list only shrinks."""

PENDING: list[str] = []
