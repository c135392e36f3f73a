"""SQL that differs between SQLite and PostgreSQL, run from migrations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def vendor_sql(
    sqlite: Sequence[str],
    sqlite_back: Sequence[str],
    postgresql: Sequence[str],
    postgresql_back: Sequence[str],
) -> migrations.RunPython:
    """A migration operation running the statements of the database in use."""

    def run(statements: dict[str, Sequence[str]]) -> Any:
        def apply(apps: Any, schema_editor: Any) -> None:
            vendor = schema_editor.connection.vendor
            for sql in statements["sqlite" if vendor == "sqlite" else "postgresql"]:
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(
        run({"sqlite": sqlite, "postgresql": postgresql}),
        run({"sqlite": sqlite_back, "postgresql": postgresql_back}),
    )
