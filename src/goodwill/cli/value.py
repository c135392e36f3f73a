"""Reciprocity and business value: favour, ledger, deal, deals, deal-status, review."""

from __future__ import annotations

from typing import Any

import typer
from rich.panel import Panel
from rich.text import Text

from .app import JSON_OPT, actor, app, console, print_json, today
from .render import table


def _money(totals: dict[str, Any]) -> str:
    from goodwill.core.money import fmt

    return ", ".join(fmt(v, c) for c, v in totals.items()) or "–"


@app.command()
def favour(
    person: str = typer.Argument(..., help="Id, email or name fragment."),
    direction: str = typer.Argument(..., help="gave or received."),
    kind: str = typer.Argument(
        ...,
        help="introduction, referral, advice, article, recommendation, endorsement, time, other.",
    ),
    value: str = typer.Option("", help="Estimated value (a number)."),
    note: str = typer.Option(""),
    date: str = typer.Option("", help="YYYY-MM-DD, 'yesterday' or '-3d' (default today)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Record a favour given to or received from someone."""
    from goodwill.services.favours import record_favour
    from goodwill.services.people import resolve_person

    me = actor()
    who = resolve_person(actor=me, ref=person)
    f = record_favour(
        actor=me,
        person=who,
        direction=direction,
        kind=kind,
        today=today(),
        value=value or None,
        note=note,
        date=date or None,
    )
    if as_json:
        print_json({"id": f.pk})
    else:
        way = "to" if f.direction == "gave" else "from"
        console.print(
            Text(f"Recorded a favour ({f.kind}) {f.direction} {way} {who.name} (id {f.pk}).")
        )


@app.command()
def ledger(
    flag: str = typer.Option(
        "", help="Only rows with this flag: only_taking, only_giving, dormant."
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Favours given and received per person, with one-sided relationships flagged."""
    from goodwill.services.favours import ledger as build
    from goodwill.services.favours import network_level, summarize

    me, now = actor(), today()
    rows = build(actor=me, today=now, flag=flag)
    if as_json:
        print_json(rows)
        return
    console.print(
        table(
            "Favours ledger",
            [
                "id",
                "person",
                "given",
                "received",
                "balance",
                "value given",
                "value received",
                "referred business",
                "flags",
            ],
            [
                [
                    r.person["id"],
                    r.person["name"],
                    r.given,
                    r.received,
                    f"{r.balance:+d}",
                    r.given_value,
                    r.received_value,
                    _money(r.referred),
                    ", ".join(r.flags),
                ]
                for r in rows
            ],
        )  # fmt: skip
    )
    if not flag:
        s = summarize(rows, network_level(actor=me, today=now))
        net = s.network
        console.print(
            Text(
                f"{s.people} people · given {s.given} · received {s.received} · "
                f"only taking {s.only_taking} · only giving {s.only_giving} · dormant {s.dormant}\n"
                f"Network reciprocity {net['ratio']:.0%}: of {net['given']} favours given, "
                f"{net['returned_directly']} came back directly and "
                f"{net['returned_through_network']} through the network."
            )
        )


@app.command()
def deal(
    person: str = typer.Argument(..., help="The client: id, email or name fragment."),
    amount: str = typer.Argument(..., help="Amount, e.g. 12000 or 12000.50."),
    status: str = typer.Option("", help="open, won (default) or lost."),
    date: str = typer.Option("", help="YYYY-MM-DD (default today)."),
    origin: str = typer.Option(
        "", help="referral, word_of_mouth, repeat, event, networking, inbound, cold, other."
    ),
    referrer: str = typer.Option("", help="Who referred it (needed for a referral)."),
    event: str = typer.Option("", help="The event it came from: id or name fragment."),
    currency: str = typer.Option("", help="ISO 4217 code (default the workspace's, USD)."),
    title: str = typer.Option(""),
    note: str = typer.Option(""),
    as_json: bool = JSON_OPT,
) -> None:
    """Record a deal with its origin (and referrer or event)."""
    from goodwill.services.deals import add_deal, is_repeat
    from goodwill.services.people import resolve_person

    me = actor()
    client = resolve_person(actor=me, ref=person)
    d = add_deal(
        actor=me,
        client=client,
        amount=amount,
        today=today(),
        status=status,
        date=date or None,
        origin=origin,
        referrer=referrer or None,
        event=event or None,
        currency=currency,
        title=title,
        note=note,
    )
    repeat = is_repeat(actor=me, deal=d)
    if as_json:
        print_json({"id": d.pk, "repeat": repeat})
        return
    extra = " (repeat business)" if repeat else ""
    console.print(
        Text(
            f"Recorded deal {d.pk}: {client.name}, {d.amount:,.2f} {d.currency}, "
            f"{d.status}, {d.origin}{extra}."
        )
    )


@app.command("deal-status")
def deal_status(
    deal_id: int = typer.Argument(..., help="The deal's id."),
    status: str = typer.Argument(..., help="open, won or lost."),
    date: str = typer.Option("", help="When it was won or lost (default: its date, or today)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Move a deal to open, won or lost."""
    from goodwill.services.deals import set_deal_status

    d = set_deal_status(
        actor=actor(), deal_id=deal_id, status=status, today=today(), date=date or None
    )
    if as_json:
        print_json({"id": d.pk, "status": d.status})
    else:
        console.print(Text(f"Deal {d.pk} is now {d.status}."))


@app.command()
def deals(
    year: int = typer.Option(None, help="Only deals dated in this year."),
    status: str = typer.Option("", help="open, won or lost."),
    as_json: bool = JSON_OPT,
) -> None:
    """List deals, newest first, with origin and detected repeat business."""
    from goodwill.services.deals import list_deals

    rows = list_deals(actor=actor(), year=year, status=status)
    if as_json:
        print_json(rows)
        return
    console.print(
        table(
            "Deals" + (f" {year}" if year else ""),
            [
                "id",
                "date",
                "client",
                "amount",
                "status",
                "origin",
                "repeat",
                "referrer",
                "event",
                "title",
            ],
            [
                [
                    d.id,
                    d.date,
                    d.client["name"],
                    f"{d.amount:,.2f} {d.currency}",
                    d.status,
                    d.origin,
                    "yes" if d.repeat else "",
                    d.referrer["name"] if d.referrer else "",
                    d.event["name"] if d.event else "",
                    d.title,
                ]
                for d in rows
            ],
        )  # fmt: skip
    )


@app.command()
def review(
    year: int = typer.Option(None, help="The year to review (default this year)."),
    as_json: bool = JSON_OPT,
) -> None:
    """The yearly review: value by origin, best clients and deals and why, referrers."""
    from goodwill.core.money import fmt
    from goodwill.services.review import yearly_review

    r = yearly_review(actor=actor(), today=today(), year=year)
    if as_json:
        data: dict[str, Any] = {k: v for k, v in vars(r).items() if k != "thanks"}
        data["thanks"] = [{**vars(t), "reason": t.reason, "action": t.action} for t in r.thanks]
        print_json(data)
        return
    others = {c: v for c, v in r.totals.items() if c != r.currency}
    head = f"Won in {r.year}: {fmt(r.total, r.currency)} from {r.deals} deal(s)"
    if others:
        head += f" (also {_money(others)}, never added together)"
    console.print(Panel(Text(head), title=f"Review {r.year}", title_align="left"))
    console.print(
        table(
            f"Value by origin ({r.currency})",
            ["origin", "value", "share", "deals"],
            [
                [o, fmt(b["total"], r.currency), f"{b['share']:.0%}", b["deals"]]
                for o, b in r.by_origin.items()
                if b["deals"]
            ]
            + [
                [
                    "repeat business (detected)",
                    fmt(r.repeat_business["total"], r.currency),
                    f"{r.repeat_business['share']:.0%}",
                    r.repeat_business["deals"],
                ]
            ],
        )
    )
    console.print(
        table(
            "Top clients",
            ["client", "revenue", "deals", "why"],
            [
                [
                    c["person"]["name"],
                    fmt(c["total"], c["currency"]),
                    c["deals"],
                    c["why"]["summary"],
                ]
                for c in r.top_clients
            ],
        )
    )
    console.print(
        table(
            "Biggest deals",
            ["id", "date", "client", "amount", "why"],
            [
                [
                    d["id"],
                    d["date"],
                    d["client"]["name"],
                    fmt(d["amount"], d["currency"]),
                    d["why"]["summary"],
                ]
                for d in r.biggest_deals
            ],
        )
    )
    console.print(
        table(
            "Referrers",
            ["referrer", "direct", "through chains", "deals (direct/chain)"],
            [
                [
                    x["person"]["name"],
                    _money(x["direct"]),
                    _money(x["chain"]),
                    f"{x['direct_deals']}/{x['chain_deals']}",
                ]
                for x in r.referrers
            ],
        )
    )
    if r.thanks:
        console.print(
            table(
                "Not thanked yet",
                ["referrer", "why", "do"],
                [[t.referrer["name"], t.reason, t.action] for t in r.thanks],
            )
        )
    console.print(Text(f"Health and revenue: {r.health_revenue['meaning']}."))
