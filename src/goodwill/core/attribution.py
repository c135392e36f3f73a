"""Who brought the business: direct and chain value of referrals.

The referral graph: every person has at most one *bringer*, who brought them
into the network — their ``introduced_by``, else the referrer of their
earliest won referral deal (:func:`bringers`).

For each won deal of amount ``v`` for client ``c``:

- the first-degree referrer ``r1`` is the deal's referrer, else ``c``'s bringer;
- ``r2`` is ``r1``'s bringer, ``r3`` is ``r2``'s, … (the chain);
- ``r1`` is credited ``v`` as **direct** value, and ``rk`` (k ≥ 2) is credited
  ``v × DECAY^(k-1)`` as **chain** value (k-th degree), with ``DECAY = 1/2``:
  A referred B, B referred C, C buys for 400: B has 400 direct, A has 200 chain.

No double counting: a deal credits each person at most once, at their nearest
degree; the walk stops at the client, at anyone already on the chain (so a cycle
A→B→A terminates and counts each deal once) and after ``MAX_DEGREE`` steps.
Attributed value is credit, not a split: the review's totals add deals, never
attributions. Money stays ``Decimal`` (``0.5^k`` is exact in decimal) and per
currency; totals are rounded to cents (half-even) only at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import NamedTuple

from .money import CENT, ZERO, Totals, add

DECAY = Decimal("0.5")
MAX_DEGREE = 6


class DealFact(NamedTuple):
    """A won deal, or ``deals`` won deals of one client with the same referrer and
    currency (``amount`` their sum, ``id`` the first one's): they credit the same chain."""

    id: int
    client_id: int
    amount: Decimal
    currency: str
    referrer_id: int | None = None
    deals: int = 1


@dataclass
class Credit:
    person_id: int
    direct: Totals = field(default_factory=dict)
    chain: Totals = field(default_factory=dict)
    by_degree: dict[int, Totals] = field(default_factory=dict)
    direct_deals: int = 0
    chain_deals: int = 0

    def total(self) -> Totals:
        out: Totals = dict(self.direct)
        for currency, amount in self.chain.items():
            add(out, currency, amount)
        return out


def bringers(
    introduced_by: Mapping[int, int],
    referrals: Iterable[tuple[int, int]],
) -> dict[int, int]:
    """Who brought each person: ``introduced_by`` first, else the referrer of the
    first ``(client, referrer)`` pair seen (pass them oldest first). Self-loops dropped."""
    out = {p: b for p, b in introduced_by.items() if p != b}
    for client, referrer in referrals:
        if client != referrer and client not in out:
            out[client] = referrer
    return out


def _up(first: int, brought_by: Mapping[int, int]) -> tuple[int, ...]:
    """``first`` and who brought them, and so on: no repeats, ``MAX_DEGREE`` at most."""
    out = [first]
    seen = {first}
    current = first
    while len(out) < MAX_DEGREE:
        nxt = brought_by.get(current)
        if nxt is None or nxt in seen:
            break
        seen.add(nxt)
        out.append(nxt)
        current = nxt
    return tuple(out)


def _chain(
    first: int | None, client: int, brought_by: Mapping[int, int], ups: dict[int, tuple[int, ...]]
) -> tuple[int, ...]:
    if first is None or first == client:
        return ()
    up = ups.get(first)
    if up is None:
        up = ups[first] = _up(first, brought_by)
    # The walk stops at the client: nobody's chain runs through their own deal.
    return up[: up.index(client)] if client in up else up


def chain(deal: DealFact, brought_by: Mapping[int, int]) -> list[int]:
    """The people credited for ``deal``: ``[r1, r2, …]``, nearest first, no repeats."""
    first = deal.referrer_id if deal.referrer_id is not None else brought_by.get(deal.client_id)
    return list(_chain(first, deal.client_id, brought_by, {}))


def _round(totals: Totals) -> Totals:
    return {c: a.quantize(CENT, rounding=ROUND_HALF_EVEN) for c, a in totals.items()}


def attribute(deals: Iterable[DealFact], brought_by: Mapping[int, int]) -> dict[int, Credit]:
    """Direct and chain credit per person (see the module docstring).

    Values are added up exactly per (person, degree, currency) and rounded to
    cents once, at the end; each walk up the graph is made once per first referrer."""
    ups: dict[int, tuple[int, ...]] = {}
    sums: dict[tuple[int, int, str], Decimal] = {}  # (person, degree, currency): value
    counts: dict[tuple[int, bool], int] = {}  # (person, direct?): deals credited
    for deal in deals:
        first = deal.referrer_id if deal.referrer_id is not None else brought_by.get(deal.client_id)
        value = deal.amount
        for degree, pid in enumerate(_chain(first, deal.client_id, brought_by, ups), start=1):
            key = (pid, degree, deal.currency)
            sums[key] = sums[key] + value if key in sums else value
            kind = (pid, degree == 1)
            counts[kind] = counts.get(kind, 0) + deal.deals
            value = value * DECAY
    credits: dict[int, Credit] = {}
    for (pid, degree, currency), value in sums.items():
        credit = credits.get(pid)
        if credit is None:
            credit = credits[pid] = Credit(
                person_id=pid,
                direct_deals=counts.get((pid, True), 0),
                chain_deals=counts.get((pid, False), 0),
            )
        add(credit.direct if degree == 1 else credit.chain, currency, value)
        add(credit.by_degree.setdefault(degree, {}), currency, value)
    for credit in credits.values():
        credit.direct = _round(credit.direct)
        credit.chain = _round(credit.chain)
        credit.by_degree = {d: _round(t) for d, t in sorted(credit.by_degree.items())}
    return credits


def ranked(credits: Mapping[int, Credit], currency: str) -> list[Credit]:
    """Credits by total value in ``currency`` (then by deals credited, then id), largest first.

    Other currencies never enter the ranking's sum: there is no exchange rate."""

    def key(c: Credit) -> tuple[Decimal, int, int]:
        value = c.direct.get(currency, ZERO) + c.chain.get(currency, ZERO)  # c.total()[currency]
        return (-value, -(c.direct_deals + c.chain_deals), c.person_id)

    return sorted(credits.values(), key=key)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r of two equally long series; None below 3 points or with no spread.

    Used for "health versus revenue per client": r near 1 means healthier
    relationships brought more revenue; always shown with its n."""
    n = len(xs)
    if n < 3 or n != len(ys):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return round(float(sxy / (sxx * syy) ** 0.5), 4)
