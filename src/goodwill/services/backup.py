"""Backups: the JSON export of one workspace (and its restore), and whole-database
copies of SQLite with the online backup API.

The JSON export lists every row of every workspace-owned model, found by
introspection, so a model another area adds later is exported without a change
here. Restore inserts rows parents first with new ids and remaps every foreign
key; users (an interaction's member, a plan entry's user) are matched by
username, else become the restoring user.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction

from goodwill.db.models import WorkspaceOwned
from goodwill.io import jsonbackup
from goodwill.io.records import UnreadableFile

from .context import Actor, scoped
from .errors import BadInput

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_ADVICE = (
    "backup copies SQLite databases; for PostgreSQL use pg_dump "
    '(pg_dump --format=custom --file=goodwill.dump "$GOODWILL_DB", restore with pg_restore), '
    "or `goodwill export json` for one workspace"
)


def owned_models() -> list[type[WorkspaceOwned]]:
    """Workspace-owned models, parents before children (self references aside);
    derived tables (stored matches) are left out: they are rebuilt where needed."""
    found = [
        m
        for m in apps.get_app_config("goodwill").get_models()
        if issubclass(m, WorkspaceOwned) and not getattr(m, "DERIVED", False)
    ]
    ordered: list[type[WorkspaceOwned]] = []
    visiting: set[Any] = set()

    def visit(model: type[WorkspaceOwned]) -> None:
        if model in ordered or model in visiting:
            return
        visiting.add(model)
        for f in model._meta.concrete_fields:
            target = f.related_model
            if f.is_relation and target in found and target is not model:
                visit(target)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m.__name__):
        visit(model)
    return ordered


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name != "workspace"]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_json(*, actor: Actor) -> str:
    """Everything in the workspace as versioned JSON (format "goodwill", version 1)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    user_ids: set[int] = set()
    for model in owned_models():
        fields = _fields(model)
        names = ["id", *[f.attname for f in fields]]
        rows = scoped(model, actor.workspace).order_by("id").values_list(*names)
        table = [{k: _plain(v) for k, v in zip(names, row, strict=True)} for row in rows]
        for f in fields:
            if f.is_relation and f.related_model is get_user_model():
                user_ids.update(r[f.attname] for r in table if r[f.attname] is not None)
        tables[model._meta.model_name or model.__name__.lower()] = table
    users = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("id", "username"))
    workspace = {"name": actor.workspace.name, "settings": actor.workspace.settings, "users": users}
    return jsonbackup.dumps(workspace, tables)


def _is_empty(actor: Actor) -> bool:
    return not any(scoped(m, actor.workspace).exists() for m in owned_models())


@transaction.atomic
def restore_json(*, actor: Actor, data: bytes) -> dict[str, int]:
    """Load a JSON export into the actor's workspace, which must be empty; rows per table."""
    actor.require_owner()
    try:
        doc = jsonbackup.loads(data)
    except UnreadableFile as exc:
        raise BadInput(str(exc)) from None
    if not _is_empty(actor):
        raise BadInput("restore needs an empty workspace: this one already has data")
    old_users = {str(k): str(v) for k, v in doc["workspace"]["users"].items()}
    users_by_name = dict(
        get_user_model()
        .objects.filter(username__in=set(old_users.values()))
        .values_list("username", "id")
    )
    ids: dict[Any, dict[int, int]] = {}
    counts: dict[str, int] = {}
    for model in owned_models():
        key = model._meta.model_name or model.__name__.lower()
        rows = doc["tables"].get(key, [])
        try:
            counts[key] = _restore_table(actor, model, rows, ids, users_by_name, old_users)
        except (
            KeyError,
            ValueError,
            TypeError,
            ArithmeticError,
            ValidationError,
            DatabaseError,
        ) as exc:
            raise BadInput(
                f"table {key}: bad row ({type(exc).__name__}: {str(exc)[:100]})"
            ) from None
    settings = doc["workspace"].get("settings")
    if isinstance(settings, dict):
        actor.workspace.settings = settings
        actor.workspace.save(update_fields=["settings"])
    return counts


