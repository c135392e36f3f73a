"""People commands: add, people, show, log, stage, search."""

from __future__ import annotations

import typer
from rich.panel import Panel
from rich.text import Text

from .app import JSON_OPT, actor, app, console, print_json, today
from .render import health_text, table, when


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    from goodwill.services.errors import BadInput

    v = value.strip().lower()
    if v in ("y", "yes", "true", "1"):
        return True
    if v in ("n", "no", "false", "0"):
        return False
    raise BadInput(f"bad answer {value!r}: use yes or no")


@app.command()
def add(
    name: str = typer.Argument(..., help="Full name."),
    email: str = typer.Option("", help="Primary email."),
    org: str = typer.Option("", "--org", help="Organization."),
    title: str = typer.Option(""),
    industry: str = typer.Option(""),
    role: str = typer.Option("", help="client, prospect, partner, referral_source, …"),
    tier: str = typer.Option("", help="inner, key or network."),
    stage: str = typer.Option("", help="identified, connected, nurturing, productive."),
    source: str = typer.Option("", help="event, linkedin, introduction, referral, …"),
    introduced_by: str = typer.Option("", "--introduced-by", help="Who introduced them."),
    needs: str = typer.Option("", help="What they are trying to solve."),
    offers: str = typer.Option("", help="What they can help others with."),
    tag: list[str] = typer.Option([], "--tag", help="A tag (repeatable)."),
    cadence: str = typer.Option("", help="Desired days between touchpoints."),
    phone: list[str] = typer.Option([], "--phone"),
    url: list[str] = typer.Option([], "--url"),
    birthday: str = typer.Option(""),
    interesting: str = typer.Option(None, help="Do I find them interesting? yes/no"),
    enjoy: str = typer.Option(None, help="Would I enjoy spending time with them? yes/no"),
    mutual: str = typer.Option(None, help="Is there mutually beneficial business? yes/no"),
    as_json: bool = JSON_OPT,
) -> None:
    """Add a person to the network."""
    from goodwill.services.people import PersonInput, add_person

    data = PersonInput(
        name=name,
        email=email,
        organization=org,
        title=title,
        industry=industry,
        role=role,
        tier=tier,
        stage=stage,
        source=source,
        introduced_by=introduced_by,
        needs=needs,
        offers=offers,
        tags=tag,
        cadence_days=cadence,
        phones=phone,
        urls=url,
        birthday=birthday,
        q_interesting=_bool(interesting),
        q_enjoy=_bool(enjoy),
        q_mutual_business=_bool(mutual),
    )
    person = add_person(actor=actor(), data=data, today=today())
    if as_json:
        print_json({"id": person.pk})
    else:
        console.print(Text(f"Added {person.name} (id {person.pk}, {person.stage})."))


@app.command("people")
def people_cmd(
    stage: str = typer.Option(""),
    role: str = typer.Option(""),
    tag: str = typer.Option(""),
    search: str = typer.Option("", help="Words in names, notes, needs, offers, interactions."),
    limit: int = typer.Option(50, min=1, max=100000),
    offset: int = typer.Option(0, min=0),
    as_json: bool = JSON_OPT,
) -> None:
    """List people with their stage, health and last contact."""
    from goodwill.services.directory import list_people

    page = list_people(
        actor=actor(),
        today=today(),
        stage=stage,
        role=role,
        tag=tag,
        search=search,
        offset=offset,
        limit=limit,
    )
    if as_json:
        print_json(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "email": p.email,
                    "organization": p.organization,
                    "role": p.role,
                    "stage": p.stage,
                    "tier": p.tier,
                    "health": p.health,
                    "last_contact": p.last_contact,
                }
                for p in page.items
            ]
        )
        return
    now = today()
    rows = [
        [
            p.id,
            p.name,
            p.organization,
            p.role,
            p.stage,
            health_text(p.health),
            when(p.last_contact, now),
        ]
        for p in page.items
    ]
    shown = f"{offset + 1}–{offset + len(page.items)} of {page.total}" if page.items else "none"
    console.print(
        table(
            f"People ({shown})",
            ["id", "name", "organization", "role", "stage", "health", "last contact"],
            rows,
        )
    )


