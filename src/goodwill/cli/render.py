"""Rich renderings shared by commands (tables and panels of user text, escaped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.table import Table
from rich.text import Text


def health_text(score: int | None) -> Text:
    if score is None:
        return Text("–", style="dim")
    style = "green" if score >= 70 else "yellow" if score >= 40 else "red"
    return Text(str(score), style=style)


def when(value: dt.date | None, today: dt.date | None = None) -> str:
    if value is None:
        return "never"
    if today is None:
        return value.isoformat()
    days = (today - value).days
    return f"{value.isoformat()} ({days}d ago)" if days > 0 else value.isoformat()


def table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    """A table whose string cells are plain text (never Rich markup: user text is data)."""
    t = Table(title=title, title_justify="left", header_style="bold")
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*[c if isinstance(c, Text) else Text("" if c is None else str(c)) for c in row])
    return t
