"""Funnel, targeting and event commands: funnel, targets, event add/list/prep/met/report."""

from __future__ import annotations

from typing import Any

import typer
from rich.text import Text

from .app import JSON_OPT, actor, app, console, print_json, today
from .render import table

event_app = typer.Typer(
    help="Plan events, capture who you met, follow up, see what they returned.",
    no_args_is_help=True,
)
app.add_typer(event_app, name="event")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _stage_json(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "stage": r.stage,
            "count": r.count,
            "conversion": r.conversion,
            "median_days": r.median_days,
            "left": r.left,
            "advanced": r.advanced,
        }
        for r in rows
    ]


@app.command()
def funnel(
    by: str = typer.Option("", "--by", help="Group by source, event, role, industry or cohort."),
    suggest: bool = typer.Option(False, "--suggest", help="Also list suggested stage moves."),
    as_json: bool = JSON_OPT,
) -> None:
    """The relationship funnel: count, conversion and median days per stage."""
    from goodwill.services.funnel import funnel_report, suggest_moves

    a, now = actor(), today()
    report = funnel_report(actor=a, today=now, by=by)
    moves = suggest_moves(actor=a, today=now) if suggest else []
    if as_json:
        out: dict[str, Any] = {
            "stages": _stage_json(report.stages),
            "by": report.by,
            "groups": {k: _stage_json(v) for k, v in report.groups.items()},
        }
        if suggest:
            out["suggestions"] = moves
        print_json(out)
        return
    columns = ["stage", "count", "conversion to next", "median days"]

    def rows(stages: list[Any]) -> list[list[Any]]:
        return [[r.stage, r.count, _pct(r.conversion), _days(r.median_days)] for r in stages]

    console.print(table(f"Funnel ({report.total} people)", columns, rows(report.stages)))
    for key, stages in report.groups.items():
        console.print(table(f"{report.by} = {key}", columns, rows(stages)))
    if suggest and not moves:
        console.print(Text("No suggested moves today."))
    elif suggest:
        console.print(
            table(
                "Suggested moves (apply with: goodwill stage PERSON STAGE --reason …)",
                ["id", "name", "from", "to", "why"],
                [
                    [m.person["id"], m.person["name"], m.from_stage, m.to_stage, m.reason]
                    for m in moves
                ],
            )
        )


@app.command()
def targets(
    limit: int = typer.Option(20, min=1, max=1000, help="How many prospects."),
    as_json: bool = JSON_OPT,
) -> None:
    """What productive relationships have in common, and prospects by fit."""
    from goodwill.services.targeting import targets as learn_targets

    t = learn_targets(actor=actor(), prospects=limit)
    if as_json:
        print_json(
            {
                "decided": t.decided,
                "productive": t.productive,
                "base_rate": t.base_rate,
                "enough_data": t.enough_data,
                "message": t.message,
                "suggested_criteria": t.suggested_criteria,
                "criteria": t.criteria,
                "prospects": t.prospects,
            }
        )
        return
    if t.message:
        console.print(Text(t.message, style="yellow"))
    shown = [c for c in t.criteria if c.enough_data][:15]
    console.print(
        table(
            f"What productive relationships share ({t.productive} of {t.decided} decided)",
            ["criterion", "lift", "95%+ range", "support", "clear?"],
            [
                [
                    f"{c.attribute}={c.value}",
                    f"{c.lift:.2f}",
                    f"{c.lift_low:.2f}–{c.lift_high:.2f}",
                    c.support,
                    "yes" if c.significant else "not yet",
                ]
                for c in shown
            ],
        )
    )
    if t.suggested_criteria:
        console.print(Text(f"Target at your next event: {t.suggested_criteria}"))
    console.print(
        table(
            "Prospects by fit",
            ["id", "name", "stage", "fit", "why"],
            [
                [p.person["id"], p.person["name"], p.stage, f"{p.fit:.2f}", "; ".join(p.why)]
                for p in t.prospects
            ],
        )
    )


@event_app.command("add")
def event_add(
    name: str = typer.Argument(..., help="The event's name."),
    date: str = typer.Option(..., "--date", help="YYYY-MM-DD, today, yesterday or -Nd."),
    location: str = typer.Option("", "--location"),
    target: list[str] = typer.Option([], "--target", help="A person to meet (repeatable)."),
    target_criteria: str = typer.Option(
        "", "--target-criteria", help='Whom to meet by type: "industry=fintech role=cfo".'
    ),
    hours: str = typer.Option("", "--hours", help="Time the event takes, for return on time."),
    notes: str = typer.Option("", "--notes"),
    as_json: bool = JSON_OPT,
) -> None:
    """Plan an event: whom to meet, by name or by type."""
    from goodwill.services.events import add_event

    e = add_event(
        actor=actor(),
        today=today(),
        name=name,
        date=date,
        location=location,
        targets=target,
        target_criteria=target_criteria,
        hours=hours or None,
        notes=notes,
    )
    if as_json:
        print_json({"id": e.pk})
    else:
        console.print(Text(f"Added event {e.name} on {e.date} (id {e.pk})."))


@event_app.command("list")
def event_list(as_json: bool = JSON_OPT) -> None:
    """Events, newest first."""
    from goodwill.services.events import list_events

    events = list_events(actor=actor())
    if as_json:
        print_json(events)
        return
    console.print(
        table(
            "Events",
            ["id", "date", "name", "location", "targets", "criteria", "met", "new"],
            [
                [
                    e.id,
                    e.date,
                    e.name,
                    e.location,
                    e.targets,
                    e.target_criteria,
                    e.met,
                    e.new_people,
                ]
                for e in events
            ],
        )
    )


