"""Parsing of user-typed values shared by every adapter (CLI, web, API, import)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .errors import BadInput


def parse_date(value: str | dt.date | None, *, today: dt.date, field: str = "date") -> dt.date:
    """ISO dates (2026-11-23), or 'today' / 'yesterday' / '-3d' relative to ``today``."""
    if value is None or value == "":
        return today
    if isinstance(value, dt.date):
        return value
    text = value.strip().lower()
    if text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    if text.startswith("-") and text.endswith("d") and text[1:-1].isdigit():
        return today - dt.timedelta(days=int(text[1:-1]))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"bad {field} {value!r}: use YYYY-MM-DD, 'today', 'yesterday' or '-Nd'", field=field
        ) from None


def parse_choice(value: str, choices: Iterable[str], *, field: str) -> str:
    """``value`` if it is one of ``choices`` (case-insensitive, '-' as '_'), else BadInput."""
    options = list(choices)
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key in options:
        return key
    raise BadInput(f"unknown {field} {value!r}: choose one of {', '.join(options)}", field=field)


def parse_amount(value: str | Decimal | int | float, *, field: str = "amount") -> Decimal:
    """A non-negative money amount as Decimal with at most 2 decimals."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise BadInput(f"bad {field} {value!r}: not a number", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise BadInput(f"bad {field} {value!r}: must be zero or more", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise BadInput(f"bad {field} {value!r}: at most 2 decimals", field=field)
    return amount.quantize(Decimal("0.01"))


def parse_positive_int(value: str | int, *, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadInput(
            f"bad {field} {value!r}: must be a positive whole number", field=field
        ) from None
    if number <= 0:
        raise BadInput(f"bad {field} {value!r}: must be a positive whole number", field=field)
    return number
