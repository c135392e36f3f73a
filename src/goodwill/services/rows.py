"""Read a queryset's rows as plain tuples.

Django's compiled SQL (scoped, filtered, annotated as usual) executed on a plain
cursor: no model instances and no per-row converters, for reads of many rows
whose columns need none (ids, text, integers; SQLite still parses ``date``
columns by their declared type).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def plain_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows
