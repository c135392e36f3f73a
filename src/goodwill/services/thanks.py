"""Thank-yous: referrers whose won referral has not been thanked yet.

A won referral deal dated in the last ``WINDOW_DAYS`` days asks for a thank-you
to its referrer until one is logged: a favour given to them on or after the
deal's date, an interaction with them after that date, or one I initiated on
that very date (an interaction they started on the deal's day is most likely
the referral itself). The daily plan collects :func:`signals`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q

from goodwill.core.money import fmt
from goodwill.db.models import (
    Deal,
    DealStatus,
    Direction,
    Favour,
    Interaction,
    Origin,
    Party,
    Person,
)

from .context import Actor, scoped
from .signals import Signal

WINDOW_DAYS = 365
WEIGHT = 0.8


@dataclass(frozen=True)
class Thanks:
    referrer: dict[str, object]
    client: dict[str, object]
    deal_id: int
    amount: Decimal
    currency: str
    date: dt.date
    unthanked_deals: int

    @property
    def reason(self) -> str:
        more = f" (and {self.unthanked_deals - 1} more)" if self.unthanked_deals > 1 else ""
        return (
            f"referred {self.client['name']}, a {fmt(self.amount, self.currency)} deal "
            f"on {self.date.isoformat()}{more}, not thanked yet"
        )

    @property
    def action(self) -> str:
        first = str(self.referrer["name"]).split()[0] if self.referrer["name"] else "them"
        return (
            f"Send {first} a thank-you for referring {self.client['name']}: "
            "tell them how it went, and ask how you can help them in return."
        )


def pending_thanks(*, actor: Actor, today: dt.date) -> list[Thanks]:
    """Referrers to thank, the most recent referral first (four queries: the deals,
    the referrers' last interactions and favours given, selected in SQL so that
    no list of ids travels in a query, and the names of those shown)."""
    since = today - dt.timedelta(days=WINDOW_DAYS)
    deals = scoped(Deal, actor.workspace).filter(
        status=DealStatus.WON,
        origin=Origin.REFERRAL,
        referrer__isnull=False,
        date__gt=since,
        date__lte=today,
    )
    rows = list(
        deals.order_by("-date", "-id").values_list(
            "id",
            "date",
            "amount",
            "currency",
            "referrer_id",
            "client_id",
        )
    )
    if not rows:
        return []
    referrers = deals.order_by().values("referrer_id")
    me: dict[int, dt.date] = {}
    anyone: dict[int, dt.date] = {}
    for pid, last, mine in (
        scoped(Interaction, actor.workspace)
        .filter(person_id__in=referrers)
        .order_by()
        .values("person_id")
        .annotate(last=Max("date"), mine=Max("date", filter=Q(initiated_by=Party.ME)))
        .values_list("person_id", "last", "mine")
    ):
        anyone[pid] = last
        if mine is not None:
            me[pid] = mine
    gave = dict(
        scoped(Favour, actor.workspace)
        .filter(person_id__in=referrers, direction=Direction.GAVE)
        .values("person_id")
        .annotate(last=Max("date"))
        .values_list("person_id", "last")
    )

    def thanked(pid: int, date: dt.date) -> bool:
        return (
            (pid in gave and gave[pid] >= date)
            or (pid in anyone and anyone[pid] > date)
            or (pid in me and me[pid] >= date)
        )

    examples: dict[int, tuple[Any, ...]] = {}
    counts: dict[int, int] = {}
    for row in rows:
        pid, date = row[4], row[1]
        if thanked(pid, date):
            continue
        counts[pid] = counts.get(pid, 0) + 1
        examples.setdefault(pid, row)  # rows are newest first: the latest deal is the example
    names = (
        dict(
            scoped(Person, actor.workspace)
            .filter(pk__in={r[4] for r in examples.values()} | {r[5] for r in examples.values()})
            .order_by("id")  # by id: SQLite reads the rows by key, not the whole name index
            .values_list("id", "name")
        )
        if examples
        else {}
    )
    return [
        Thanks(
            referrer={"id": pid, "name": names.get(pid, "")},
            client={"id": cid, "name": names.get(cid, "")},
            deal_id=deal_id,
            amount=amount,
            currency=currency,
            date=date,
            unthanked_deals=counts[pid],
        )
        for deal_id, date, amount, currency, pid, cid in examples.values()
    ]


def signals(*, actor: Actor, today: dt.date) -> list[Signal]:
    """One "thank_referrer" signal per referrer not thanked yet (for the daily plan)."""
    return [
        Signal(
            person_id=int(str(t.referrer["id"])),
            kind="thank_referrer",
            weight=WEIGHT,
            reason=t.reason,
            action=t.action,
        )
        for t in pending_thanks(actor=actor, today=today)
    ]
