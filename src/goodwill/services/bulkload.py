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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from goodwill.db.search import PERSON_TEXT

Row = tuple[Any, ...]

# The FTS triggers that fire per inserted row (migration 0002); while a bulk
# load runs they are dropped and their rows are written in one statement.
_FTS_INSERT_TRIGGERS = ("goodwill_fts_person_ai", "goodwill_fts_interaction_ai")


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


@contextmanager
def fts_deferred(workspace_id: int) -> Iterator[None]:
    """Index the workspace's people and notes in two statements instead of a
    trigger per row. SQLite only; must run inside the loading transaction, so
    no other writer ever sees the triggers missing (SQLite DDL is transactional
    and the transaction holds the write lock). Elsewhere it does nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
            list(_FTS_INSERT_TRIGGERS),
        )
        triggers = dict(cur.fetchall())
        for name in triggers:
            cur.execute(f"DROP TRIGGER {name}")
    yield
    with connection.cursor() as cur:
        # The same rows the triggers would have written (see migration 0002).
        if "goodwill_fts_person_ai" in triggers:
            body = PERSON_TEXT.replace("new.", "")
            cur.execute(
                "INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id) "
                f"SELECT id * 2, {body}, id, workspace_id FROM goodwill_person "
                "WHERE workspace_id = %s",
                [workspace_id],
            )
        if "goodwill_fts_interaction_ai" in triggers:
            cur.execute(
                "INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id) "
                "SELECT id * 2 + 1, note, person_id, workspace_id FROM goodwill_interaction "
                "WHERE workspace_id = %s AND note <> ''",
                [workspace_id],
            )
        for sql in triggers.values():
            cur.execute(sql)
