"""The Typer app and what every command shares: the database, the actor, output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from typing import Any

import typer
from rich.console import Console

from goodwill import __version__

app = typer.Typer(
    name="goodwill",
    help="Build relationships as a daily habit, and see what they are worth.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

_state: dict[str, Any] = {"db": None}

JSON_OPT = typer.Option(False, "--json", help="Print only JSON to stdout.")


def _version(value: bool) -> None:
    if value:
        print(f"goodwill {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str = typer.Option(
        None, "--db", envvar="GOODWILL_DB", help="Database: a SQLite path or postgresql:// URL."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """goodwill: who to reach out to today, whom to introduce, what relationships are worth."""
    _state["db"] = db
    setup()


def setup() -> None:
    """Open (and on first use create and migrate) the database."""
    from goodwill import bootstrap

    bootstrap.setup(_state["db"])


def actor() -> Any:
    """The CLI acts as the local user in the default local workspace."""
    from goodwill.services.context import local_actor

    return local_actor()


def today() -> dt.date:
    """Today's date; GOODWILL_TODAY pins it (for scripts, demos and tests)."""
    pinned = os.environ.get("GOODWILL_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def plain(value: Any) -> Any:
    """Dataclasses, dates and Decimals as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(plain(value), ensure_ascii=False, indent=2) + "\n")
