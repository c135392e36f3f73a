"""Deals: a sale or piece of business, its origin and who referred it.

A won referral deal is a favour received from the referrer. It is stored as a
``Favour`` row with the ``deal`` foreign key set (created, and removed, with the
deal's status), so the ledger, health and ``show`` count Favour rows and nothing
else — one way, never derived a second time.

Repeat business is detected, not typed: a deal is a repeat when its client has
a won deal on an earlier date. The stored origin stays what the user said; lists
and the review show both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min

from goodwill.core.money import is_currency
from goodwill.db.models import (
    Deal,
    DealStatus,
    Direction,
    Event,
    Favour,
    FavourKind,
    Origin,
    Person,
)

from .compiled import in_ids
from .context import Actor, scoped
from .errors import BadInput, NotFound
from .parse import parse_amount, parse_choice, parse_date
from .people import resolve_person
from .rows import plain_rows
from .touch import touched

DEFAULT_CURRENCY = "USD"


def ref(person: Person | None) -> dict[str, object] | None:
    return None if person is None else {"id": person.pk, "name": person.name}


def home_currency(actor: Actor) -> str:
    """The workspace's currency (settings ``currency``), USD unless set."""
    code = (actor.workspace.settings or {}).get("currency")
    return code if isinstance(code, str) and is_currency(code) else DEFAULT_CURRENCY


def parse_currency(value: str | None, *, default: str) -> str:
    code = (value or "").strip().upper() or default
    if not is_currency(code):
        raise BadInput(
            f"unknown currency {value!r}: use an ISO 4217 code such as USD, EUR, GBP",
            field="currency",
        )
    return code


def _resolve_event(actor: Actor, event: str | int | Event | None) -> Event | None:
    if event is None or isinstance(event, Event) or str(event).strip() == "":
        return event if isinstance(event, Event) else None
    from .events import resolve_event

    try:
        return resolve_event(actor=actor, ref=event)
    except BadInput as exc:
        raise BadInput(exc.message, field="event") from None


def _resolve(actor: Actor, person: Person | str | int | None, field: str) -> Person | None:
    if person is None or isinstance(person, Person):
        return person
    if str(person).strip() == "":
        return None
    try:
        return resolve_person(actor=actor, ref=person)
    except BadInput as exc:
        raise BadInput(exc.message, field=field) from None


def _sync_referral_favour(deal: Deal) -> None:
    """A won referral deal is one favour received from its referrer; otherwise none."""
    wanted = deal.status == DealStatus.WON and deal.origin == Origin.REFERRAL and deal.referrer
    existing = Favour.objects.filter(workspace=deal.workspace, deal=deal)
    if not wanted:
        existing.delete()
        return
    assert deal.referrer is not None
    if existing.update(person=deal.referrer, date=deal.date):
        return
    Favour.objects.create(
        workspace=deal.workspace,
        person=deal.referrer,
        direction=Direction.RECEIVED,
        kind=FavourKind.REFERRAL,
        date=deal.date,
        note=f"referred {deal.client.name}" + (f": {deal.title}" if deal.title else ""),
        deal=deal,
    )
    touched(deal.referrer, deal.date)


@transaction.atomic
def add_deal(
    *,
    actor: Actor,
    client: Person | str | int,
    amount: str | Decimal | int,
    today: dt.date,
    status: str = "",
    date: str | dt.date | None = None,
    origin: str = "",
    referrer: Person | str | int | None = None,
    event: str | int | Event | None = None,
    currency: str = "",
    title: str = "",
    note: str = "",
) -> Deal:
    """Record a deal; validation first, so a bad one writes nothing."""
    actor.require_write()
    who = _resolve(actor, client, "client")
    if who is None:
        raise BadInput("a client is required", field="client")
    value = parse_amount(amount)
    if value >= Decimal("1e12"):
        raise BadInput(f"bad amount {amount!r}: too large", field="amount")
    state = parse_choice(status or DealStatus.WON, DealStatus.values, field="status")
    when = parse_date(date, today=today)
    if when > today and state != DealStatus.OPEN:
        raise BadInput(f"a {state} deal cannot be dated in the future ({when})", field="date")
    by = _resolve(actor, referrer, "referrer")
    at = _resolve_event(actor, event)
    default_origin = Origin.REFERRAL if by else Origin.EVENT if at else Origin.OTHER
    source = parse_choice(origin or default_origin, Origin.values, field="origin")
    if source == Origin.REFERRAL and by is None:
        raise BadInput("a referral needs a referrer (--referrer PERSON)", field="referrer")
    if source == Origin.EVENT and at is None:
        raise BadInput("an event deal needs its event (--event EVENT)", field="event")
    if by is not None and by.pk == who.pk:
        raise BadInput("the referrer cannot be the client", field="referrer")
    code = parse_currency(currency, default=home_currency(actor))
    title = title.strip()
    if len(title) > 200:
        raise BadInput("the title is longer than 200 characters", field="title")
    deal = Deal.objects.create(
        workspace=actor.workspace,
        client=who,
        title=title,
        amount=value,
        currency=code,
        status=state,
        date=when,
        origin=source,
        referrer=by,
        event=at,
        note=note.strip(),
    )
    if when <= today:
        touched(who, when)
    _sync_referral_favour(deal)
    return deal


def is_repeat(*, actor: Actor, deal: Deal) -> bool:
    """Whether the client had a won deal on an earlier date (one query)."""
    return (
        scoped(Deal, actor.workspace)
        .filter(client_id=deal.client_id, status=DealStatus.WON, date__lt=deal.date)
        .exists()
    )