@event_app.command("prep")
def event_prep(
    event: str = typer.Argument(..., help="Event id or name fragment."), as_json: bool = JSON_OPT
) -> None:
    """Before the event: the named targets and matching people, with what to talk about."""
    from goodwill.services.events import event_prep as prep_for
    from goodwill.services.events import resolve_event

    a = actor()
    p = prep_for(actor=a, event=resolve_event(actor=a, ref=event))
    if as_json:
        print_json(p)
        return
    console.print(Text(f"{p.event['name']} on {p.event['date']}", style="bold"))
    for title, items in (("Named targets", p.targets), (f"Matching {p.criteria}", p.matches)):
        if not items:
            continue
        console.print(
            table(
                title,
                ["id", "name", "organization", "stage", "why", "talk about"],
                [
                    [
                        i.person["id"],
                        i.person["name"],
                        i.organization,
                        i.stage,
                        i.why,
                        "\n".join(i.talk_about),
                    ]
                    for i in items
                ],
            )
        )
    if p.more_matches:
        console.print(Text(f"… and {p.more_matches} more matches."))
    if not p.targets and not p.matches:
        console.print(Text("No targets yet: add --target or --target-criteria to the event."))


def _answer(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    from goodwill.services.errors import BadInput

    v = value.strip().lower()
    if v in ("y", "yes", "true", "1"):
        return True
    if v in ("n", "no", "false", "0"):
        return False
    raise BadInput(f"bad answer {value!r} for --{name}: use yes or no")


def parse_new(text: str) -> tuple[str, str, str]:
    """ "Full Name[, Organization[, Title]]" → (name, organization, title)."""
    parts = [p.strip() for p in text.split(",")]
    parts += ["", ""]
    return parts[0], parts[1], ", ".join(p for p in parts[2:] if p)


@event_app.command("met")
def event_met(
    event: str = typer.Argument(..., help="Event id or name fragment."),
    people: list[str] = typer.Argument(None, help="People already in the network you met."),
    new: list[str] = typer.Option(
        [], "--new", help='Someone new: "Full Name[, Organization[, Title]]" (repeatable).'
    ),
    needs: str = typer.Option("", "--needs", help="What the new people are trying to solve."),
    email: str = typer.Option("", "--email", help="Email of the (one) new person."),
    note: str = typer.Option("", "--note", help="What you talked about."),
    interesting: str = typer.Option(None, help="New people: do I find them interesting? yes/no"),
    enjoy: str = typer.Option(None, help="New people: would I enjoy time with them? yes/no"),
    mutual: str = typer.Option(None, help="New people: mutually beneficial business? yes/no"),
    as_json: bool = JSON_OPT,
) -> None:
    """Record whom you met: existing people by reference, new ones with --new."""
    from goodwill.services.errors import BadInput
    from goodwill.services.events import NewPerson, record_met, resolve_event

    if email and len(new) != 1:
        raise BadInput("--email needs exactly one --new person")
    answers = {
        "q_interesting": _answer(interesting, "interesting"),
        "q_enjoy": _answer(enjoy, "enjoy"),
        "q_mutual_business": _answer(mutual, "mutual"),
    }
    fresh = []
    for text in new:
        name, org, title = parse_new(text)
        fresh.append(
            NewPerson(name=name, organization=org, title=title, email=email, needs=needs, **answers)
        )
    a = actor()
    result = record_met(
        actor=a,
        today=today(),
        event=resolve_event(actor=a, ref=event),
        people=list(people or []),
        new=fresh,
        note=note,
    )
    if as_json:
        print_json(result)
        return
    for r in result.recorded:
        label = "new" if r["was_new"] else "known"
        console.print(Text(f"Met {r['name']} (id {r['id']}, {label})."))
    for r in result.already:
        console.print(Text(f"{r['name']} was already recorded at this event."))


@event_app.command("report")
def event_report(
    event: str = typer.Argument(..., help="Event id or name fragment."), as_json: bool = JSON_OPT
) -> None:
    """After the event: who you met, new versus known, follow-ups, results, revenue."""
    from goodwill.services.events import event_report as report_for
    from goodwill.services.events import resolve_event

    a = actor()
    r = report_for(actor=a, event=resolve_event(actor=a, ref=event))
    if as_json:
        print_json(r)
        return
    console.print(Text(f"{r.event['name']} on {r.event['date']}", style="bold"))
    lines = (
        f"met {r.met}: {r.new_people} new, {r.known_people} already known\n"
        f"followed up within a week: {r.followed_up}\n"
        f"now productive: {r.productive}\n"
        f"revenue attributed: {r.revenue}"
        + (f" ({r.revenue_per_hour} per hour)" if r.revenue_per_hour is not None else "")
    )
    console.print(Text(lines))
    if r.warning:
        console.print(Text(r.warning, style="yellow"))
    console.print(
        table(
            "People met",
            ["id", "name", "new?", "followed up", "stage"],
            [
                [
                    p.person["id"],
                    p.person["name"],
                    "new" if p.was_new else "known",
                    "yes" if p.followed_up else "no",
                    p.stage,
                ]
                for p in r.people
            ],
        )
    )
