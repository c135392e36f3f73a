"""Whom to reach out to today: ranking, overdue order, and plain-words reasons.

Everything is computed on columns (numpy arrays, one element per person) so a
network of 100k people ranks in milliseconds; only the few people picked get
their reasons and action written out.

Importance of a relationship, 0..1::

    importance = 0.35 tier + 0.30 role + 0.15 stage
               + 0.10 min(1, log10(1 + revenue) / 5) + 0.10 min(1, referrals / 3)

with tier inner 1, key 0.7, network 0.35; role and stage weights below;
``revenue`` = won deals with them as client; ``referrals`` = people and deals
they sent us.

Urgency, 0..1: 0 until half the cadence has passed, 1 at twice the cadence::

    urgency = clip((days_since / cadence - 0.5) / 1.5, 0, 1)

(``days_since`` counts from the last touchpoint of any kind. Someone never
contacted counts from when they were added, at half the urgency: a list of
imported contacts without history must not crowd out the relationships that
are really going quiet.)

Score of a person today::

    score = 60 urgency (0.4 + 0.6 importance) + 15 importance + 30 Σ boost weights

(Σ over kinds of boost: several of one kind, e.g. three late promises, count
as the strongest one, so one kind of reason cannot drown the others.)

where boosts are the other reasons to reach out today, each with a weight
0..1: a commitment due, a birthday or anniversary, a one-sided relationship to
rebalance, and the signals other areas provide (a referral to thank, an
introduction to follow up or that meets a need, an event follow-up).

The plan takes the highest scores (ties by id, so the same data and date give
the same plan), never someone let go, snoozed (until their date) or skipped in
the last ``SKIP_DAYS``; people suggested yesterday come only if nobody else
qualifies.

Overdue: people past their cadence, clients and partners first (the ones who
leave when they feel ignored), then by ``importance * days_since / cadence``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

SKIP_DAYS = 3
TIER_WEIGHT = {"inner": 1.0, "key": 0.7, "network": 0.35}
ROLE_WEIGHT = {
    "client": 1.0,
    "partner": 0.9,
    "referral_source": 0.85,
    "prospect": 0.6,
    "supervisor": 0.6,
    "employee": 0.5,
    "peer": 0.4,
    "friend": 0.4,
    "vendor": 0.3,
    "other": 0.3,
}
STAGE_WEIGHT = {
    "productive": 1.0,
    "nurturing": 0.8,
    "connected": 0.6,
    "identified": 0.4,
    "let_go": 0.0,
}
AT_RISK_ROLES = frozenset({"client", "partner"})


class Boost(NamedTuple):
    """One more reason to reach out to ``person_id`` today (a tuple: thousands are
    made for every plan)."""

    person_id: int
    kind: str
    weight: float  # 0..1
    reason: str
    action: str


@dataclass
class Pool:
    """The candidates as columns; element i of every array is the same person."""

    ids: Ints
    days_since: Floats
    contacted: Bools
    cadence: Floats
    tier_w: Floats
    role_w: Floats
    stage_w: Floats
    revenue: Floats
    referrals: Floats
    at_risk_role: Bools  # a client or partner
    active: Bools  # not let go

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def importance(pool: Pool) -> Floats:
    rev = np.minimum(1.0, np.log10(1.0 + np.maximum(pool.revenue, 0.0)) / 5.0)
    refs = np.minimum(1.0, pool.referrals / 3.0)
    result: Floats = (
        0.35 * pool.tier_w + 0.30 * pool.role_w + 0.15 * pool.stage_w + 0.10 * rev + 0.10 * refs
    )
    return result


def urgency(pool: Pool) -> Floats:
    ratio = pool.days_since / np.maximum(pool.cadence, 1.0)
    result: Floats = np.clip((ratio - 0.5) / 1.5, 0.0, 1.0) * np.where(pool.contacted, 1.0, 0.5)
    return result


def base_scores(pool: Pool) -> Floats:
    imp = importance(pool)
    result: Floats = 60.0 * urgency(pool) * (0.4 + 0.6 * imp) + 15.0 * imp
    return result


@dataclass(frozen=True)
class Pick:
    person_id: int
    index: int  # row in the pool
    score: float
    boosts: list[Boost] = field(default_factory=list)


def scores(pool: Pool, boosts: Iterable[Boost]) -> tuple[Floats, dict[int, list[Boost]]]:
    """Every person's score today, and the boosts that apply to each (by row)."""
    total = base_scores(pool)
    boosts = list(boosts)
    # Each boost's row, found by binary search (no dictionary of the whole pool).
    sorter = np.argsort(pool.ids, kind="stable")
    wanted = np.fromiter((b.person_id for b in boosts), dtype=np.int64, count=len(boosts))
    at = np.searchsorted(pool.ids, wanted, sorter=sorter).clip(0, max(len(pool) - 1, 0))
    rows = sorter[at] if len(pool) else at
    hit = (pool.ids[rows] == wanted) if len(pool) else np.zeros(len(boosts), dtype=bool)
    by_row: dict[int, list[Boost]] = {}
    strongest: dict[tuple[int, str], float] = {}
    for b, i, ok in zip(boosts, rows.tolist(), hit.tolist(), strict=True):
        if not ok:
            continue
        key = (i, b.kind)
        strongest[key] = max(strongest.get(key, 0.0), min(1.0, max(0.0, b.weight)))
        by_row.setdefault(i, []).append(b)
    for (i, _kind), weight in strongest.items():
        total[i] += 30.0 * weight
    return total, by_row


