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


def migrate_if_needed() -> bool:
    """Apply pending migrations quietly; True when something was applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True
