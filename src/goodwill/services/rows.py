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


def fetch(sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return names, rows


def plain_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The queryset's rows as tuples."""
    return fetch(*queryset.query.sql_with_params())[1]


def named_rows(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of compiled SQL as dictionaries by column name."""
    names, rows = fetch(sql, params)
    return [dict(zip(names, row, strict=True)) for row in rows]
