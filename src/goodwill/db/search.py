"""Full-text search queries (the indexes are built in migrations 0002 and 0011),
and writing those indexes in bulk."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

_WORD = re.compile(r"\w+", re.UNICODE)

# The text of a person that search sees (also used by migration 0002 to build the index).
PERSON_TEXT = (
    "coalesce(new.name,'') || ' ' || coalesce(new.email,'') || ' ' || coalesce(new.title,'')"
    " || ' ' || coalesce(new.industry,'') || ' ' || coalesce(new.needs,'') || ' ' ||"
    " coalesce(new.offers,'') || ' ' || coalesce(new.goals,'') || ' ' || coalesce(new.notes,'')"
    " || ' ' || coalesce(new.personal,'') || ' ' || coalesce(new.location,'')"
)

PERSON_DOC = PERSON_TEXT.replace("new.", "")

# SQLite's per-row insert triggers of the search indexes, and the one statement that
# writes the same rows for every row of a table matching ``{where}`` (migrations 0002
# and 0011). Bulk loads drop the triggers and run these instead: see index_deferred.
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
    "goodwill_fts_interaction_ai": (
        "goodwill_interaction",
        "INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id) "
        "SELECT id * 2 + 1, note, person_id, workspace_id FROM goodwill_interaction "
        "WHERE note <> '' AND {where}",
    ),
}


@contextmanager
def index_deferred(tables: Sequence[str], where: str, params: Sequence[object]) -> Iterator[None]:
    """Index the rows of ``tables`` that match ``where`` (SQL on those tables' own
    columns) in one statement per index instead of a trigger per inserted row.

    SQLite only (elsewhere it does nothing); must run inside the loading
    transaction, so no other connection ever sees the triggers missing (SQLite DDL
    is transactional and the transaction holds the write lock)."""
    if connection.vendor != "sqlite":
        yield
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


def name_contains_ids(workspace_id: int, text: str) -> list[int] | None:
    """Ids of the workspace's people whose name contains ``text`` in any case, read
    from the trigram index (SQLite, three characters or more); None where the
    caller should ask the database with ``icontains`` (PostgreSQL's trigram index
    serves that query as it is, and shorter text has no trigram to look up)."""
    if connection.vendor != "sqlite" or len(text) < 3:
        return None
    phrase = '"' + text.replace('"', '""') + '"'
    with connection.cursor() as cur:
        cur.execute(
            # The index first (a join would let the planner probe it once per person).
            "SELECT id FROM goodwill_person WHERE id IN (SELECT rowid FROM goodwill_name_trgm "
            "WHERE goodwill_name_trgm MATCH %s) AND workspace_id = %s",
            [phrase, workspace_id],
        )
        return [row[0] for row in cur.fetchall()]


def search_person_ids(
    workspace_id: int, query: str, limit: int | None = 50, ranked: bool = True
) -> list[int]:
    """Ids of people whose record, notes or interactions match every word of
    ``query`` (prefix match on the last word): best match first, the first ``limit``
    (all when None); ``ranked=False``: every match, in no particular order."""
    words = _WORD.findall(query.lower())
    if not words:
        return []
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
            sql = (
                "SELECT person_id FROM goodwill_fts WHERE goodwill_fts MATCH %s "
                "AND workspace_id = %s GROUP BY person_id"
            )
            params: list[object] = [f"body : ({match.strip()})", workspace_id]
            if ranked:
                sql += " ORDER BY min(rank)"
            if limit is not None:
                sql += " LIMIT %s"
                params.append(limit)
            cur.execute(sql, params)
        else:
            tsq = " & ".join(words[:-1] + [words[-1] + ":*"])
            cur.execute(
                f"""SELECT id FROM (
                    SELECT id, ts_rank(to_tsvector('simple', {PERSON_DOC}),
                                       to_tsquery('simple', %s)) AS r
                    FROM goodwill_person
                    WHERE workspace_id = %s
                      AND to_tsvector('simple', {PERSON_DOC}) @@ to_tsquery('simple', %s)
                    UNION ALL
                    SELECT person_id, ts_rank(to_tsvector('simple', note),
                                              to_tsquery('simple', %s)) AS r
                    FROM goodwill_interaction
                    WHERE workspace_id = %s
                      AND to_tsvector('simple', note) @@ to_tsquery('simple', %s)
                ) hits GROUP BY id"""
                + (" ORDER BY max(r) DESC, id" if ranked else "")
                + (" LIMIT %s" if limit is not None else ""),
                [tsq, workspace_id, tsq, tsq, workspace_id, tsq]
                + ([limit] if limit is not None else []),
            )
        return [row[0] for row in cur.fetchall()]
