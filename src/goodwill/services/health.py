"""Health scores for many people at once (bulk inputs, then core.health).

PLACEHOLDER INTERFACE owned by the daily-discipline work (issue 3): callers use
``health_for``; its implementation is replaced there with the full formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from goodwill.core.health import Health, score_recency_only
from goodwill.db.models import Person

from .context import Actor


def health_for(*, actor: Actor, people: Sequence[Person], today: dt.date) -> dict[int, Health]:
    """Health of each person in ``people`` (a bounded number of queries)."""
    return {p.pk: score_recency_only(p.last_contact, p.cadence_days or 30, today) for p in people}
