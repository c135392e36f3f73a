"""The yearly review: what relationships were worth this year, and why.

All figures are won deals dated in the year, kept per currency (core/money.py).
Where one number is asked for (``total``, shares, rankings, the chart, the
correlation) it is the *main* currency's, the one with the largest total; the
others are listed beside it, never added to it.

- ``by_origin``: the stored origin as the user said it; ``repeat_business``:
  detected repeats (the client had a won deal on an earlier date), whatever
  their stored origin. Shares are of the main currency's total.
- ``referrers``: direct and chain value (core/attribution.py).
- "why" of a deal or client: origin, referrer, event, how we met (source,
  introduced by), the relationship's age at the deal, and its health when the
  deal closed (services/health_at.py: the relationship scored as of the deal's
  date, the deal itself as the last touchpoint), since past scores are not stored.
- ``health_revenue``: Pearson's r between each client's current health and
  their revenue in the main currency, with n; above ``MAX_CORRELATION``
  clients an evenly spread, deterministic sample (by id) is scored.

How it is computed, in a fixed number of queries whatever the number of deals
and people: the won deals of the year are read once, ordered by date, as plain
tuples with the amount in integer cents (exact, on SQLite too), and one pass adds
them up by origin and currency, by client, currency and referrer (which is also
what attribution needs), and detects repeats; clients with a won deal before
the year come from one more query. Everything else reads a bounded number of
rows: the referral graph, the ``TOP`` deals and clients by id, their health at
close in three queries, and the correlation's sample (at most ``MAX_CORRELATION``
clients) in batches of ``MAX_IN``: at most 30 queries, tested.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, CharField, F
from django.db.models.functions import Cast, Round

from goodwill.core.attribution import DealFact, attribute, pearson, ranked
from goodwill.core.money import ZERO, Totals, main_currency, ordered, share
from goodwill.db.models import Deal, DealStatus, Origin, Person

from .context import Actor, scoped
from .deals import check_year, home_currency, referral_graph
from .health import MAX_IN, health_for
from .health_at import health_at
from .rows import plain_rows
from .thanks import Thanks, pending_thanks

TOP = 10
MAX_CURRENCIES = 5  # currencies listed with their own top deals
MAX_CORRELATION = 2000
MAX_POINTS = 300  # points drawn on the scatter


@dataclass
class Review:
    year: int
    currency: str
    total: Decimal
    totals: Totals
    deals: int
    by_origin: dict[str, dict[str, Any]]
    repeat_business: dict[str, Any]
    top_clients: list[dict[str, Any]]
    biggest_deals: list[dict[str, Any]]
    referrers: list[dict[str, Any]]
    thanks: list[Thanks]
    health_revenue: dict[str, Any]
    currencies: dict[str, dict[str, Any]] = field(default_factory=dict)


# A won deal: id, client, referrer, origin, currency, amount in cents, ISO date.
Row = tuple[int, int, int | None, str, str, int, str]


def _money(cents: int) -> Decimal:
    """Integer cents as an exact two-place Decimal."""
    return Decimal(int(cents)).scaleb(-2)


def _totals(cents: Mapping[str, int]) -> Totals:
    return ordered({cur: _money(v) for cur, v in cents.items()})


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _year_deals(actor: Actor, year: int) -> list[Row]:
    """The won deals of ``year``, oldest first; amounts in integer cents, dates as
    ISO text (one query)."""
    return plain_rows(
        scoped(Deal, actor.workspace)
        .filter(status=DealStatus.WON, date__year=year)
        .annotate(
            cents=Cast(Round(F("amount") * 100), BigIntegerField()),
            day=Cast("date", CharField()),
        )
        .order_by("date")
        .values_list("id", "client_id", "referrer_id", "origin", "currency", "cents", "day")
    )


@dataclass
class _Year:
    """The year's won deals added up in one pass (amounts in cents)."""

    origins: dict[tuple[str, str], list[int]]  # (origin, currency): [cents, deals]
    repeats: dict[str, list[int]]  # currency: [cents, deals] of detected repeats
    groups: dict[tuple[int, int | None, str], list[Any]]  # (client, referrer, currency):
    #   [cents, deals, last date, first deal id]
    first: dict[int, str]  # client: first won date in the year
    earlier: set[int]  # clients with a won deal before the year

    def is_repeat(self, client: int, day: str) -> bool:
        return client in self.earlier or self.first[client] < day


