"""The favours ledger: record a favour; balances and flags per person; network totals.

The ledger counts ``Favour`` rows and nothing else. Favours implied by other
records are rows too, made once by the service that records them: an
introduction made (``introduction`` set, for both people) and a won referral
deal (``deal`` set, received from the referrer; see services/deals.py). So
nothing is entered twice and nothing is derived twice. Formulas and flags:
core/reciprocity.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q, Sum

from goodwill.core.money import Totals, ordered
from goodwill.core.reciprocity import (
    FLAGS,
    Balance,
    NetworkReciprocity,
    flags_for,
    network_reciprocity,
)
from goodwill.core.reciprocity import sort_key as balance_order
from goodwill.db.models import Deal, DealStatus, Direction, Favour, FavourKind, Person

from .context import Actor, scoped
from .deals import last_business, referral_graph
from .errors import BadInput
from .parse import parse_amount, parse_choice, parse_date
from .touch import touched


@transaction.atomic
def record_favour(
    *,
    actor: Actor,
    person: Person,
    direction: str,
    kind: str,
    today: dt.date,
    value: str | Decimal | None = None,
    note: str = "",
    date: str | dt.date | None = None,
) -> Favour:
    """Help given to or received from ``person``; a touchpoint like any other."""
    actor.require_write()
    way = parse_choice(direction, Direction.values, field="direction")
    what = parse_choice(kind, FavourKind.values, field="kind")
    when = parse_date(date, today=today)
    if when > today:
        raise BadInput(f"the date {when} is in the future", field="date")
    amount = None if value in (None, "") else parse_amount(value, field="value")
    if amount is not None and amount >= Decimal("1e12"):
        raise BadInput(f"bad value {value!r}: too large", field="value")
    favour = Favour.objects.create(
        workspace=actor.workspace,
        person=person,
        direction=way,
        kind=what,
        value=amount,
        note=note.strip(),
        date=when,
    )
    touched(person, when)
    return favour


@dataclass
class LedgerRow:
    person: dict[str, object]
    given: int
    received: int
    balance: int
    given_value: Decimal
    received_value: Decimal
    value_balance: Decimal
    last_favour: dt.date | None
    only_taking: bool
    only_giving: bool
    dormant: bool
    flags: list[str]
    referred: Totals = field(default_factory=dict)  # won business they referred, per currency


def ledger(*, actor: Actor, today: dt.date, flag: str = "") -> list[LedgerRow]:
    """Everyone with a favour either way: only-taking first, then the most one-sided.

    Two GROUP BY queries, whatever the size of the network."""
    rows = (
        scoped(Favour, actor.workspace)
        .filter(date__lte=today)
        .values("person_id", "person__name")
        .annotate(
            given=Count("id", filter=Q(direction=Direction.GAVE)),
            received=Count("id", filter=Q(direction=Direction.RECEIVED)),
            given_value=Sum("value", filter=Q(direction=Direction.GAVE)),
            received_value=Sum("value", filter=Q(direction=Direction.RECEIVED)),
            last_given=Max("date", filter=Q(direction=Direction.GAVE)),
            last_received=Max("date", filter=Q(direction=Direction.RECEIVED)),
        )
    )
    names: dict[int, str] = {}
    balances: list[Balance] = []
    for r in rows:
        b = Balance(
            person_id=r["person_id"],
            given=r["given"],
            received=r["received"],
            given_value=Decimal(r["given_value"] or 0).quantize(Decimal("0.01")),
            received_value=Decimal(r["received_value"] or 0).quantize(Decimal("0.01")),
            last_given=r["last_given"],
            last_received=r["last_received"],
        )
        b.flags = flags_for(b, today)
        names[b.person_id] = r["person__name"]
        balances.append(b)
    if flag:
        wanted = parse_choice(flag, list(FLAGS), field="flag")
        balances = [b for b in balances if wanted in b.flags]
    referred: dict[int, Totals] = {}
    for pid, currency, amount in (
        scoped(Deal, actor.workspace)
        .filter(status=DealStatus.WON, referrer__isnull=False, date__lte=today)
        .values("referrer_id", "currency")
        .annotate(total=Sum("amount"))
        .values_list("referrer_id", "currency", "total")
    ):
        referred.setdefault(pid, {})[currency] = Decimal(amount).quantize(Decimal("0.01"))
    balances.sort(key=balance_order)
    return [
        LedgerRow(
            person={"id": b.person_id, "name": names[b.person_id]},
            given=b.given,
            received=b.received,
            balance=b.balance,
            given_value=b.given_value,
            received_value=b.received_value,
            value_balance=b.value_balance,
            last_favour=b.last_favour,
            only_taking="only_taking" in b.flags,
            only_giving="only_giving" in b.flags,
            dormant="dormant" in b.flags,
            flags=b.flags,
            referred=ordered(referred.get(b.person_id, {})),
        )
        for b in balances
    ]


@dataclass
class LedgerSummary:
    people: int
    given: int
    received: int
    balance: int
    given_value: Decimal
    received_value: Decimal
    only_taking: int
    only_giving: int
    dormant: int
    network: dict[str, object]


def summarize(rows: list[LedgerRow], network: NetworkReciprocity) -> LedgerSummary:
    """Overall totals of ``rows`` (the whole ledger) and network-level reciprocity."""
    return LedgerSummary(
        people=len(rows),
        given=sum(r.given for r in rows),
        received=sum(r.received for r in rows),
        balance=sum(r.balance for r in rows),
        given_value=sum((r.given_value for r in rows), Decimal("0.00")),
        received_value=sum((r.received_value for r in rows), Decimal("0.00")),
        only_taking=sum(r.only_taking for r in rows),
        only_giving=sum(r.only_giving for r in rows),
        dormant=sum(r.dormant for r in rows),
        network={
            "given": network.given,
            "returned_directly": network.returned_directly,
            "returned_through_network": network.returned_through_network,
            "not_returned": network.not_returned,
            "ratio": network.ratio,
        },
    )


def network_level(*, actor: Actor, today: dt.date) -> NetworkReciprocity:
    """Favours given that came back, directly or through the receiver's contacts."""
    favours = scoped(Favour, actor.workspace).filter(date__lte=today)
    gifts = favours.filter(direction=Direction.GAVE).values_list("person_id", "date")
    last_received = dict(
        favours.filter(direction=Direction.RECEIVED)
        .values("person_id")
        .annotate(last=Max("date"))
        .values_list("person_id", "last")
    )
    return network_reciprocity(
        gifts, last_received, last_business(actor=actor), referral_graph(actor=actor)
    )


def ledger_summary(*, actor: Actor, today: dt.date) -> LedgerSummary:
    return summarize(ledger(actor=actor, today=today), network_level(actor=actor, today=today))
