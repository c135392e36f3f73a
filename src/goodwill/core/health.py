"""Relationship health: a 0–100 score made of named, explainable components.

    score = round(100 * Σ weight_c * value_c)      each value_c in 0..1, Σ weights = 1

Components (``d`` = days since the last touchpoint of any kind, ``c`` = cadence):

recency (0.35)
    1 while ``d <= c``, then halves every further cadence:
    ``2 ** (-(d - c) / c)``. Decaying, not a cliff; never contacted = 0.
frequency (0.20)
    touchpoints (interactions and favours) in the last 365 days against what
    the cadence asks for over the time we have known them:
    ``min(1, n / max(1, min(365, known_days) / c))``.
reciprocity (0.15)
    who initiates and favours both ways; a one-way relationship weighs little:
    ``(min(me, them) + min(given, received) + 0.5) / (max(me, them) + max(given, received) + 1)``
    over the last 365 days' interactions (``me``/``them`` = who initiated) and
    all favours. No data gives 0.5.
depth (0.15)
    mean of three parts: variety ``min(1, distinct kinds / 4)``; quality
    ``mean quality / 5`` (0.6 when never rated); substance, the mean weight of
    touchpoints where helping (help, introduction, referral, article, book,
    gift) = 1, other contact = 0.7 and a pitch = 0.3. No interactions = 0.
commitments (0.10)
    promises that came due: kept on time = 1, kept late = 0.5, broken or open
    past due = 0; the mean, or 1 when nothing has come due.
trend (0.05)
    the last 180 days against the 180 before:
    ``0.5 + 0.5 * (recent - previous) / max(recent, previous)``; 0.5 if both are 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

WEIGHTS: dict[str, float] = {
    "recency": 0.35,
    "frequency": 0.20,
    "reciprocity": 0.15,
    "depth": 0.15,
    "commitments": 0.10,
    "trend": 0.05,
}
HELP_KINDS = frozenset(
    {"help", "introduction", "referral", "shared_article", "recommended_book", "gift"}
)


@dataclass(frozen=True)
class Component:
    name: str
    value: float  # 0..1
    weight: float
    explanation: str


@dataclass(frozen=True)
class Health:
    """A score and its parts: (component, value, its explanation when asked for). A
    list shows only scores: the explanations are written when ``components`` is first
    read (for 50 people, 0.50 -> 0.25 ms)."""

    score: int
    parts: tuple[tuple[str, float, Callable[[], str]], ...] = ()

    @cached_property
    def components(self) -> list[Component]:
        return [Component(n, v, WEIGHTS[n], explain()) for n, v, explain in self.parts]


@dataclass(frozen=True)
class HealthInput:
    """Everything health needs about one relationship (counts over the last 365 days
    unless said otherwise)."""

    last_contact: dt.date | None
    cadence: int
    known_since: dt.date
    touches: int = 0  # interactions + favours
    by_me: int = 0
    by_them: int = 0
    favours_given: int = 0  # all time
    favours_received: int = 0  # all time
    kinds: int = 0  # distinct interaction kinds
    interactions: int = 0
    helping: int = 0  # interactions of a helping kind (not pitches)
    pitches: int = 0
    quality_mean: float | None = None
    kept_on_time: int = 0  # commitments, all time
    kept_late: int = 0
    broken: int = 0  # broken, or open past due
    recent: int = 0  # touchpoints in the last 180 days
    previous: int = 0  # touchpoints in the 180 days before


def recency(last: dt.date | None, cadence: int, today: dt.date) -> float:
    if last is None:
        return 0.0
    days = (today - last).days
    return float(2.0 ** (-max(0, days - cadence) / max(1, cadence)))


def score(inp: HealthInput, today: dt.date) -> Health:
    """The health of one relationship with every component explained."""
    c = max(1, inp.cadence)
    parts: list[tuple[str, float, Callable[[], str]]] = []

    rec = recency(inp.last_contact, c, today)
    last = inp.last_contact
    if last is None:
        parts.append(("recency", rec, lambda: "no contact yet"))
    else:
        days = (today - last).days
        late = f", {days - c} days late" if days > c else ""
        parts.append(
            ("recency", rec, lambda: f"{days} days since last contact (cadence {c}{late})")
        )

    known = max(1, min(365, (today - inp.known_since).days))
    expected = max(1.0, known / c)
    freq = min(1.0, inp.touches / expected)
    parts.append(
        (
            "frequency",
            freq,
            lambda: f"{inp.touches} touchpoints in 12 months, cadence asks ~{expected:.0f}",
        )
    )

    low = min(inp.by_me, inp.by_them) + min(inp.favours_given, inp.favours_received)
    high = max(inp.by_me, inp.by_them) + max(inp.favours_given, inp.favours_received)
    recip = (low + 0.5) / (high + 1)
    parts.append(
        (
            "reciprocity",
            recip,
            lambda: (
                f"initiated by me {inp.by_me}, by them {inp.by_them}; "
                f"favours given {inp.favours_given}, received {inp.favours_received}"
            ),
        )
    )

    if inp.interactions:
        variety = min(1.0, inp.kinds / 4)
        quality = (inp.quality_mean / 5) if inp.quality_mean is not None else 0.6
        other = max(0, inp.interactions - inp.helping - inp.pitches)
        substance = (inp.helping + 0.7 * other + 0.3 * inp.pitches) / inp.interactions
        depth = (variety + quality + substance) / 3
        parts.append(
            (
                "depth",
                depth,
                lambda: (
                    f"{inp.kinds} kinds of touchpoint, {inp.helping} helping, "
                    f"{inp.pitches} pitches"
                    + (
                        f", quality {inp.quality_mean:.1f}/5"
                        if inp.quality_mean is not None
                        else ""
                    )
                ),
            )
        )
    else:
        parts.append(("depth", 0.0, lambda: "no interactions in 12 months"))

    due = inp.kept_on_time + inp.kept_late + inp.broken
    if due:
        kept = (inp.kept_on_time + 0.5 * inp.kept_late) / due
        parts.append(
            (
                "commitments",
                kept,
                lambda: (
                    f"{inp.kept_on_time} kept on time, {inp.kept_late} late, "
                    f"{inp.broken} broken or overdue"
                ),
            )
        )
    else:
        parts.append(("commitments", 1.0, lambda: "no promises have come due"))

    top = max(inp.recent, inp.previous)
    trend = 0.5 + 0.5 * (inp.recent - inp.previous) / top if top else 0.5
    word = "more" if inp.recent > inp.previous else "fewer" if inp.recent < inp.previous else "as"
    parts.append(
        (
            "trend",
            trend,
            lambda: (
                f"{inp.recent} touchpoints in the last 6 months, {word} than the "
                f"{inp.previous} before"
                if word != "as"
                else f"{inp.recent} touchpoints in the last 6 months, as many as before"
            ),
        )
    )

    total = sum(WEIGHTS[n] * v for n, v, _ in parts)
    return Health(score=max(0, min(100, math.floor(100 * total + 0.5))), parts=tuple(parts))
