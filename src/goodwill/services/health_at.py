"""Health as of past dates, for many (person, date) pairs in three queries.

:mod:`.health` scores relationships as of one day from SQL aggregates. The
yearly review asks for a client's health on the day a deal closed, for dozens of
(person, date) pairs with as many dates; one set of aggregates per date would
cost three queries a date. Here the touchpoints of those people are read once
(interactions, favours, commitments: three queries whatever the number of
pairs) and counted as of each date, with the windows of :mod:`.health`:

- interactions dated in ``(date − 365, date]``, recent ones in ``(date − 180, date]``;
- favours given and received up to the date; of the year and recent as above;
- commitments made by the date: kept by then on time or late; broken when
  flagged broken or still open past their due date;
- the last touchpoint is the date itself (the deal), and we have known them
  since they were added (never later than the date).

Past scores are not stored, so this is an approximation of what the score was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from goodwill.core.health import HELP_KINDS, HealthInput, score
from goodwill.db.models import Commitment, Direction, Favour, Interaction, Party

from .context import Actor, scoped
from .health import cadence_policy

YEAR = dt.timedelta(days=365)
HALF = dt.timedelta(days=180)


class Relationship(Protocol):
    """What scoring needs of a person (a ``Person`` has it)."""

    @property
    def pk(self) -> Any: ...
    @property
    def tier(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def cadence_days(self) -> int | None: ...
    @property
    def created_on(self) -> dt.date: ...


def _by_person(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row)
    return out


def health_at(
    *, actor: Actor, wanted: Iterable[tuple[Relationship, dt.date]]
) -> dict[tuple[int, dt.date], int]:
    """The health score of each ``(person, date)`` as of that date (three queries)."""
    pairs = {(p.pk, date): p for p, date in wanted}
    if not pairs:
        return {}
    ws = actor.workspace
    ids = sorted({pid for pid, _ in pairs})
    first = min(date for _, date in pairs) - YEAR
    last = max(date for _, date in pairs)
    inter = _by_person(
        scoped(Interaction, ws)
        .filter(person_id__in=ids, date__gt=first, date__lte=last)
        .order_by()
        .values_list("person_id", "date", "initiated_by", "kind", "is_pitch", "quality")
    )
    fav = _by_person(
        scoped(Favour, ws)
        .filter(person_id__in=ids, date__lte=last)
        .values_list("person_id", "date", "direction")
    )
    com = _by_person(
        scoped(Commitment, ws)
        .filter(person_id__in=ids, created_on__lte=last)
        .values_list("person_id", "created_on", "due_date", "kept_on", "broken")
    )
    policy = cadence_policy(actor)
    out: dict[tuple[int, dt.date], int] = {}
    for (pid, date), p in pairs.items():
        year_ago, half = date - YEAR, date - HALF
        its = [r for r in inter.get(pid, ()) if year_ago < r[1] <= date]
        kinds = {r[3] for r in its}
        rated = [r[5] for r in its if r[5] is not None]
        favours = [r for r in fav.get(pid, ()) if r[1] <= date]
        on_time = late = broken = 0
        for _, made, due, kept, flagged in com.get(pid, ()):
            if made > date:
                continue
            if kept is not None and kept <= date:
                if due is None or kept <= due:
                    on_time += 1
                else:
                    late += 1
            elif flagged or (due is not None and due < date):
                broken += 1
        n = len(its)
        year_favours = sum(1 for r in favours if r[1] > year_ago)
        recent = sum(1 for r in its if r[1] > half) + sum(1 for r in favours if r[1] > half)
        touches = n + year_favours
        inp = HealthInput(
            last_contact=date,
            cadence=policy.days(tier=p.tier, role=p.role, override=p.cadence_days),
            known_since=min(p.created_on, date),
            touches=touches,
            by_me=sum(1 for r in its if r[2] == Party.ME),
            by_them=sum(1 for r in its if r[2] == Party.THEM),
            favours_given=sum(1 for r in favours if r[2] == Direction.GAVE),
            favours_received=sum(1 for r in favours if r[2] == Direction.RECEIVED),
            kinds=len(kinds),
            interactions=n,
            helping=sum(1 for r in its if r[3] in HELP_KINDS and not r[4]),
            pitches=sum(1 for r in its if r[4]),
            quality_mean=sum(rated) / len(rated) if rated else None,
            kept_on_time=on_time,
            kept_late=late,
            broken=broken,
            recent=recent,
            previous=touches - recent,
        )
        out[(pid, date)] = score(inp, date).score
    return out