def rank(
    pool: Pool,
    boosts: Iterable[Boost],
    *,
    count: int,
    blocked: Iterable[int] = (),
    yesterday: Iterable[int] = (),
) -> list[Pick]:
    """The ``count`` people to reach out to, best first (deterministic).

    ``blocked``: snoozed, skipped, or already in today's plan; ``yesterday``:
    suggested yesterday, used only when nobody else qualifies."""
    if count <= 0 or len(pool) == 0:
        return []
    total, by_row = scores(pool, boosts)
    blocked_arr = np.fromiter((int(b) for b in blocked), dtype=np.int64)
    eligible = pool.active & (total > 0)
    if blocked_arr.size:
        eligible &= ~np.isin(pool.ids, blocked_arr)
    rows = np.flatnonzero(eligible)
    order = rows[np.lexsort((pool.ids[rows], -np.round(total[rows], 9)))]
    seen_yesterday = {int(y) for y in yesterday}
    fresh: list[int] = []
    again: list[int] = []
    for i in order.tolist():
        if int(pool.ids[i]) in seen_yesterday:
            if len(again) < count:
                again.append(i)
        else:
            fresh.append(i)
            if len(fresh) == count:
                break
    chosen = (fresh + again)[:count]
    return [
        Pick(
            person_id=int(pool.ids[i]),
            index=i,
            score=round(float(total[i]), 1),
            boosts=sorted(by_row.get(i, []), key=lambda b: (-b.weight, b.kind)),
        )
        for i in chosen
    ]


def overdue_weight(pool: Pool) -> tuple[Ints, Floats]:
    """Rows of the people past their cadence (contacted before, not let go) and how
    much each matters: importance × days since last contact / cadence."""
    late = pool.active & pool.contacted & (pool.days_since > pool.cadence)
    rows = np.flatnonzero(late)
    weight: Floats = (
        importance(pool)[rows] * pool.days_since[rows] / np.maximum(pool.cadence[rows], 1.0)
    )
    return rows, weight


def overdue_order(ids: Ints, weight: Floats, at_risk: Bools, first: int | None = None) -> Ints:
    """Positions in the overdue list's order: clients and partners first, then by
    weight (see :func:`overdue_weight`), ties by id. With ``first``, only the first
    that many: the rest are not sorted (O(n) to find them, then a sort of those
    few and their ties; the dashboard shows 8 of tens of thousands)."""
    key = -np.round(weight, 9)
    if first is not None and first < len(ids):
        # Clients and partners come first: the shown ones are the best of them, then
        # (when there are too few) the best of the rest. Within a group, every row
        # whose key is at most the first-th smallest (ties included) is a candidate.
        groups = [np.flatnonzero(at_risk), np.flatnonzero(~at_risk)]
        picked, room = [np.zeros(0, dtype=np.int64)], first
        for rows in groups:
            if room <= 0:
                break
            if len(rows) > room:
                bound = np.partition(key[rows], room - 1)[room - 1]
                rows = rows[key[rows] <= bound]
            picked.append(rows)
            room -= len(rows)
        rows = np.concatenate(picked)
        order: Ints = rows[np.lexsort((ids[rows], key[rows], ~at_risk[rows]))][:first]
        return order
    order = np.lexsort((ids, key, ~at_risk))
    return order


