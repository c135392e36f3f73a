"""Operations: move a local network onto a team server's PostgreSQL."""

from __future__ import annotations

import typer
from rich.text import Text

from .app import JSON_OPT, app, console, err_console, print_json


@app.command("migrate-to")
def migrate_to_cmd(
    url: str = typer.Argument(..., help="The target: postgresql://USER:PASSWORD@HOST/DB (empty)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Copy this SQLite database (--db) into an empty PostgreSQL database, verified."""
    from goodwill.services.migrate_to import migrate_to

    def progress(table: str, rows: int) -> None:
        if not as_json:
            err_console.print(Text(f"copied {rows:>8} rows of {table}", style="dim"))

    result = migrate_to(url=url, progress=progress)
    if as_json:
        print_json({"ok": True, "rows": result.rows, "tables": result.tables, "verified": "sha256"})
        return
    console.print(
        Text(
            f"Copied {result.rows} rows in {len(result.tables)} tables; row counts and "
            "SHA-256 checksums match. Use GOODWILL_DB with that URL from now on."
        )
    )
