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
  deal closed — approximated by scoring the relationship as of the deal's
  date (interactions, favours and commitments up to then, the deal itself as
  the last touchpoint), since past scores are not stored.
- ``health_revenue``: Pearson's r between each client's current health and
  their revenue in the main currency, with n; above ``MAX_CORRELATION``
  clients an evenly spread, deterministic sample (by id) is scored.

Queries are bounded: a few GROUP BYs over the year, the attribution inputs,
``TOP`` rows for each list, and health in batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from goodwill.core.attribution import DealFact, attribute, pearson, ranked
from goodwill.core.money import ZERO, Totals, add, main_currency, ordered, share
from goodwill.db.models import Deal, DealStatus, Origin, Person

from .context import Actor, scoped
from .deals import MAX_IN, check_year, first_won, home_currency, ref, referral_graph
from .health import health_for
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


def _q(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _how_we_met(p: Person) -> str:
    if p.introduced_by_id is not None and p.introduced_by is not None:
        return f"introduced by {p.introduced_by.name}"
    detail = f" ({p.source_detail})" if p.source_detail else ""
    return f"{p.source}{detail}"


def _health_at(
    actor: Actor, wanted: Iterable[tuple[Person, dt.date]]
) -> dict[tuple[int, dt.date], int]:
    """Health of each (person, date) as of that date; one batch per distinct date."""
    by_date: dict[dt.date, dict[int, Person]] = {}
    for person, date in wanted:
        copy = Person(
            pk=person.pk,
            tier=person.tier,
            role=person.role,
            cadence_days=person.cadence_days,
            created_on=min(person.created_on, date),
            last_contact=date,
        )
        by_date.setdefault(date, {})[person.pk] = copy
    out: dict[tuple[int, dt.date], int] = {}
    for date, people in by_date.items():
        for pid, h in health_for(actor=actor, people=list(people.values()), today=date).items():
            out[(pid, date)] = h.score
    return out


def _why(
    *,
    origin: str,
    repeat: bool,
    client: Person,
    referrer: Person | None,
    event: Any,
    date: dt.date,
    health: int | None,
) -> dict[str, Any]:
    age = max(0, (date - client.created_on).days)
    words = [origin.replace("_", " ")]
    if referrer is not None:
        words.append(f"referred by {referrer.name}")
    if event is not None:
        words.append(f"from {event.name}")
    if repeat:
        words.append("repeat business")
    words.append(_how_we_met(client))
    words.append(f"known {age} days")
    if health is not None:
        words.append(f"health {health} at close")
    return {
        "origin": origin,
        "repeat": repeat,
        "referrer": ref(referrer),
        "event": None if event is None else {"id": event.pk, "name": event.name},
        "how_we_met": _how_we_met(client),
        "relationship_days": age,
        "health_at_close": health,
        "summary": "; ".join(words),
    }


def _year_deals(actor: Actor, year: int) -> QuerySet[Deal]:
    return scoped(Deal, actor.workspace).filter(status=DealStatus.WON, date__year=year)


def _origins(
    won: QuerySet[Deal],
) -> tuple[Totals, dict[str, int], dict[str, Totals], dict[str, int]]:
    """Per-currency totals and counts, and per-origin totals and counts (one GROUP BY)."""
    totals: Totals = {}
    per_currency: dict[str, int] = {}
    counts: dict[str, int] = {}
    by_origin: dict[str, Totals] = {}
    for origin, currency, amount, n in (
        won.values("origin", "currency")
        .annotate(total=Sum("amount"), n=Count("id"))
        .values_list("origin", "currency", "total", "n")
    ):
        add(totals, currency, _q(amount))
        add(by_origin.setdefault(origin, {}), currency, _q(amount))
        counts[origin] = counts.get(origin, 0) + n
        per_currency[currency] = per_currency.get(currency, 0) + n
    return totals, per_currency, by_origin, counts


def _block(values: Totals, deals: int, currency: str, whole: Decimal) -> dict[str, Any]:
    amount = values.get(currency, ZERO)
    return {
        "total": amount,
        "share": share(amount, whole),
        "deals": deals,
        "totals": ordered(values),
    }


def yearly_review(*, actor: Actor, today: dt.date, year: int | None = None) -> Review:
    """The review of ``year`` (default: this year)."""
    year = check_year(year) or today.year
    won = _year_deals(actor, year)
    totals, per_currency, origin_totals, origin_counts = _origins(won)
    deals = sum(per_currency.values())
    currency = main_currency(totals, default=home_currency(actor))
    whole = totals.get(currency, ZERO)
    by_origin = {
        o: _block(origin_totals.get(o, {}), origin_counts.get(o, 0), currency, whole)
        for o in Origin.values
    }

    # Repeats in Python: a correlated EXISTS per deal is quadratic on SQLite.
    firsts = first_won(actor=actor, client_ids=None)
    rep_totals: Totals = {}
    rep_deals = 0
    for cid, date, amount, cur in won.values_list("client_id", "date", "amount", "currency"):
        if firsts.get(cid, date) < date:
            add(rep_totals, cur, amount)
            rep_deals += 1
    repeat_business = _block(rep_totals, rep_deals, currency, whole)

    currencies = ordered(totals)
    shown = list(currencies)[:MAX_CURRENCIES]

    # Biggest deals: the top of each shown currency, main currency first.
    biggest: list[Deal] = []
    for cur in shown:
        biggest += list(
            won.filter(currency=cur)
            .select_related("client", "client__introduced_by", "referrer", "event")
            .order_by("-amount", "date", "id")[:TOP]
        )

    # Top clients: revenue per (client, currency); ranked within each currency.
    per_client: dict[int, Totals] = {}
    client_deals: dict[int, int] = {}
    last_deal: dict[int, dt.date] = {}
    for cid, cur, amount, n, last in (
        won.values("client_id", "currency")
        .annotate(total=Sum("amount"), n=Count("id"), last=Max("date"))
        .values_list("client_id", "currency", "total", "n", "last")
    ):
        per_client.setdefault(cid, {})[cur] = _q(amount)
        client_deals[cid] = client_deals.get(cid, 0) + n
        last_deal[cid] = max(last_deal.get(cid, last), last)
    top_ids: list[tuple[int, str]] = []
    for cur in shown:
        ranked_ids = sorted(
            (cid for cid, t in per_client.items() if cur in t),
            key=lambda cid: (-per_client[cid][cur], cid),
        )
        top_ids += [(cid, cur) for cid in ranked_ids[:TOP]]
    people = {
        p.pk: p
        for p in scoped(Person, actor.workspace)
        .select_related("introduced_by")
        .filter(pk__in={cid for cid, _ in top_ids})
    }

    health = _health_at(
        actor,
        [(d.client, d.date) for d in biggest]
        + [(people[cid], last_deal[cid]) for cid, _ in top_ids if cid in people],
    )
    biggest_deals = [
        {
            "id": d.pk,
            "title": d.title,
            "client": ref(d.client),
            "amount": d.amount,
            "currency": d.currency,
            "date": d.date,
            "origin": d.origin,
            "repeat": firsts.get(d.client_id, d.date) < d.date,
            "referrer": ref(d.referrer),
            "why": _why(
                origin=d.origin,
                repeat=firsts.get(d.client_id, d.date) < d.date,
                client=d.client,
                referrer=d.referrer,
                event=d.event,
                date=d.date,
                health=health.get((d.client_id, d.date)),
            ),
        }
        for d in biggest
    ]
    top_clients = []
    for cid, cur in top_ids:
        p = people.get(cid)
        if p is None:
            continue
        top_clients.append(
            {
                "person": ref(p),
                "total": per_client[cid][cur],
                "currency": cur,
                "totals": ordered(per_client[cid]),
                "deals": client_deals[cid],
                "why": {
                    "how_we_met": _how_we_met(p),
                    "role": p.role,
                    "stage": p.stage,
                    "relationship_days": max(0, (last_deal[cid] - p.created_on).days),
                    "health_at_close": health.get((cid, last_deal[cid])),
                    "summary": f"{_how_we_met(p)}; {client_deals[cid]} deal(s); "
                    f"known {max(0, (last_deal[cid] - p.created_on).days)} days",
                },
            }
        )

    referrers = _referrers(actor, won, currency)
    return Review(
        year=year,
        currency=currency,
        total=whole,
        totals=currencies,
        deals=deals,
        by_origin=by_origin,
        repeat_business=repeat_business,
        top_clients=top_clients,
        biggest_deals=biggest_deals,
        referrers=referrers,
        thanks=pending_thanks(actor=actor, today=today),
        health_revenue=_health_revenue(actor, per_client, currency, today),
        currencies={
            cur: {"total": amount, "deals": per_currency[cur]} for cur, amount in currencies.items()
        },
    )


def _referrers(actor: Actor, won: QuerySet[Deal], currency: str) -> list[dict[str, Any]]:
    """Top referrers with direct and chain value (two queries for the graph, one for deals)."""
    graph = referral_graph(actor=actor)
    brought = list(graph)
    candidates = won.filter(Q(referrer__isnull=False) | Q(client_id__in=brought))
    if len(brought) > MAX_IN:  # a huge IN list: filter in Python instead
        candidates = won
    facts = [
        DealFact(id=i, client_id=c, amount=a, currency=cur, referrer_id=r)
        for i, c, r, a, cur in candidates.values_list(
            "id", "client_id", "referrer_id", "amount", "currency"
        )
        if r is not None or c in graph
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
    actor: Actor, per_client: dict[int, Totals], currency: str, today: dt.date
) -> dict[str, Any]:
    """Current health against revenue in ``currency``, per client (see the docstring)."""
    ids = sorted(cid for cid, t in per_client.items() if currency in t)
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
    scores = health_for(actor=actor, people=people, today=today) if people else {}
    points: list[dict[str, Any]] = [
        {
            "person": {"id": p.pk, "name": p.name},
            "health": scores[p.pk].score,
            "revenue": per_client[p.pk][currency],
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
