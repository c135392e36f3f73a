"""Queries compiled once and run many times with new parameters, and rows read
as numbers.

Building a query through Django's ORM costs milliseconds when it has many
expressions (the plan's codes and cut-offs are CASEs of dozens of branches; a
health score counts sixteen filtered aggregates), more than running it on a few
rows. :func:`compiled` keeps the SQL and parameters of a queryset per key, and
:func:`of_ids` narrows a queryset to a list of ids given as one parameter (a JSON
array on SQLite, an array on PostgreSQL), so that one compiled query serves any
list of ids. :func:`rows_of` runs such a query and gives its rows as the ORM would
(dates, decimals and booleans through Django's own converters).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Case, Func, IntegerField, Value, When
from django.db.models.query import get_related_populators

from .rows import Found, fetch, fetch_all

KEPT = 512  # compiled queries kept per process (a few a workspace, a user, a day)
IDS = "goodwill-ids"  # stands for the ids in a compiled query's parameters
ID = "goodwill-id"  # stands for the one id (of_id) in a compiled query's parameters

# A column's converters (backend's and field's) and the expression they are given.
Converters = list[tuple[int, list[Callable[..., Any]], Any]]


@dataclass(frozen=True)
class _Made:
    """How the ORM makes model instances of a compiled query's rows (ModelIterable's
    plan): the model's columns in the row, their attributes, select_related's."""

    model: Any
    start: int
    end: int
    names: list[str]
    related: list[Any]


# key -> SQL, its parameters, the columns' converters, how to make instances (if any)
_sql: OrderedDict[tuple[Any, ...], tuple[str, tuple[Any, ...], Converters, _Made | None]] = (
    OrderedDict()
)
_lock = threading.Lock()


def _in(model: Any, column: str) -> str:
    """SQL: the column is in the list of ids given as one parameter."""
    name = f'"{model._meta.db_table}"."{column}"'
    if connection.vendor == "sqlite":
        return f"{name} IN (SELECT value FROM json_each(%s))"
    return f"{name} = ANY(%s)"


def _ids_param(ids: Sequence[int]) -> Any:
    value: Any = [int(i) for i in ids]
    return json.dumps(value) if connection.vendor == "sqlite" else value


def of_ids(qs: Any, model: Any, column: str) -> Any:
    """``qs`` narrowed to rows whose ``column`` is in a list of ids passed later to
    :func:`compiled` as one parameter."""
    return qs.extra(where=[_in(model, column)], params=[IDS])


def of_id(qs: Any, model: Any, column: str) -> Any:
    """``qs`` narrowed to rows whose ``column`` is one id passed later to
    :func:`compiled` or :func:`rows_of` (as the only element of ``ids``): an equality
    the planner can look up in an index, where a list of one would not tell it so."""
    name = f'"{model._meta.db_table}"."{column}"'
    return qs.extra(where=[f"{name} = %s"], params=[ID])


def ids_where(model: Any, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """(sql, params): the column is in ``ids``, as a WHERE condition on the model's
    table for raw SQL (one parameter, however many ids)."""
    return _in(model, column), [_ids_param(ids)]


def in_ids(qs: Any, model: Any, column: str, ids: Sequence[int]) -> Any:
    """``qs`` narrowed to rows whose ``column`` is in ``ids``, however many (one
    parameter: no limit on the number of SQL variables)."""
    return qs.extra(where=[_in(model, column)], params=[_ids_param(ids)])


def _compile(
    key: tuple[Any, ...], build: Callable[[], Any], ids: Sequence[int] | None
) -> tuple[str, list[Any], Converters, _Made | None]:
    key = (connection.vendor, connection.settings_dict["NAME"], *key)
    with _lock:
        hit = _sql.get(key)
    if hit is None:
        compiler = build().query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        columns = [s[0] for s in compiler.select[0 : compiler.col_count]]
        found = compiler.get_converters(columns)
        made = None
        if compiler.klass_info:  # a queryset of instances, not of values()
            fields = compiler.klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            made = _Made(
                model=compiler.klass_info["model"],
                start=start,
                end=end,
                names=[f[0].target.attname for f in compiler.select[start:end]],
                # (django-stubs follow Django 6, which adds an argument)
                related=get_related_populators(  # type: ignore[call-arg]
                    compiler.klass_info, compiler.select, connection.alias
                ),
            )
        hit = (sql, tuple(params), [(i, c, e) for i, (c, e) in found.items()], made)
        with _lock:
            _sql[key] = hit
            while len(_sql) > KEPT:
                _sql.popitem(last=False)
    sql, params, converters, made = hit
    if ids is not None:
        given = {IDS: _ids_param(ids), ID: int(ids[0]) if len(ids) == 1 else None}
        params = tuple(given[p] if isinstance(p, str) and p in given else p for p in params)
    return sql, list(params), converters, made


def compiled(
    key: tuple[Any, ...], build: Callable[[], Any], ids: Sequence[int] | None = None
) -> tuple[str, list[Any]]:
    """(sql, params) of the queryset ``build()`` makes, compiled once per ``key``
    (with the database), with ``ids`` in place of :func:`of_ids`' parameter (or its
    one id in place of :func:`of_id`'s). The key
    must name everything the query depends on besides the ids."""
    sql, params, _, _ = _compile(key, build, ids)
    return sql, params


def _converted(rows: list[Any], converters: Converters) -> list[Any]:
    """The rows with each value converted as the ORM converts it."""
    if not converters:
        return rows
    rows = [list(row) for row in rows]
    for row in rows:
        for i, convert, expression in converters:
            value = row[i]
            for step in convert:
                value = step(value, expression, connection)
            row[i] = value
    return rows


@dataclass(frozen=True)
class Query:
    """A compiled query with its parameters, to run later, alone or with others
    (rows.fetch_all: one round trip on PostgreSQL)."""

    sql: str
    params: list[Any]
    converters: Converters
    made: _Made | None = None

    def rows(self, found: Found) -> list[dict[str, Any]]:
        """Its rows (of a ``values()`` queryset) as dictionaries, each value converted as
        the ORM converts it."""
        names, rows = found
        return [dict(zip(names, row, strict=True)) for row in _converted(rows, self.converters)]

    def instances(self, found: Found) -> list[Any]:
        """Its rows (of a queryset of instances) as model instances, made as the ORM
        makes them (``Model.from_db``, the related instances, the converters)."""
        made = self.made
        assert made is not None, "instances need a queryset of instances, not of values()"
        result = []
        for row in _converted(found[1], self.converters):
            instance = made.model.from_db(connection.alias, made.names, row[made.start : made.end])
            for related in made.related:
                related.populate(row, instance)
            result.append(instance)
        return result


def query_of(
    key: tuple[Any, ...], build: Callable[[], Any], ids: Sequence[int] | None = None
) -> Query:
    """``build()`` (a queryset, narrowed by :func:`of_ids` or :func:`of_id` when ``ids``
    are given), compiled once per ``key`` as :func:`compiled` does."""
    return Query(*_compile(key, build, ids))


def rows_of(
    key: tuple[Any, ...], build: Callable[[], Any], ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """The rows of :func:`query_of`'s query, as dictionaries with each value converted as
    the ORM converts it (a date, a Decimal, a bool)."""
    query = query_of(key, build, ids)
    return query.rows(fetch(query.sql, query.params))


def rows_of_all(queries: Sequence[Query]) -> list[list[dict[str, Any]]]:
    """The rows of each query, as :func:`rows_of` gives them; on PostgreSQL all in one
    round trip (rows.fetch_all)."""
    found = fetch_all([(q.sql, q.params) for q in queries])
    return [q.rows(each) for q, each in zip(queries, found, strict=True)]


def instances_of(
    key: tuple[Any, ...], build: Callable[[], Any], ids: Sequence[int] | None = None
) -> list[Any]:
    """The model instances of ``build()`` (a queryset with its select_related, narrowed
    by :func:`of_ids` or :func:`of_id` when ``ids`` are given), compiled once per ``key`` as
    :func:`compiled` does and made as the ORM makes them (:meth:`Query.instances`).
    Building and compiling the query is most of a lookup by id: a person with their
    organization, 0.60 -> 0.16 ms on SQLite."""
    query = query_of(key, build, ids)
    return query.instances(fetch(query.sql, query.params))


class DayOrdinal(Func):
    """``date.toordinal()`` computed in SQL (NULL stays NULL)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(julianday(%(expressions)s) AS INTEGER) - 1721424)",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((%(expressions)s - DATE '0001-01-01') + 1)", **extra
        )


