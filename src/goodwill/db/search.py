"""Full-text search queries (the indexes are built in migrations 0002 and 0011)."""

from __future__ import annotations

import re

from django.db import connection

from goodwill.db.models.network import ID_NAME_INDEX

_WORD = re.compile(r"\w+", re.UNICODE)

# The text of a person that search sees (also used by migration 0002 to build the index).
PERSON_TEXT = (
    "coalesce(new.name,'') || ' ' || coalesce(new.email,'') || ' ' || coalesce(new.title,'')"
    " || ' ' || coalesce(new.industry,'') || ' ' || coalesce(new.needs,'') || ' ' ||"
    " coalesce(new.offers,'') || ' ' || coalesce(new.goals,'') || ' ' || coalesce(new.notes,'')"
    " || ' ' || coalesce(new.personal,'') || ' ' || coalesce(new.location,'')"
)

PERSON_DOC = PERSON_TEXT.replace("new.", "")


def list_matches(workspace_id: int, search: str) -> list[int]:
    """Ids of the workspace's people the people list's search finds, in the list's
    order (name, then id), in one query: everyone the full-text index matches (see
    :func:`search_person_ids`) and everyone whose name contains the text anywhere,
    in any case. Text without a word matches by name alone; blank text matches all.

    Names are looked up in the trigram index (migration 0011): SQLite's FTS5 table
    for three characters or more (shorter text has no trigram: a LIKE over the
    workspace), PostgreSQL's pg_trgm index on upper(name). The matches are sorted
    in the same query; the names of people found by id (all of them on SQLite, the
    notes' people on PostgreSQL) come from the index of (id, workspace, name): at
    100,000 people, "books" (1,408 people) takes 3.0 ms on SQLite and 5.4 ms on
    PostgreSQL, where the matches, sent back and ordered in a second query, took 7."""
    text = search.strip()
    like = "%" + connection.ops.prep_for_like_query(text) + "%"
    words = _WORD.findall(text.lower())
    if connection.vendor == "sqlite":
        found, params = [], []
        if words:
            # A row id names its person's own text (2 * person id) or its note (2 *
            # interaction id + 1): the index's stored columns are not read, the notes'
            # people are looked up by interaction id (at 100k: 4.3 -> 3.3 ms).
            body = f"body : ({_fts5_match(words)})"
            found += [
                "SELECT rowid / 2 FROM goodwill_fts WHERE goodwill_fts MATCH %s AND rowid %% 2 = 0",
                "SELECT person_id FROM goodwill_interaction WHERE id IN (SELECT rowid / 2 "
                "FROM goodwill_fts WHERE goodwill_fts MATCH %s AND rowid %% 2 = 1)",
            ]
            params += [body, body]
        if len(text) >= 3:
            found.append("SELECT rowid FROM goodwill_name_trgm WHERE goodwill_name_trgm MATCH %s")
            params.append('"' + text.replace('"', '""') + '"')
            # The matches first, then their workspace and name by id from the index of
            # (id, workspace, name), not from their rows (migration 0014); "+" keeps
            # the planner from walking the workspace's name index instead (19 ms, not
            # 3.7, at 100k).
            table = f'goodwill_person INDEXED BY "{ID_NAME_INDEX}"'
            where = f"+workspace_id = %s AND id IN ({' UNION ALL '.join(found)})"
        else:  # no trigram to look up: every name of the workspace, from its index
            where = "name LIKE %s ESCAPE '\\'"
            if found:
                where = f"(id IN ({' UNION ALL '.join(found)}) OR {where})"
            where = f"workspace_id = %s AND {where}"
            params.append(like)
            table = "goodwill_person"
        sql = f"SELECT id FROM {table} WHERE {where}"
        params.insert(0, workspace_id)
    else:
        # Bitmap scans of the names, the people's own text and the notes, each giving
        # (id, name) to sort by; only the notes' people are looked up by id (a join
        # would have the planner read the whole workspace to find a few hundred
        # people's names). The names and the text are scanned apart: under one OR,
        # every trigram candidate's whole text was made into a tsvector to recheck it.
        # At 100k, "ohan": 11.6 -> 3.8 ms; "an", no trigram: 860 -> 175-205 ms.
        person = "SELECT id, name FROM goodwill_person WHERE workspace_id = %s AND "
        found = [person + "upper(name) LIKE upper(%s)"]
        params = [workspace_id, like]
        if words:
            tsq = _tsquery(words)
            found += [
                person + f"to_tsvector('simple', {PERSON_DOC}) @@ to_tsquery('simple', %s)",
                person + "id = ANY(ARRAY(SELECT person_id FROM goodwill_interaction WHERE "
                "workspace_id = %s AND to_tsvector('simple', note) @@ to_tsquery('simple', %s)))",
            ]
            params += [workspace_id, tsq, workspace_id, workspace_id, tsq]
        sql = f"SELECT id FROM ({' UNION '.join(found)}) found"  # UNION: each person once
    with connection.cursor() as cur:
        cur.execute(sql + " ORDER BY name, id", params)
        return [row[0] for row in cur.fetchall()]


def _fts5_match(words: list[str]) -> str:
    """Every word, the last one as a prefix (SQLite's FTS5 query syntax)."""
    return (" ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*').strip()


def _tsquery(words: list[str]) -> str:
    """Every word, the last one as a prefix (PostgreSQL's to_tsquery syntax)."""
    return " & ".join(words[:-1] + [words[-1] + ":*"])


def search_person_ids(workspace_id: int, query: str, limit: int | None = 50) -> list[int]:
    """Ids of people whose record, notes or interactions match every word of
    ``query`` (prefix match on the last word): best match first, the first ``limit``
    (all when None)."""
    words = _WORD.findall(query.lower())
    if not words:
        return []
    if connection.vendor == "sqlite":
        sql = (
            "SELECT person_id FROM goodwill_fts WHERE goodwill_fts MATCH %s "
            "AND workspace_id = %s GROUP BY person_id ORDER BY min(rank)"
        )
        params: list[object] = [f"body : ({_fts5_match(words)})", workspace_id]
    else:
        tsq = _tsquery(words)
        sql = f"""SELECT id FROM (
            SELECT id, ts_rank(to_tsvector('simple', {PERSON_DOC}), to_tsquery('simple', %s)) AS r
            FROM goodwill_person
            WHERE workspace_id = %s
              AND to_tsvector('simple', {PERSON_DOC}) @@ to_tsquery('simple', %s)
            UNION ALL
            SELECT person_id, ts_rank(to_tsvector('simple', note), to_tsquery('simple', %s)) AS r
            FROM goodwill_interaction
            WHERE workspace_id = %s AND to_tsvector('simple', note) @@ to_tsquery('simple', %s)
        ) hits GROUP BY id ORDER BY max(r) DESC, id"""
        params = [tsq, workspace_id, tsq, tsq, workspace_id, tsq]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [row[0] for row in cur.fetchall()]