def _add_up(rows: list[Row], earlier: set[int]) -> _Year:
    """One pass over the deals (oldest first, so a client's first date is seen first)."""
    origins: dict[tuple[str, str], list[int]] = {}
    repeats: dict[str, list[int]] = {}
    groups: dict[tuple[int, int | None, str], list[Any]] = {}
    first: dict[int, str] = {}
    for did, cid, rid, origin, cur, cents, day in rows:
        acc = origins.get((origin, cur))
        if acc is None:
            origins[(origin, cur)] = [cents, 1]
        else:
            acc[0] += cents
            acc[1] += 1
        seen = first.get(cid)
        if seen is None:
            first[cid] = day
        if cid in earlier or (seen is not None and seen < day):
            acc = repeats.get(cur)
            if acc is None:
                repeats[cur] = [cents, 1]
            else:
                acc[0] += cents
                acc[1] += 1
        group = groups.get((cid, rid, cur))
        if group is None:
            groups[(cid, rid, cur)] = [cents, 1, day, did]
        else:
            group[0] += cents
            group[1] += 1
            group[2] = day
    return _Year(origins, repeats, groups, first, earlier)


@dataclass(frozen=True)
class _Client:
    """What the "why" needs of a client (and health_at: tier, role, cadence, created)."""

    pk: int
    name: str
    tier: str
    role: str
    cadence_days: int | None
    created_on: dt.date
    stage: str
    how_we_met: str


def _clients(actor: Actor, ids: set[int]) -> dict[int, _Client]:
    rows = (
        scoped(Person, actor.workspace)
        .filter(pk__in=ids)
        .values_list(
            "id", "name", "tier", "role", "cadence_days", "created_on", "stage",
            "source", "source_detail", "introduced_by__name",
        )
    )  # fmt: skip
    out = {}
    for pid, name, tier, role, cadence, created, stage, source, detail, introducer in rows:
        if introducer is not None:
            met = f"introduced by {introducer}"
        else:
            met = f"{source} ({detail})" if detail else source
        out[pid] = _Client(pid, name, tier, role, cadence, created, stage, met)
    return out


def _block(values: Totals, deals: int, currency: str, whole: Decimal) -> dict[str, Any]:
    amount = values.get(currency, ZERO)
    return {
        "total": amount,
        "share": share(amount, whole),
        "deals": deals,
        "totals": ordered(values),
    }


def _biggest(rows: list[Row], currency: str) -> list[Row]:
    """The ``TOP`` deals in ``currency`` by amount (then date, id)."""
    return heapq.nsmallest(
        TOP, (r for r in rows if r[4] == currency), key=lambda r: (-r[5], r[6], r[0])
    )


def _top_clients(clients: dict[int, dict[str, int]], currency: str) -> list[int]:
    """The ``TOP`` clients by revenue in ``currency`` (then id)."""
    return heapq.nsmallest(
        TOP,
        (c for c, t in clients.items() if currency in t),
        key=lambda c: (-clients[c][currency], c),
    )


def _why(
    *,
    origin: str,
    repeat: bool,
    client: _Client,
    referrer: dict[str, Any] | None,
    event: dict[str, Any] | None,
    date: dt.date,
    health: int | None,
) -> dict[str, Any]:
    age = max(0, (date - client.created_on).days)
    words = [origin.replace("_", " ")]
    if referrer is not None:
        words.append(f"referred by {referrer['name']}")
    if event is not None:
        words.append(f"from {event['name']}")
    if repeat:
        words.append("repeat business")
    words.append(client.how_we_met)
    words.append(f"known {age} days")
    if health is not None:
        words.append(f"health {health} at close")
    return {
        "origin": origin,
        "repeat": repeat,
        "referrer": referrer,
        "event": event,
        "how_we_met": client.how_we_met,
        "relationship_days": age,
        "health_at_close": health,
        "summary": "; ".join(words),
    }


