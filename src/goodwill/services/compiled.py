"""Queries compiled once and run many times with new parameters.

Building a query through Django's ORM costs milliseconds when it has many
expressions (the plan's codes and cut-offs are CASEs of dozens of branches; a
health score counts sixteen filtered aggregates), more than running it on a few
rows. :func:`compiled` keeps the SQL and parameters of a queryset per key, and
:func:`of_ids` narrows a queryset to a list of ids given as one parameter (a JSON
array on SQLite, an array on PostgreSQL), so that one compiled query serves any
list of ids.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

KEPT = 128  # compiled queries kept per process
IDS = "goodwill-ids"  # stands for the ids in a compiled query's parameters

_sql: OrderedDict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = OrderedDict()
_lock = threading.Lock()


def of_ids(qs: Any, model: Any, column: str) -> Any:
    """``qs`` narrowed to rows whose ``column`` is in a list of ids passed later to
    :func:`compiled` as one parameter."""
    name = f'"{model._meta.db_table}"."{column}"'
    if connection.vendor == "sqlite":
        where = f"{name} IN (SELECT value FROM json_each(%s))"
    else:
        where = f"{name} = ANY(%s)"
    return qs.extra(where=[where], params=[IDS])


def compiled(
    key: tuple[Any, ...], build: Callable[[], Any], ids: Sequence[int] | None = None
) -> tuple[str, list[Any]]:
    """(sql, params) of the queryset ``build()`` makes, compiled once per ``key``
    (with the database), with ``ids`` in place of :func:`of_ids`' parameter. The key
    must name everything the query depends on besides the ids."""
    key = (connection.vendor, connection.settings_dict["NAME"], *key)
    with _lock:
        hit = _sql.get(key)
    if hit is None:
        sql, params = build().query.sql_with_params()
        hit = (sql, tuple(params))
        with _lock:
            _sql[key] = hit
            while len(_sql) > KEPT:
                _sql.popitem(last=False)
    sql, params = hit
    if ids is None:
        return sql, list(params)
    value: Any = [int(i) for i in ids]
    if connection.vendor == "sqlite":
        value = json.dumps(value)
    return sql, [value if p == IDS else p for p in params]


def rows(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of a compiled query, as dictionaries by column name."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