def _restore_table(
    actor: Actor,
    model: type[WorkspaceOwned],
    rows: list[dict[str, Any]],
    ids: dict[Any, dict[int, int]],
    users_by_name: dict[str, int],
    old_users: dict[str, str],
) -> int:
    fields = _fields(model)
    user_model = get_user_model()
    objs, self_refs, stamps = [], [], []
    for row in rows:
        obj = model(workspace=actor.workspace)
        refs: dict[str, int] = {}
        for f in fields:
            value = row.get(f.attname)
            if f.is_relation and value is not None:
                target = f.related_model
                if target is model:
                    refs[f.attname] = int(value)
                    value = None
                elif target is user_model:
                    value = users_by_name.get(old_users.get(str(value), ""), actor.user.pk)
                elif target in ids:
                    value = ids[target][int(value)]
            elif value is not None:
                value = f.to_python(value)
            elif not f.null and f.has_default():
                value = f.get_default()
            setattr(obj, f.attname, value)
        objs.append(obj)
        self_refs.append(refs)
        stamps.append(
            {
                f.attname: getattr(obj, f.attname)
                for f in fields
                if getattr(f, "auto_now_add", False)
            }
        )
    model._default_manager.bulk_create(objs, batch_size=1000)
    ids[model] = {int(row["id"]): obj.pk for row, obj in zip(rows, objs, strict=True)}
    fix = [f.attname for f in fields if f.is_relation and f.related_model is model]
    stamp_fields = [f.attname for f in fields if getattr(f, "auto_now_add", False)]
    if fix or stamp_fields:
        for obj, refs, stamp in zip(objs, self_refs, stamps, strict=True):
            for name, old in refs.items():
                setattr(obj, name, ids[model][old])
            for name, value in stamp.items():
                setattr(obj, name, value)
        model._default_manager.bulk_update(objs, [*fix, *stamp_fields], batch_size=1000)
    return len(objs)


def backup_database(*, path: str | Path) -> None:
    """A consistent copy of the whole SQLite database, safe while the app writes."""
    if connection.vendor != "sqlite":
        raise BadInput(PG_ADVICE)
    target = Path(path).expanduser()
    if target.exists() and target.is_dir():
        raise BadInput(f"{target} is a directory; give a file name")
    connection.ensure_connection()
    source = str(connection.settings_dict["NAME"])
    if target.exists() and source and os.path.samefile(target, source):
        raise BadInput("the backup cannot overwrite the database itself")
    fd, tmp = tempfile.mkstemp(
        prefix=".goodwill-backup-", dir=target.parent if target.parent.exists() else None
    )
    os.close(fd)
    try:
        dst = sqlite3.connect(tmp)
        try:
            connection.connection.backup(dst)  # one step: a snapshot under a read lock
        finally:
            dst.close()
        os.replace(tmp, target)
    except OSError as exc:
        raise BadInput(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def restore_database(*, data: bytes) -> None:
    """Replace the whole SQLite database with a backup made by :func:`backup_database`."""
    if connection.vendor != "sqlite":
        raise BadInput(PG_ADVICE)
    fd, tmp = tempfile.mkstemp(prefix=".goodwill-restore-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        src = sqlite3.connect(tmp)
        try:
            tables = {
                r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "goodwill_person" not in tables or "django_migrations" not in tables:
                raise BadInput("this SQLite file is not a goodwill backup")
            if src.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BadInput("the backup file is damaged (SQLite quick_check failed)")
            if connection.in_atomic_block:
                raise BadInput("cannot restore a whole database inside a transaction")
            connection.ensure_connection()
            src.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BadInput(f"not a readable SQLite backup ({exc})") from None
        finally:
            src.close()
    finally:
        os.unlink(tmp)
    from goodwill.bootstrap import migrate_if_needed  # noqa: PLC0415

    migrate_if_needed()


def restore_file(*, actor: Actor, data: bytes) -> None:
    """Restore a SQLite backup (whole database) or a JSON export (into the actor's workspace)."""
    if data.startswith(SQLITE_MAGIC):
        actor.require_owner()
        restore_database(data=data)
    else:
        restore_json(actor=actor, data=data)
