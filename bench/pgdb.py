"""Throwaway PostgreSQL databases for the bench parts that load millions of rows (pgcheck, scale).

Each such part runs in a child process of its own (Django is set up once per process, and the rest of the bench
uses its own SQLite file): `run_child` starts it and reads back its JSON answer; in the child, `child_main` sets
Django up on a fresh database (`fresh_django`: dropped if it exists, created, migrated), runs the part's
`measure`, and always drops the database again. `bulk_load` drops the tables' secondary indexes and constraints
for a COPY (`copy_rows`) and creates them again afterwards (the schema measured is the migrated one), then ANALYZE.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def admin_url(url: str) -> tuple[str, str]:
    """(URL of the server's `postgres` database, name of the database `url` names)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, "")), parts.path.lstrip("/")


def reachable(url: str) -> str:
    """ "" when the server answers, else why not."""
    import psycopg

    admin, _ = admin_url(url)
    try:
        psycopg.connect(admin, connect_timeout=3, autocommit=True).close()
    except psycopg.OperationalError as err:
        return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return ""


def recreate(url: str, drop_only: bool = False) -> None:
    import psycopg

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def note(text: str) -> None:
    print(f"   {text}", flush=True)


def rows_in(url: str, table: str) -> int | None:
    """How many rows `table` of the database `url` holds; None when there is no such database or table."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608 (a model's table name)
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return None
    return int(row[0]) if row else None


def django_on(url: str) -> None:
    """In the child: Django set up on `url` as it is (a database kept by an earlier run)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()


def fresh_django(url: str) -> None:
    """In the child: Django set up on `url`, the database created anew and migrated."""
    django_on(url)
    fresh_database(url)


def fresh_database(url: str) -> None:
    """With Django set up on `url` (`django_on`): the database dropped if it exists, created and migrated."""
    from django.core.management import call_command

    t = time.perf_counter()
    recreate(url)
    call_command("migrate", verbosity=0, interactive=False)
    note(f"database created and migrated in {time.perf_counter() - t:.0f} s")


def _secondary(cursor: Any, table: str) -> tuple[list[str], list[str]]:
    """(statements dropping, statements creating) the table's indexes and constraints other than its key."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype <> 'p'",
        [table],
    )
    cons = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    idx = cursor.fetchall()
    drop = [f'ALTER TABLE "{table}" DROP CONSTRAINT "{n}"' for n, _ in cons] + [f'DROP INDEX "{n}"' for n, _ in idx]
    create = [d for _, d in idx] + [f'ALTER TABLE "{table}" ADD CONSTRAINT "{n}" {d}' for n, d in cons]
    return drop, create


@contextmanager
def bulk_load(tables: list[str]) -> Iterator[None]:
    """Secondary indexes and constraints of `tables` dropped inside the block, created again after it; ANALYZE."""
    from django.db import connection

    drops: list[str] = []
    creates: list[str] = []
    with connection.cursor() as cur:
        for table in tables:
            d, c = _secondary(cur, table)
            drops += d
            creates = c + creates
        for sql in drops:
            cur.execute(sql)
    yield
    t = time.perf_counter()
    with connection.cursor() as cur:
        for sql in creates:
            cur.execute(sql)
        for table in tables:
            cur.execute(f'ANALYZE "{table}"')
    connection.connection.commit()
    note(f"indexes and constraints created again, ANALYZE: {time.perf_counter() - t:.0f} s")


def copy_rows(model: Any, template: Any, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows of `model`: each row's values over the template instance's (its defaults and constants)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type().endswith("AutoField"))]
    constant = {f.column: f.get_db_prep_save(f.pre_save(template, True), connection) for f in fields}
    columns = [f.column for f in fields]
    quoted = ", ".join(f'"{c}"' for c in columns)
    n = 0
    with connection.connection.cursor() as cur, cur.copy(f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN') as copy:
        for r in rows:
            row = dict(constant)
            row.update(r)
            copy.write_row([row[c] for c in columns])
            n += 1
    return n


def run_child(module: str, args: list[str]) -> dict[str, Any] | str:
    """Run `python -m module args --out FILE`: its JSON answer, or why there is none."""
    out = Path(tempfile.gettempdir()) / f"{module.rsplit('.', 1)[-1]}-{os.getpid()}.json"
    done = subprocess.run([sys.executable, "-m", module, *args, "--out", str(out)], cwd=ROOT, check=False)
    if done.returncode != 0 or not out.exists():
        return f"the child failed ({done.returncode})"
    res: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return res


def child_main(url: str, out: str, measure: Callable[[], dict[str, Any]], keep: bool = False) -> int:
    """In the child: `measure()` (which calls `fresh_django(url)` first), its answer written to `out`, the database
    dropped whatever happens (unless `keep`: to measure again without loading it again)."""
    try:
        res = measure()
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            recreate(url, drop_only=True)
    Path(out).write_text(json.dumps(res))
    return 0
