"""Fast bulk loading for generated networks (the demo, and benchmarks at 1M rows).

Rows are plain tuples written with one ``executemany`` per table and chunk:
building a Django model instance per row would cost more than the insert.
Ids are allocated up front (:func:`next_ids`), so children can be written
before their parents: Django declares foreign keys DEFERRABLE INITIALLY
DEFERRED on SQLite and PostgreSQL, and they are checked at commit.

Columns the caller does not give get their field default, so a field added
to a model later does not break the loader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

Row = tuple[Any, ...]


class Table:
    """An INSERT statement for ``model`` with ``columns`` given per row."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        given = set(columns)
        rest: list[str] = []
        defaults: list[Any] = []
        for f in model._meta.concrete_fields:
            if f.column in given or f.primary_key:
                continue
            rest.append(str(f.column))
            defaults.append(f.get_db_prep_save(f.get_default(), connection))
        self.defaults = tuple(defaults)
        names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *rest])
        marks = ", ".join(["%s"] * (len(columns) + len(rest)))
        self.sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: E501
        self.count = 0

    def write(self, rows: Sequence[Row]) -> None:
        """Insert ``rows`` (one statement); a no-op for none."""
        if not rows:
            return
        if self.defaults:
            rows = [row + self.defaults for row in rows]
        with connection.cursor() as cur:
            cur.executemany(self.sql, rows)
        self.count += len(rows)


def next_ids(tables: Sequence[type[models.Model]]) -> dict[type[models.Model], int]:
    """The first free id of each table (across workspaces: ids are global).

    Only a loader that allocates ids itself needs this; it runs inside the
    loader's write transaction."""
    parts = " UNION ALL ".join(
        f"SELECT {i}, max(id) FROM {connection.ops.quote_name(m._meta.db_table)}"
        for i, m in enumerate(tables)
    )
    with connection.cursor() as cur:
        cur.execute(parts)
        found = {int(i): (top or 0) for i, top in cur.fetchall()}
    return {m: found[i] + 1 for i, m in enumerate(tables)}


def reset_sequences(tables: Sequence[type[models.Model]]) -> None:
    """After explicit ids, move PostgreSQL's sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(tables))
    if statements:
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
