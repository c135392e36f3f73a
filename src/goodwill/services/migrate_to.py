"""Copy the local SQLite database into a PostgreSQL server database.

``goodwill --db FILE migrate-to postgresql://…`` migrates the (empty) target to
the current schema, then copies every table of goodwill, Django's auth
(users, groups, permissions) and content types with their ids, resets the
sequences, and verifies each table by row count and a SHA-256 checksum of its
rows (in id order, as typed values, so SQLite's and PostgreSQL's storage
differences do not matter). Copy and verification are one transaction on the
target: if anything differs, nothing is written there. The source is only read.
Rows go in with COPY; the source's checksums are taken from the rows as they are
copied, the target's by reading them back. The copied tables are vacuumed and
analyzed at the end, so the planner has statistics and index-only scans work from
the first request on.

PostgreSQL creates Django's foreign keys DEFERRABLE INITIALLY DEFERRED, so
tables can be copied in any order and references are checked at commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction

from .errors import BadInput

TARGET = "migrate_target"
APPS = ("contenttypes", "auth", "goodwill")
# Made by `migrate` on the target itself; replaced by the source's rows (same ids).
REPLACED = ("django_content_type", "auth_permission")
CHUNK = 2000


@dataclass
class MigrateResult:
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    checksums: dict[str, str] = field(default_factory=dict)  # table -> sha256 (both sides)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def copied_models() -> list[type[models.Model]]:
    """Every concrete table of goodwill, auth and content types (m2m tables included)."""
    found: list[type[models.Model]] = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            derived = getattr(model, "DERIVED", False)  # rebuilt on first use there
            if not model._meta.proxy and model._meta.managed and not derived:
                found.append(model)
    return found


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _rows(model: type[models.Model], alias: str) -> Iterator[tuple[Any, ...]]:
    names = [f.attname for f in _columns(model)]
    queryset = model._default_manager.using(alias).order_by("pk").values_list(*names)
    yield from queryset.iterator(chunk_size=CHUNK)


def _canonical(value: Any) -> Any:
    """One spelling of a value whichever database it came from."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time | Decimal):
        return str(value)
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})  # spelled alike by both databases
_ENCODER = json.JSONEncoder(sort_keys=True, default=str)  # json.dumps(..., sort_keys=True, ...)


class _Checksum:
    """(rows, sha256) of rows fed in id order."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.count = 0

    def add(self, row: tuple[Any, ...]) -> None:
        line = _ENCODER.encode([v if type(v) in _PLAIN else _canonical(v) for v in row])
        self.digest.update(line.encode())
        self.digest.update(b"\n")
        self.count += 1

    def result(self) -> tuple[int, str]:
        return self.count, self.digest.hexdigest()


def table_checksum(model: type[models.Model], alias: str) -> tuple[int, str]:
    """(rows, sha256) of a table's rows in id order."""
    checksum = _Checksum()
    for row in _rows(model, alias):
        checksum.add(row)
    return checksum.result()


def _open_target(url: str) -> None:
    from goodwill.settings import database_config

    config = database_config(url)
    both = {"default": dict(connections.settings["default"]), TARGET: config}
    connections.settings[TARGET] = connections.configure_settings(both)[TARGET]


def _close_target() -> None:
    if TARGET in connections.settings:
        connections[TARGET].close()
        del connections[TARGET]
        del connections.settings[TARGET]


# Django's own fields whose values, as Django reads them, COPY takes as they are
# (a JSONField's, or a field of another library's, goes through get_db_prep_save).
_AS_IS = (
    models.IntegerField, models.CharField, models.TextField, models.BooleanField,
    models.DateField, models.FloatField, models.DecimalField,
)  # fmt: skip


def _as_is(field: models.Field[Any, Any]) -> bool:
    if isinstance(field, models.ForeignKey):
        return _as_is(field.target_field)
    return isinstance(field, _AS_IS) and type(field).__module__.startswith("django.db.models.")


def _copy(model: type[models.Model], source: str) -> tuple[int, str]:
    """Copy one table with COPY FROM STDIN (several times faster than INSERTs);
    (rows, sha256) of the source rows copied, as :func:`table_checksum`."""
    target = connections[TARGET]
    columns = _columns(model)
    sql = "COPY {} ({}) FROM STDIN".format(
        target.ops.quote_name(model._meta.db_table),
        ", ".join(target.ops.quote_name(str(f.column)) for f in columns),
    )
    prepared = [(i, f) for i, f in enumerate(columns) if not _as_is(f)]
    checksum = _Checksum()
    with target.cursor() as cur, cur.copy(sql) as copy:
        for row in _rows(model, source):
            checksum.add(row)
            values = list(row)
            for i, f in prepared:
                values[i] = f.get_db_prep_save(values[i], connection=target)
            copy.write_row(values)
    return checksum.result()


def migrate_to(
    *, url: str, source: str = "default", progress: Callable[[str, int], None] | None = None
) -> MigrateResult:
    """Copy database ``source`` into the empty PostgreSQL database at ``url`` and verify it."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise BadInput("migrate-to needs a postgresql:// URL")
    if connections[source].vendor != "sqlite":
        raise BadInput("migrate-to copies a local SQLite database (use --db FILE)")
    _open_target(url)
    try:
        target = connections[TARGET]
        try:
            target.ensure_connection()
        except Exception as exc:  # noqa: BLE001  (any connection failure: one clear line)
            raise BadInput(f"cannot connect to the target database: {exc}".strip()) from None
        call_command("migrate", database=TARGET, interactive=False, verbosity=0)
        tables = copied_models()
        for model in tables:
            table = model._meta.db_table
            if table not in REPLACED and model._default_manager.using(TARGET).exists():
                raise BadInput(f"the target database is not empty ({table} has rows)")
        result = MigrateResult()
        with transaction.atomic(using=TARGET):
            with target.cursor() as cur:
                for table in reversed(REPLACED):
                    cur.execute(f"DELETE FROM {target.ops.quote_name(table)}")
            copied: dict[str, tuple[int, str]] = {}
            for model in tables:
                copied[model._meta.db_table] = _copy(model, source)
                result.tables[model._meta.db_table] = copied[model._meta.db_table][0]
                if progress:
                    progress(model._meta.db_table, result.tables[model._meta.db_table])
            with target.cursor() as cur:
                for sql in target.ops.sequence_reset_sql(no_style(), tables):
                    cur.execute(sql)
            for model in tables:
                table = model._meta.db_table
                here = copied[table]
                there = table_checksum(model, TARGET)
                if here != there:
                    raise BadInput(
                        f"verification failed for {table}: {here[0]} rows here, "
                        f"{there[0]} there, or their contents differ; nothing was written"
                    )
                result.checksums[table] = here[1]
        # Statistics and the visibility map now, not whenever autovacuum gets to them:
        # without statistics PostgreSQL guesses row counts and can pick slow plans, and
        # without the visibility map no scan is index-only (~1 s at 100k people).
        # VACUUM runs outside a transaction: the copy above is committed.
        with target.cursor() as cur:
            cur.execute(
                "VACUUM (ANALYZE) "
                + ", ".join(target.ops.quote_name(m._meta.db_table) for m in tables)
            )
        return result
    finally:
        _close_target()