@contextmanager
def _no_collection() -> Iterator[None]:
    """The review makes hundreds of thousands of small containers (rows, groups)
    that all live until it is built: the cyclic garbage collector, run every few
    hundred of them, would only scan them again and again (some 15% of the time at
    200k deals). Reference counting still frees everything as usual; collection
    resumes at the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def yearly_review(*, actor: Actor, today: dt.date, year: int | None = None) -> Review:
    """The review of ``year`` (default: this year)."""
    year = check_year(year) or today.year
    with _no_collection():
        return _review(actor, today, year)


def _review(actor: Actor, today: dt.date, year: int) -> Review:
    ws = actor.workspace
    rows = _year_deals(actor, year)
    earlier = set(
        scoped(Deal, ws)
        .filter(status=DealStatus.WON, date__lt=dt.date(year, 1, 1))
        .order_by()
        .values_list("client_id", flat=True)
        .distinct()
    )
    y = _add_up(rows, earlier)

    cents: dict[str, int] = {}
    per_currency: dict[str, int] = {}
    origin_cents: dict[str, dict[str, int]] = {}
    origin_counts: dict[str, int] = {}
    for (origin, cur), (amount, n) in y.origins.items():
        cents[cur] = cents.get(cur, 0) + amount
        per_currency[cur] = per_currency.get(cur, 0) + n
        origin_cents.setdefault(origin, {})[cur] = amount
        origin_counts[origin] = origin_counts.get(origin, 0) + n
    totals = _totals(cents)
    currency = main_currency(totals, default=home_currency(actor))
    whole = totals.get(currency, ZERO)
    by_origin = {
        o: _block(_totals(origin_cents.get(o, {})), origin_counts.get(o, 0), currency, whole)
        for o in Origin.values
    }
    repeat_business = _block(
        _totals({cur: v[0] for cur, v in y.repeats.items()}),
        sum(v[1] for v in y.repeats.values()),
        currency,
        whole,
    )

    # Revenue per client and currency, deals and last deal per client.
    clients: dict[int, dict[str, int]] = {}
    client_deals: dict[int, int] = {}
    last: dict[int, str] = {}
    for (cid, _rid, cur), (amount, n, day, _first) in y.groups.items():
        revenue = clients.get(cid)
        if revenue is None:
            clients[cid] = {cur: amount}
            client_deals[cid] = n
            last[cid] = day
        else:
            revenue[cur] = revenue.get(cur, 0) + amount
            client_deals[cid] += n
            last[cid] = max(last[cid], day)

    shown = list(totals)[:MAX_CURRENCIES]
    biggest = [r for cur in shown for r in _biggest(rows, cur)]
    top_ids = [(cid, cur) for cur in shown for cid in _top_clients(clients, cur)]
    who = _clients(actor, {r[1] for r in biggest} | {cid for cid, _ in top_ids})
    details: dict[int, tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = {}
    for did, title, rid, rname, eid, ename in (
        scoped(Deal, ws)
        .filter(pk__in=[r[0] for r in biggest])
        .values_list("id", "title", "referrer_id", "referrer__name", "event_id", "event__name")
    ):
        details[did] = (
            title,
            None if rid is None else {"id": rid, "name": rname},
            None if eid is None else {"id": eid, "name": ename},
        )
    health = health_at(
        actor=actor,
        wanted=[(who[r[1]], _day(r[6])) for r in biggest if r[1] in who]
        + [(who[cid], _day(last[cid])) for cid, _ in top_ids if cid in who],
    )

    biggest_deals = []
    for did, cid, _rid, origin, cur, amount, day in biggest:
        client = who.get(cid)
        if client is None:
            continue
        title, referrer, event = details.get(did, ("", None, None))
        date = _day(day)
        repeat = y.is_repeat(cid, day)
        biggest_deals.append(
            {
                "id": did,
                "title": title,
                "client": {"id": cid, "name": client.name},
                "amount": _money(amount),
                "currency": cur,
                "date": date,
                "origin": origin,
                "repeat": repeat,
                "referrer": referrer,
                "why": _why(
                    origin=origin,
                    repeat=repeat,
                    client=client,
                    referrer=referrer,
                    event=event,
                    date=date,
                    health=health.get((cid, date)),
                ),
            }
        )
    top_clients = []
    for cid, cur in top_ids:
        client = who.get(cid)
        if client is None:
            continue
        closed = _day(last[cid])
        age = max(0, (closed - client.created_on).days)
        top_clients.append(
            {
                "person": {"id": cid, "name": client.name},
                "total": _money(clients[cid][cur]),
                "currency": cur,
                "totals": _totals(clients[cid]),
                "deals": client_deals[cid],
                "why": {
                    "how_we_met": client.how_we_met,
                    "role": client.role,
                    "stage": client.stage,
                    "relationship_days": age,
                    "health_at_close": health.get((cid, closed)),
                    "summary": f"{client.how_we_met}; {client_deals[cid]} deal(s); "
                    f"known {age} days",
                },
            }
        )

    return Review(
        year=year,
        currency=currency,
        total=whole,
        totals=totals,
        deals=sum(per_currency.values()),
        by_origin=by_origin,
        repeat_business=repeat_business,
        top_clients=top_clients,
        biggest_deals=biggest_deals,
        referrers=_referrers(actor, y.groups, currency),
        thanks=pending_thanks(actor=actor, today=today),
        health_revenue=_health_revenue(actor, clients, currency, today),
        currencies={
            cur: {"total": amount, "deals": per_currency[cur]} for cur, amount in totals.items()
        },
    )


def _referrers(
    actor: Actor, groups: dict[tuple[int, int | None, str], list[Any]], currency: str
) -> list[dict[str, Any]]:
    """Top referrers with direct and chain value: the referral graph in two queries,
    the year's deals grouped by client, referrer and currency (they credit the same
    chain), and one query for the names."""
    graph = referral_graph(actor=actor)
    facts = [
        DealFact(
            id=first, client_id=cid, amount=_money(amount), currency=cur, referrer_id=rid, deals=n
        )
        for (cid, rid, cur), (amount, n, _day, first) in groups.items()
        if rid is not None or cid in graph
    ]
    credits = ranked(attribute(facts, graph), currency)[:TOP]
    names = dict(
        scoped(Person, actor.workspace)
        .filter(pk__in=[c.person_id for c in credits])
        .values_list("id", "name")
    )
    return [
        {
            "person": {"id": c.person_id, "name": names.get(c.person_id, "")},
            "total": c.total().get(currency, ZERO),
            "currency": currency,
            "direct": ordered(c.direct),
            "chain": ordered(c.chain),
            "by_degree": {str(d): ordered(t) for d, t in c.by_degree.items()},
            "direct_deals": c.direct_deals,
            "chain_deals": c.chain_deals,
        }
        for c in credits
    ]


def _health_revenue(
    actor: Actor, clients: dict[int, dict[str, int]], currency: str, today: dt.date
) -> dict[str, Any]:
    """Current health against revenue in ``currency``, per client (see the docstring):
    one query for the people, health in batches of ``MAX_IN``."""
    ids = sorted(cid for cid, t in clients.items() if currency in t)
    total = len(ids)
    sampled = total > MAX_CORRELATION
    if sampled:
        step = total / MAX_CORRELATION
        ids = [ids[int(i * step)] for i in range(MAX_CORRELATION)]
    people = (
        list(
            scoped(Person, actor.workspace)
            .filter(pk__in=ids)
            .only("id", "name", "tier", "role", "cadence_days", "created_on", "last_contact")
        )
        if ids
        else []
    )
    scores = {}
    for i in range(0, len(people), MAX_IN):
        scores.update(health_for(actor=actor, people=people[i : i + MAX_IN], today=today))
    points: list[dict[str, Any]] = [
        {
            "person": {"id": p.pk, "name": p.name},
            "health": scores[p.pk].score,
            "revenue": _money(clients[p.pk][currency]),
        }
        for p in people
        if p.pk in scores
    ]
    r = pearson([float(x["health"]) for x in points], [float(x["revenue"]) for x in points])
    points.sort(key=lambda x: (-x["revenue"], x["person"]["id"]))
    return {
        "currency": currency,
        "n": len(points),
        "clients": total,
        "sampled": sampled,
        "correlation": r,
        "meaning": _meaning(r, len(points)),
        "points": points[:MAX_POINTS],
    }


def _meaning(r: float | None, n: int) -> str:
    if r is None:
        return f"not enough clients with revenue to say (n={n})"
    strength = "strong" if abs(r) >= 0.5 else "moderate" if abs(r) >= 0.3 else "weak"
    way = "healthier relationships brought more revenue" if r > 0 else "no positive link"
    return f"{strength} correlation (r={r:+.2f}, n={n}): {way}"