def code_of(field: str, values: list[str]) -> Case:
    """The position of the field's value in ``values`` (-1: another value)."""
    return Case(
        *[When(**{field: v}, then=Value(i)) for i, v in enumerate(values)],
        default=Value(-1),
        output_field=IntegerField(),
    )


def numbers(sql: str, params: Any, width: int, real: tuple[int, ...] = ()) -> np.ndarray:
    """The rows of a query of ``width`` numeric columns, as a float64 matrix (a NULL
    is 0). On SQLite they come back as one text value built by group_concat: Python's
    sqlite3 module lets go of the GIL and takes it back at every row it steps, so a
    request reading 40,000 rows queued behind the server's other busy threads 40,000
    times (overdue_page at 100k: 0.09 s alone, 24 s beside one busy thread; read
    this way, ~0.2 s). Columns in ``real`` may hold a REAL: written with 17
    significant digits, so it reads back exactly (the others are whole numbers)."""
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute(sql, params)
            rows = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, width)
            return np.nan_to_num(rows, nan=0.0)
        columns = ", ".join(f"c{i}" for i in range(width))
        row = " || ',' || ".join(
            f"printf('%%!.17g', c{i})" if i in real else f"ifnull(c{i}, 0)" for i in range(width)
        )
        cursor.execute(
            f"WITH t({columns}) AS ({sql}) SELECT group_concat({row}, ',') FROM t", params
        )
        text = cursor.fetchone()[0]
    if not text:
        return np.zeros((0, width))
    # json.loads holds the GIL while it parses (numpy's text parser lets go of it per
    # number: 5 ms alone, 0.6 s beside a busy thread).
    return np.array(json.loads(f"[{text}]"), dtype=np.float64).reshape(-1, width)