@app.command()
def show(
    person: str = typer.Argument(..., help="Id, email or name fragment."), as_json: bool = JSON_OPT
) -> None:
    """Everything about one person: details, health, timeline, favours, deals."""
    from goodwill.services.directory import person_detail
    from goodwill.services.people import resolve_person

    a = actor()
    d = person_detail(actor=a, person=resolve_person(actor=a, ref=person), today=today())
    if as_json:
        print_json(d)
        return
    lines = Text()
    lines.append(
        f"{d.title + ' at ' if d.title else ''}{d.organization}\n" if d.organization else ""
    )
    lines.append(f"{d.role} · {d.tier} · {d.stage} since {d.stage_since} · source {d.source}\n")
    if d.email:
        lines.append(f"{d.email}\n")
    for label, value in (
        ("needs", d.needs),
        ("offers", d.offers),
        ("goals", d.goals),
        ("personal", d.personal),
        ("notes", d.notes),
    ):
        if value:
            lines.append(f"{label}: ", style="bold")
            lines.append(f"{value}\n")
    lines.append("health: ", style="bold")
    lines.append_text(health_text(d.health["score"]))
    lines.append(
        "  " + ", ".join(f"{c['name']} {round(100 * c['value'])}" for c in d.health["components"])
    )
    console.print(Panel(lines, title=Text(f"{d.name} (id {d.id})"), title_align="left"))
    if d.interactions:
        console.print(
            table(
                "Timeline",
                ["date", "kind", "by", "note"],
                [
                    [
                        i["date"],
                        i["kind"] + (" (pitch)" if i["is_pitch"] else ""),
                        i["initiated_by"],
                        i["note"],
                    ]
                    for i in d.interactions[:20]
                ],
            )
        )


@app.command()
def log(
    person: str = typer.Argument(..., help="Id, email or name fragment."),
    kind: str = typer.Argument(..., help="meeting, coffee, call, email, message, …"),
    date: str = typer.Option("", help="YYYY-MM-DD, today, yesterday or -Nd."),
    note: str = typer.Option(""),
    by: str = typer.Option("me", help="Who initiated: me or them."),
    quality: str = typer.Option("", help="1 to 5."),
    pitch: bool = typer.Option(False, "--pitch", help="It was selling, not helping."),
    as_json: bool = JSON_OPT,
) -> None:
    """Record an interaction."""
    from goodwill.services.interactions import log_interaction
    from goodwill.services.people import resolve_person

    a = actor()
    p = resolve_person(actor=a, ref=person)
    i = log_interaction(
        actor=a,
        person=p,
        kind=kind,
        today=today(),
        date=date or None,
        note=note,
        by=by,
        quality=quality or None,
        pitch=pitch,
    )
    if as_json:
        print_json({"id": i.pk})
    else:
        console.print(Text(f"Logged {i.kind} with {p.name} on {i.date}."))


@app.command()
def stage(
    person: str = typer.Argument(...),
    new_stage: str = typer.Argument(..., metavar="STAGE"),
    reason: str = typer.Option("", help="Why (required for let_go)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Move a person in the funnel."""
    from goodwill.services.people import change_stage, resolve_person

    a = actor()
    p = resolve_person(actor=a, ref=person)
    change_stage(actor=a, person=p, stage=new_stage, reason=reason, today=today())
    if as_json:
        print_json({"id": p.pk, "stage": p.stage})
    else:
        console.print(Text(f"{p.name} is now {p.stage}."))


@app.command()
def search(
    query: str = typer.Argument(...), limit: int = typer.Option(20, min=1), as_json: bool = JSON_OPT
) -> None:
    """Full-text search over people, notes and interactions."""
    from goodwill.services.directory import list_people

    page = list_people(actor=actor(), today=today(), search=query, limit=limit)
    if as_json:
        print_json(
            [
                {"id": p.id, "name": p.name, "organization": p.organization, "stage": p.stage}
                for p in page.items
            ]
        )
        return
    console.print(
        table(
            f"Search: {query}",
            ["id", "name", "organization", "stage"],
            [[p.id, p.name, p.organization, p.stage] for p in page.items],
        )
    )