def get_deal(*, actor: Actor, deal_id: int) -> Deal:
    deal = (
        scoped(Deal, actor.workspace)
        .select_related("client", "referrer", "event")
        .filter(pk=deal_id)
        .first()
    )
    if deal is None:
        raise NotFound(f"no deal with id {deal_id}")
    return deal


@transaction.atomic
def set_deal_status(
    *, actor: Actor, deal_id: int, status: str, today: dt.date, date: str | dt.date | None = None
) -> Deal:
    """Move a deal to open / won / lost (a won one is dated when it was won)."""
    actor.require_write()
    deal = get_deal(actor=actor, deal_id=deal_id)
    deal.status = parse_choice(status, DealStatus.values, field="status")
    if date is not None or deal.status != DealStatus.OPEN:
        deal.date = parse_date(date, today=today) if date is not None else min(deal.date, today)
    if deal.date > today and deal.status != DealStatus.OPEN:
        raise BadInput(f"a {deal.status} deal cannot be dated in the future", field="date")
    deal.save(update_fields=["status", "date"])
    _sync_referral_favour(deal)
    return deal


@dataclass
class DealRow:
    id: int
    title: str
    client: dict[str, object]
    amount: Decimal
    currency: str
    status: str
    date: dt.date
    origin: str
    repeat: bool
    referrer: dict[str, object] | None
    event: dict[str, object] | None
    note: str


def first_won(*, actor: Actor, client_ids: set[int] | None) -> dict[int, dt.date]:
    """Each client's first won deal date (one GROUP BY; the whole workspace for
    ``None``)."""
    won = scoped(Deal, actor.workspace).filter(status=DealStatus.WON)
    if client_ids is not None:
        won = in_ids(won, Deal, "client_id", sorted(client_ids))
    return dict(
        won.values("client_id").annotate(first=Min("date")).values_list("client_id", "first")
    )


def list_deals(
    *, actor: Actor, year: int | None = None, status: str = "", limit: int | None = None
) -> list[DealRow]:
    """Deals, newest first, with the detected repeat flag (three queries)."""
    deals = scoped(Deal, actor.workspace)
    if check_year(year) is not None:
        deals = deals.filter(date__year=year)
    if status:
        deals = deals.filter(status=parse_choice(status, DealStatus.values, field="status"))
    deals = deals.order_by("-date", "-id")
    if limit is not None:
        deals = deals[:limit]
    return _rows(actor, list(deals.select_related("client", "referrer", "event")))


def row(*, actor: Actor, deal: Deal) -> DealRow:
    """One deal as listed (with its repeat flag)."""
    return _rows(actor, [deal])[0]


def _rows(actor: Actor, deals: list[Deal]) -> list[DealRow]:
    firsts = first_won(actor=actor, client_ids={d.client_id for d in deals})
    return [
        DealRow(
            id=d.pk,
            title=d.title,
            client={"id": d.client.pk, "name": d.client.name},
            amount=d.amount,
            currency=d.currency,
            status=d.status,
            date=d.date,
            origin=d.origin,
            repeat=d.client_id in firsts and firsts[d.client_id] < d.date,
            referrer=ref(d.referrer),
            event=None if d.event is None else {"id": d.event.pk, "name": d.event.name},
            note=d.note,
        )
        for d in deals
    ]


def check_year(year: int | None) -> int | None:
    if year is not None and not 1900 <= year <= 2999:
        raise BadInput(f"bad year {year}: use a year such as 2026", field="year")
    return year


CSV_COLUMNS = [
    "id", "date", "client_id", "client", "title", "amount", "currency", "status",
    "origin", "repeat", "referrer_id", "referrer", "event_id", "event", "note",
]  # fmt: skip


def deals_csv(*, actor: Actor, year: int | None = None) -> str:
    """All deals (of ``year``) as CSV, one row per deal, amounts as written (no floats)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for d in list_deals(actor=actor, year=year):
        writer.writerow(
            [
                d.id, d.date.isoformat(), d.client["id"], d.client["name"], d.title,
                f"{d.amount:.2f}", d.currency, d.status, d.origin, "yes" if d.repeat else "no",
                d.referrer["id"] if d.referrer else "", d.referrer["name"] if d.referrer else "",
                d.event["id"] if d.event else "", d.event["name"] if d.event else "", d.note,
            ]
        )  # fmt: skip
    return out.getvalue()


def referral_graph(*, actor: Actor) -> dict[int, int]:
    """Who brought each person (core.attribution.bringers), in two queries read as
    plain tuples (tens of thousands of id pairs in a large network)."""
    from goodwill.core.attribution import bringers

    # In id order: SQLite then reads the people table in storage order (by the
    # workspace index) instead of jumping around it (by workspace and last contact).
    introduced = dict(
        plain_rows(
            scoped(Person, actor.workspace)
            .filter(introduced_by__isnull=False)
            .order_by("id")
            .values_list("id", "introduced_by_id")
        )
    )
    referrals = plain_rows(
        scoped(Deal, actor.workspace)
        .filter(status=DealStatus.WON, referrer__isnull=False)
        .order_by("date", "id")
        .values_list("client_id", "referrer_id")
    )
    return bringers(introduced, referrals)


def last_business(*, actor: Actor) -> dict[int, dt.date]:
    """The latest won deal each person took part in, as client or referrer (two queries)."""
    won = scoped(Deal, actor.workspace).filter(status=DealStatus.WON)
    out: dict[int, dt.date] = {}
    for field in ("client_id", "referrer_id"):
        rows = won.exclude(**{field: None}).values(field).annotate(last=Max("date"))
        for pid, last in rows.values_list(field, "last"):
            if pid not in out or last > out[pid]:
                out[pid] = last
    return out
