"""The daily discipline: today, done, skip, snooze, overdue, commitment, cadence,
calendar and digest."""

from __future__ import annotations

import sys

import typer
from rich.panel import Panel
from rich.text import Text

from .app import JSON_OPT, actor, app, console, print_json, today
from .render import table

commitment_app = typer.Typer(
    help="Promises in relationships: add, list, keep.", no_args_is_help=True
)
calendar_app = typer.Typer(help="The secret iCalendar feed URL.", no_args_is_help=True)
app.add_typer(commitment_app, name="commitment")
app.add_typer(calendar_app, name="calendar")


def _count(value: str) -> int:
    from goodwill.services.parse import parse_positive_int

    return parse_positive_int(value, field="count")


@app.command("today")
def today_cmd(
    count: str = typer.Option("1", "--count", "-n", help="How many people (default 1)."),
    date: str = typer.Option("", help="Plan for another day: YYYY-MM-DD (not saved)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Today's plan: whom to reach out to, why, and a concrete helpful action."""
    from goodwill.services.parse import parse_date
    from goodwill.services.plan import build_plan

    now = today()
    day = parse_date(date, today=now) if date else now
    plan = build_plan(actor=actor(), today=day, count=_count(count), persist=day == now)
    if as_json:
        print_json(plan)
        return
    head = Text(f"Reach out today · {plan.date}", style="bold")
    head.append(f"   streak {plan.streak} day{'s' if plan.streak != 1 else ''}", style="green")
    console.print(head)
    if not plan.items:
        console.print(Text("Nobody to suggest: add people or log a few interactions."))
    for n, item in enumerate(plan.items, 1):
        body = Text()
        body.append(item.action + "\n", style="bold")
        for reason in item.reasons:
            body.append(f"• {reason}\n")
        body.append(f"score {item.score:.0f} · {item.status}", style="dim")
        title = Text(f"{n}. {item.person.name} (id {item.person.id})")
        console.print(Panel(body, title=title, title_align="left"))


@app.command()
def done(
    person: str = typer.Argument(..., help="Id, email or name fragment."),
    kind: str = typer.Option("other", help="meeting, coffee, call, email, message, help, …"),
    note: str = typer.Option(""),
    as_json: bool = JSON_OPT,
) -> None:
    """I reached out: log it (initiated by me) and mark today's plan item done."""
    from goodwill.services.people import resolve_person
    from goodwill.services.plan import done as mark_done

    a = actor()
    p = resolve_person(actor=a, ref=person)
    mark_done(actor=a, person=p, today=today(), kind=kind, note=note)
    if as_json:
        print_json({"ok": True})
    else:
        console.print(Text(f"Done: {p.name}. Nice work."))


@app.command()
def skip(person: str = typer.Argument(...), as_json: bool = JSON_OPT) -> None:
    """Not today: drop them from the plan for a few days."""
    from goodwill.services.people import resolve_person
    from goodwill.services.plan import skip as mark_skip

    a = actor()
    p = resolve_person(actor=a, ref=person)
    mark_skip(actor=a, person=p, today=today())
    if as_json:
        print_json({"ok": True})
    else:
        console.print(Text(f"Skipped {p.name} for now."))


@app.command()
def snooze(
    person: str = typer.Argument(...),
    days: str = typer.Option(..., "--days", help="How many days to keep them out of the plan."),
    as_json: bool = JSON_OPT,
) -> None:
    """Keep someone out of the plan for N days."""
    from goodwill.services.people import resolve_person
    from goodwill.services.plan import snooze as mark_snooze

    a = actor()
    p = resolve_person(actor=a, ref=person)
    until = mark_snooze(actor=a, person=p, today=today(), days=days)
    if as_json:
        print_json({"ok": True, "until": until})
    else:
        console.print(Text(f"Snoozed {p.name} until {until}."))


@app.command()
def overdue(
    limit: int = typer.Option(0, min=0, help="Show at most N (0: all)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Relationships past their cadence, clients and partners first."""
    from goodwill.services.plan import overdue as list_overdue

    items = list_overdue(actor=actor(), today=today(), limit=limit or None)
    if as_json:
        print_json(items)
        return
    shown = items[:50] if not limit else items
    console.print(
        table(
            f"Overdue ({len(items)})",
            ["id", "name", "role", "tier", "days since", "cadence", "overdue by"],
            [
                [
                    o.person.id,
                    Text(o.person.name, style="bold" if o.at_risk else ""),
                    o.role,
                    o.tier,
                    o.days_since,
                    o.cadence_days,
                    o.overdue_days,
                ]
                for o in shown
            ],
        )
    )
    if len(shown) < len(items):
        console.print(Text(f"… and {len(items) - len(shown)} more (--limit 0 --json for all)"))


@commitment_app.command("add")
def commitment_add(
    person: str = typer.Argument(...),
    text: str = typer.Argument(..., help="What was promised."),
    due: str = typer.Option("", help="Due date: YYYY-MM-DD, today, -Nd."),
    by: str = typer.Option("me", help="Who promised: me or them."),
    as_json: bool = JSON_OPT,
) -> None:
    """Record a promise (by me or by them)."""
    from goodwill.services.commitments import add_commitment
    from goodwill.services.people import resolve_person

    a = actor()
    p = resolve_person(actor=a, ref=person)
    c = add_commitment(actor=a, person=p, description=text, today=today(), due=due or None, by=by)
    if as_json:
        print_json({"id": c.pk})
    else:
        console.print(
            Text(
                f"Commitment {c.pk} with {p.name}" + (f", due {c.due_date}." if c.due_date else ".")
            )
        )


@commitment_app.command("list")
def commitment_list(
    all_: bool = typer.Option(False, "--all", help="Include kept and broken ones."),
    as_json: bool = JSON_OPT,
) -> None:
    """Open commitments, the most urgent first."""
    from goodwill.services.commitments import list_commitments

    rows = list_commitments(actor=actor(), today=today(), include_kept=all_)
    if as_json:
        print_json(rows)
        return
    console.print(
        table(
            "Commitments",
            ["id", "person", "by", "promise", "due", "status"],
            [[c.id, c.person["name"], c.by, c.description, c.due_date, c.status] for c in rows],
        )
    )


@commitment_app.command("keep")
def commitment_keep(
    commitment_id: int = typer.Argument(..., metavar="ID"),
    date: str = typer.Option("", help="When it was kept (default today)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Mark a commitment kept."""
    from goodwill.services.commitments import keep_commitment

    c = keep_commitment(
        actor=actor(), commitment_id=commitment_id, today=today(), date=date or None
    )
    if as_json:
        print_json({"ok": True, "id": c.pk, "kept_on": c.kept_on})
    else:
        console.print(Text(f"Kept: {c.description} ({c.kept_on})."))


@app.command()
def cadence(
    set_: list[str] = typer.Option(
        [], "--set", help="tier=DAYS (inner/key/network) or role=FACTOR (client=0.75); repeatable."
    ),
    reset: bool = typer.Option(False, "--reset", help="Back to the built-in defaults."),
    as_json: bool = JSON_OPT,
) -> None:
    """Show or change the workspace's default cadence by tier and role."""
    from goodwill.services.health import cadence_policy, set_cadence

    a = actor()
    if set_ or reset:
        set_cadence(actor=a, assignments=set_, reset=reset)
    policy = cadence_policy(a)
    if as_json:
        print_json({"tiers": policy.tier_days, "role_factors": policy.role_factor})
        return
    console.print(
        table(
            "Cadence by tier (days)",
            ["tier", "days", *policy.role_factor],
            [
                [t, d, *[policy.days(tier=t, role=r) for r in policy.role_factor]]
                for t, d in policy.tier_days.items()
            ],
        )
    )
    console.print(
        Text("Role factors: " + ", ".join(f"{r} ×{f:g}" for r, f in policy.role_factor.items()))
    )


@calendar_app.command("url")
def calendar_url(
    base: str = typer.Option("http://127.0.0.1:8000", help="Where `goodwill serve` is reachable."),
    as_json: bool = JSON_OPT,
) -> None:
    """Create a secret calendar feed URL (your previous one stops working)."""
    from goodwill.services.calendar import create_feed

    feed = create_feed(actor=actor())
    url = base.rstrip("/") + feed.path
    if as_json:
        print_json({"url": url})
    else:
        console.print(Text("Subscribe to this URL in your calendar app (keep it secret):"))
        print(url)


@calendar_app.command("revoke")
def calendar_revoke(as_json: bool = JSON_OPT) -> None:
    """Revoke your calendar feed URL."""
    from goodwill.services.calendar import revoke_feeds

    n = revoke_feeds(actor=actor())
    if as_json:
        print_json({"ok": True, "revoked": n})
    else:
        console.print(Text(f"Revoked {n} feed URL{'s' if n != 1 else ''}."))


@app.command()
def digest(
    send: bool = typer.Option(False, "--send", help="Email it (SMTP from the environment)."),
    to: str = typer.Option("", help="Address to send to (default: your account's email)."),
    count: str = typer.Option("3", "--count", "-n", help="People in the plan."),
    as_json: bool = JSON_OPT,
) -> None:
    """Today's plan and the overdue list as an email (printed unless --send)."""
    from goodwill.services.digest import build_digest, send_digest

    a = actor()
    n = _count(count)
    d = (
        send_digest(actor=a, today=today(), to=to, count=n, stream=sys.stderr)
        if send
        else build_digest(actor=a, today=today(), count=n)
    )
    if as_json:
        print_json({"subject": d.subject, "text": d.text, "html": d.html, "sent": send})
    elif send:
        console.print(Text(f"Sent: {d.subject}"))
    else:
        print(d.text, end="")
