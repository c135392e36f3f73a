"""Reciprocity: what was given and received, per person and across the network.

Per person (counts of favours; ``value`` sums the optional estimated values):

    balance = given - received          > 0: I gave more; < 0: I received more

Flags (a partnership "should not be one-sided"):

only_taking
    ``received >= given + MARGIN`` and ``received >= RATIO * given``: I keep
    receiving and give little back. Shown first: it is the one to fix.
only_giving
    the mirror image, ``given >= received + MARGIN`` and ``given >= RATIO * received``.
    Fine (help first), but shown so it is a choice.
dormant
    favours once went either way, but none for ``DORMANT_DAYS`` or more.

with ``MARGIN = 2``, ``RATIO = 2``, ``DORMANT_DAYS = 365``.

Network-level reciprocity ("your benevolence will be rewarded, perhaps from some
unexpected source"). Each favour I gave to X on day t is

- returned directly when X gave me a favour after t;
- else returned through the network when business came after t from X's
  contacts: a won deal dated after t whose client or referrer is someone X
  brought (``introduced_by`` X, or whom X referred);
- else not (yet) returned.

    network_reciprocity = (direct + through_network) / given       (0 when nothing given)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

MARGIN = 2
RATIO = 2
DORMANT_DAYS = 365


@dataclass(frozen=True)
class FavourFact:
    person_id: int
    gave: bool  # True: I gave it; False: I received it
    date: dt.date
    value: Decimal | None = None


@dataclass
class Balance:
    person_id: int
    given: int = 0
    received: int = 0
    given_value: Decimal = Decimal("0.00")
    received_value: Decimal = Decimal("0.00")
    last_given: dt.date | None = None
    last_received: dt.date | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def balance(self) -> int:
        return self.given - self.received

    @property
    def value_balance(self) -> Decimal:
        return self.given_value - self.received_value

    @property
    def last_favour(self) -> dt.date | None:
        dates = [d for d in (self.last_given, self.last_received) if d is not None]
        return max(dates) if dates else None


FLAGS = ("only_taking", "only_giving", "dormant")  # every flag flags_for can give


def flags_for(b: Balance, today: dt.date) -> list[str]:
    """The flags of one balance (see the module docstring)."""
    out: list[str] = []
    if b.received >= b.given + MARGIN and b.received >= RATIO * b.given:
        out.append("only_taking")
    if b.given >= b.received + MARGIN and b.given >= RATIO * b.received:
        out.append("only_giving")
    last = b.last_favour
    if last is not None and (today - last).days >= DORMANT_DAYS:
        out.append("dormant")
    return out


def _later(a: dt.date | None, b: dt.date) -> dt.date:
    return b if a is None or b > a else a


def balances(facts: Iterable[FavourFact], today: dt.date) -> dict[int, Balance]:
    """One :class:`Balance` per person with at least one favour, flags set."""
    out: dict[int, Balance] = {}
    for f in facts:
        b = out.get(f.person_id)
        if b is None:
            b = out[f.person_id] = Balance(person_id=f.person_id)
        if f.gave:
            b.given += 1
            b.given_value += f.value or 0
            b.last_given = _later(b.last_given, f.date)
        else:
            b.received += 1
            b.received_value += f.value or 0
            b.last_received = _later(b.last_received, f.date)
    for b in out.values():
        b.flags = flags_for(b, today)
    return out


def sort_key(b: Balance) -> tuple[int, int, int]:
    """Only-taking first, then the most one-sided either way, then by id."""
    return (0 if "only_taking" in b.flags else 1, -abs(b.balance), b.person_id)


@dataclass(frozen=True)
class NetworkReciprocity:
    given: int
    returned_directly: int
    returned_through_network: int

    @property
    def not_returned(self) -> int:
        return self.given - self.returned_directly - self.returned_through_network

    @property
    def ratio(self) -> float:
        returned = self.returned_directly + self.returned_through_network
        return round(returned / self.given, 4) if self.given else 0.0


def network_reciprocity(
    gifts: Iterable[tuple[int, dt.date]],
    last_received: Mapping[int, dt.date],
    last_business: Mapping[int, dt.date],
    brought_by: Mapping[int, int],
) -> NetworkReciprocity:
    """Favours given, and how many came back directly or through the giver's contacts.

    ``gifts`` are ``(person, date)`` of favours I gave; ``last_received`` the
    latest favour each person gave me; ``last_business`` the latest won deal
    each person took part in (as client or referrer); ``brought_by`` who
    brought each person. O(gifts + people)."""
    last_via: dict[int, dt.date] = {}
    for pid, when in last_business.items():
        bringer = brought_by.get(pid)
        if bringer is not None:
            last_via[bringer] = _later(last_via.get(bringer), when)
    given = direct = network = 0
    for pid, when in gifts:
        given += 1
        back = last_received.get(pid)
        via = last_via.get(pid)
        if back is not None and back > when:
            direct += 1
        elif via is not None and via > when:
            network += 1
    return NetworkReciprocity(given, direct, network)
