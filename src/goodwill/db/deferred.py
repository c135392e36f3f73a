"""Rows the database derives from people and notes by triggers, written in bulk.

SQLite's per-row insert triggers (the full-text index, migration 0002; the names'
trigram index, 0011; the people count, 0013) cost more per row than a bulk load
spends on the row itself. While a load runs they are dropped and, at its end, one
statement per trigger writes what they would have written. PostgreSQL's people
count runs per statement, so a load that inserts row by row sets
``goodwill.bulk`` for its transaction (the trigger then does nothing) and writes
the count once at the end; its indexes need nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

from .search import PERSON_DOC

# The people count of the rows matching {where}, added to the workspace's (both databases).
_COUNT = (
    "INSERT INTO goodwill_peoplecount (workspace_id, people) "
    "SELECT workspace_id, count(*) FROM goodwill_person WHERE {where} GROUP BY workspace_id "
    "ON CONFLICT (workspace_id) "
    "DO UPDATE SET people = goodwill_peoplecount.people + excluded.people"
)

# SQLite: trigger -> (its table, the statement writing the same for every row of the
# table matching {where}).
_INSERT_TRIGGERS = {
    "goodwill_fts_person_ai": (
        "goodwill_person",
        "INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id) "
        f"SELECT id * 2, {PERSON_DOC}, id, workspace_id FROM goodwill_person "
        "WHERE {where}",
    ),
    "goodwill_name_trgm_ai": (
        "goodwill_person",
        "INSERT INTO goodwill_name_trgm(rowid, name) SELECT id, name FROM goodwill_person "
        "WHERE {where}",
    ),
    "goodwill_count_person_ai": ("goodwill_person", _COUNT),
    "goodwill_fts_interaction_ai": (
        "goodwill_interaction",
        "INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id) "
        "SELECT id * 2 + 1, note, person_id, workspace_id FROM goodwill_interaction "
        "WHERE note <> '' AND {where}",
    ),
}


@contextmanager
def derived_deferred(tables: Sequence[str], where: str, params: Sequence[object]) -> Iterator[None]:
    """Write what the insert triggers of ``tables`` derive from the rows matching
    ``where`` (SQL on those tables' own columns) in one statement each, after the
    block, instead of per inserted row. ``where`` must match exactly the rows the
    block inserts.

    Must run inside the loading transaction: no other connection ever sees the
    triggers missing (SQLite's DDL is transactional and the transaction holds the
    write lock), and PostgreSQL's setting ends with the transaction."""
    if connection.vendor != "sqlite":
        counted = "goodwill_person" in tables
        if counted:
            with connection.cursor() as cur:
                cur.execute("SET LOCAL goodwill.bulk = '1'")
        yield
        if counted:
            with connection.cursor() as cur:
                cur.execute("SET LOCAL goodwill.bulk = ''")
                cur.execute(_COUNT.format(where=where), list(params))
        return
    wanted = [name for name, (table, _) in _INSERT_TRIGGERS.items() if table in tables]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
            f"({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        triggers = dict(cur.fetchall())
        for name in triggers:
            cur.execute(f"DROP TRIGGER {name}")
    yield
    with connection.cursor() as cur:
        for name, sql in triggers.items():
            cur.execute(_INSERT_TRIGGERS[name][1].format(where=where), list(params))
            cur.execute(sql)
