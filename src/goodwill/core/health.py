"""Relationship health (placeholder until issue 3 lands the full formula)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Component:
    name: str
    value: float  # 0..1
    weight: float
    explanation: str


@dataclass(frozen=True)
class Health:
    score: int
    components: list[Component] = field(default_factory=list)


def score_recency_only(last: dt.date | None, cadence: int, today: dt.date) -> Health:
    """recency = exp(-ln2 * max(0, days_since - cadence) / cadence)."""
    if last is None:
        comp = Component("recency", 0.0, 1.0, "no contact yet")
        return Health(0, [comp])
    days = (today - last).days
    value = math.exp(-math.log(2) * max(0, days - cadence) / cadence)
    comp = Component("recency", value, 1.0, f"{days} days since last contact (cadence {cadence})")
    return Health(round(100 * value), [comp])
