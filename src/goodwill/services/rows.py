"""Read rows on a plain cursor.

Django's compiled SQL (scoped, filtered, annotated as usual; or kept compiled by
:mod:`.compiled`) executed on a plain cursor: no model instances and no per-row
converters, for reads of many rows whose columns need none (ids, text, integers;
SQLite still parses ``date`` columns by their declared type).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

Found = tuple[list[str], list[tuple[Any, ...]]]  # a query's column names and rows


def fetch(sql: str, params: Sequence[Any]) -> Found:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return names, rows


def fetch_all(queries: Sequence[tuple[str, Sequence[Any]]]) -> list[Found]:
    """What :func:`fetch` gives for each query. On PostgreSQL the queries go in one
    round trip (psycopg's pipeline mode): the server runs them one after another
    without waiting for the client to read each answer. A person's twelve reads wait
    for the server once instead of twelve times: ``person_detail`` at 100k, 4.3-4.7
    -> 2.5-2.7 ms (a page of the list, 5.2-5.9 -> 4.7). SQLite, in the same process,
    runs them in turn."""
    if connection.vendor != "postgresql" or len(queries) < 2:
        return [fetch(sql, params) for sql, params in queries]
    connection.ensure_connection()
    cursors = []
    try:
        with connection.wrap_database_errors:  # an error surfaces when the pipe syncs
            with connection.connection.pipeline():
                for sql, params in queries:
                    cursors.append(cursor := connection.cursor())
                    cursor.execute(sql, params)
            return [([c[0] for c in cur.description], cur.fetchall()) for cur in cursors]
    finally:
        for cur in cursors:
            cur.close()


def plain_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The queryset's rows as tuples."""
    return fetch(*queryset.query.sql_with_params())[1]


def named_rows(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of compiled SQL as dictionaries by column name."""
    names, rows = fetch(sql, params)
    return [dict(zip(names, row, strict=True)) for row in rows]
