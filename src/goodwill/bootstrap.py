"""Start Django for the CLI and the server: pick the database, migrate on first use."""

from __future__ import annotations

import os

_ready = False


def setup(db: str | None = None, *, migrate: bool = True) -> None:
    """Configure Django for ``db`` (a path or URL; None keeps GOODWILL_DB/default).

    Migrations run automatically when the database is new or behind, so a user
    never has to run ``migrate`` by hand.
    """
    global _ready
    from django.apps import apps

    if _ready or apps.ready:  # already configured (e.g. inside the test suite)
        _ready = True
        return
    if db:
        os.environ["GOODWILL_DB"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    import django
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(str(name)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    django.setup()
    _ready = True
    if migrate:
        migrate_if_needed()


def _all_applied() -> bool:
    """Whether every migration file of every app is recorded as applied: one query
    and a directory listing per app, instead of loading the migration graph."""
    import pkgutil
    from importlib.util import find_spec

    from django.apps import apps
    from django.db import DatabaseError, connection

    on_disk: set[tuple[str, str]] = set()
    for config in apps.get_app_configs():
        spec = find_spec(f"{config.module.__name__}.migrations")
        if spec is None or not spec.submodule_search_locations:
            continue
        for module in pkgutil.iter_modules(spec.submodule_search_locations):
            if not module.ispkg and module.name[:1].isdigit():
                on_disk.add((config.label, module.name))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:  # a new database: no table yet
        return False
    return on_disk <= applied


def migrate_if_needed() -> bool:
    """Apply pending migrations quietly; True when something was applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if _all_applied():
        return False
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True
