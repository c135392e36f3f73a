"""Copy the local SQLite database into a PostgreSQL server database.

``goodwill --db FILE migrate-to postgresql://…`` migrates the (empty) target to
the current schema, then copies every table of goodwill, Django's auth
(users, groups, permissions) and content types with their ids, resets the
sequences, and verifies each table by row count and a SHA-256 checksum of its
rows (in id order, as typed values, so SQLite's and PostgreSQL's storage
differences do not matter). Copy and verification are one transaction on the
target: if anything differs, nothing is written there. The source is only read.

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


def table_checksum(model: type[models.Model], alias: str) -> tuple[int, str]:
    """(rows, sha256) of a table's rows in id order."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(model, alias):
        line = json.dumps([_canonical(v) for v in row], sort_keys=True, default=str)
        digest.update(line.encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


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


def _insert(model: type[models.Model], source: str) -> int:
    target = connections[TARGET]
    columns = _columns(model)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        target.ops.quote_name(model._meta.db_table),
        ", ".join(target.ops.quote_name(str(f.column)) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    count = 0
    batch: list[list[Any]] = []
    with target.cursor() as cur:
        for row in _rows(model, source):
            batch.append(
                [
                    f.get_db_prep_save(v, connection=target)
                    for f, v in zip(columns, row, strict=True)
                ]
            )
            if len(batch) >= CHUNK:
                cur.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
            count += len(batch)
    return count


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
            for model in tables:
                result.tables[model._meta.db_table] = _insert(model, source)
                if progress:
                    progress(model._meta.db_table, result.tables[model._meta.db_table])
            with target.cursor() as cur:
                for sql in target.ops.sequence_reset_sql(no_style(), tables):
                    cur.execute(sql)
            for model in tables:
                table = model._meta.db_table
                here = table_checksum(model, source)
                there = table_checksum(model, TARGET)
                if here != there:
                    raise BadInput(
                        f"verification failed for {table}: {here[0]} rows here, "
                        f"{there[0]} there, or their contents differ; nothing was written"
                    )
                result.checksums[table] = here[1]
        return result
    finally:
        _close_target()
