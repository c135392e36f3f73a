"""Full-text search queries (the indexes are built in migrations 0002 and 0011)."""

from __future__ import annotations

import re

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
            body = f"body : ({match.strip()})"
            if ranked:
                sql = (
                    "SELECT person_id FROM goodwill_fts WHERE goodwill_fts MATCH %s "
                    "AND workspace_id = %s GROUP BY person_id ORDER BY min(rank)"
                )
                params: list[object] = [body, workspace_id]
            else:
                # A person's own text (an even rowid) names them by its rowid: only the
                # notes' rows are read for their person (at 100k: 3.7 -> 2.9 ms).
                sql = (
                    "SELECT id FROM goodwill_person WHERE workspace_id = %s AND id IN ("
                    "SELECT rowid / 2 FROM goodwill_fts WHERE goodwill_fts MATCH %s "
                    "AND rowid %% 2 = 0 UNION ALL SELECT person_id FROM goodwill_fts "
                    "WHERE goodwill_fts MATCH %s AND rowid %% 2 = 1)"
                )
                params = [workspace_id, body, body]
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