@dataclass(frozen=True)
class Facts:
    """What the words of a suggestion are made from, for one picked person."""

    name: str
    role: str
    tier: str
    organization: str = ""
    needs: str = ""
    personal: str = ""
    days_since: int = 0
    contacted: bool = True
    cadence: int = 30
    revenue: float = 0.0
    referrals: int = 0


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _times(ratio: float) -> str:
    if ratio >= 3:
        return f"{math.floor(ratio)} times"
    if ratio >= 2:
        return "over twice"
    return "past"


def explain(facts: Facts, boosts: Sequence[Boost]) -> tuple[list[str], str]:
    """Reasons in plain words and one concrete helpful action (never a pitch)."""
    first = first_name(facts.name)
    role = facts.role.replace("_", " ")
    reasons: list[str] = []
    ratio = facts.days_since / max(1, facts.cadence)
    if not facts.contacted:
        reasons.append(f"no touchpoint yet, added {facts.days_since} days ago")
    elif facts.days_since > facts.cadence:
        reasons.append(
            f"{facts.tier} {role} silent for {facts.days_since} days, "
            f"{_times(ratio)} their {facts.cadence}-day cadence"
        )
    for b in boosts:
        reasons.append(b.reason)
    if facts.revenue > 0:
        reasons.append(f"brought {facts.revenue:,.0f} in won business")
    if facts.referrals > 0:
        sent = "referral" if facts.referrals == 1 else "referrals"
        reasons.append(f"sent you {facts.referrals} {sent}")
    if not reasons:
        reasons.append(f"{facts.tier} {role}, last touchpoint {facts.days_since} days ago")

    if boosts:
        return reasons, boosts[0].action
    needs = facts.needs.strip().rstrip(".")
    if needs:
        action = (
            f"Ask {first} how “{needs}” is going and offer one idea or contact that could help."
        )
    elif not facts.contacted:
        action = (
            f"Introduce yourself to {first} with a short note and one thing useful to them; "
            "ask what they are working on."
        )
    elif facts.role in AT_RISK_ROLES:
        at = f" at {facts.organization}" if facts.organization else ""
        action = (
            f"Check in with {first}: ask how things are going{at} "
            "and whether there is anything you can help with."
        )
    elif facts.personal.strip():
        action = (
            f"Send {first} something that matches what you know about them "
            f"({facts.personal.strip()[:60]}): an article, a book or an event."
        )
    else:
        action = (
            f"Share an article or a contact useful to {first}, and ask what they are working on."
        )
    return reasons, action


def streak(days: Iterable[dt.date], today: dt.date) -> int:
    """Consecutive days with outreach ending today (or yesterday, while today is
    still open)."""
    have = set(days)
    day = today if today in have else today - dt.timedelta(days=1)
    n = 0
    while day in have:
        n += 1
        day -= dt.timedelta(days=1)
    return n


@dataclass(frozen=True)
class HeatCell:
    date: dt.date
    count: int
    level: int  # 0 (none) .. 4 (most)


def heatmap(counts: dict[dt.date, int], today: dt.date, weeks: int = 12) -> list[list[HeatCell]]:
    """``weeks`` columns of 7 days (Monday first) ending with today's week; the
    level is ``ceil(4 * count / busiest day)``, 0 for no outreach."""
    start = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    top = max([counts.get(start + dt.timedelta(days=i), 0) for i in range(7 * weeks)] + [0])
    columns: list[list[HeatCell]] = []
    for w in range(weeks):
        col = []
        for d in range(7):
            day = start + dt.timedelta(days=7 * w + d)
            if day > today:
                break
            n = counts.get(day, 0)
            level = 0 if n == 0 or top == 0 else min(4, -(-4 * n // top))
            col.append(HeatCell(day, n, level))
        columns.append(col)
    return columns
