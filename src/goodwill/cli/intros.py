"""Introductions: intros (suggestions), intro (record), introductions (list), path."""

from __future__ import annotations

import typer
from rich.text import Text

from .app import JSON_OPT, actor, app, console, print_json, today
from .render import table


def _ref(ref: object) -> dict[str, object]:
    return {"id": getattr(ref, "id", None), "name": getattr(ref, "name", "")}


@app.command()
def intros(
    person: str = typer.Argument(None, help="Only suggestions involving this person."),
    limit: int = typer.Option(10, min=1, max=1000, help="How many suggestions."),
    as_json: bool = JSON_OPT,
) -> None:
    """Introductions worth making: someone's need met by someone else's offer."""
    from goodwill.services.intros import suggestions
    from goodwill.services.people import resolve_person

    a = actor()
    who = resolve_person(actor=a, ref=person) if person else None
    found = suggestions(actor=a, today=today(), person=who, limit=limit)
    if as_json:
        print_json(
            [
                {
                    "a": _ref(s.a),
                    "b": _ref(s.b),
                    "score": s.score,
                    "match": s.match,
                    "relationship": s.relationship,
                    "need": s.need,
                    "offer": s.offer,
                    "why": s.why,
                    "shared_terms": s.shared_terms,
                }
                for s in found
            ]
        )
        return
    if not found:
        console.print(Text("No introductions to suggest: add needs and offers to people."))
        return
    rows = [
        [s.score, s.a.name, s.need, s.b.name, s.offer, ", ".join(s.shared_terms)] for s in found
    ]
    console.print(
        table(
            "Introductions to make",
            ["score", "needs", "need", "can help", "offer", "in common"],
            rows,
        )
    )


@app.command()
def intro(
    a: str = typer.Argument(..., help="The person with the need."),
    b: str = typer.Argument(..., help="The person who can help."),
    reason: str = typer.Option("", help="Why they should meet."),
    status: str = typer.Option("suggested", help="suggested, asked, made or declined."),
    outcome: str = typer.Option("", help="What came of it."),
    date: str = typer.Option("", help="When (YYYY-MM-DD, today, -3d); default today."),
    as_json: bool = JSON_OPT,
) -> None:
    """Record an introduction of A to B (or move their introduction to a new status)."""
    from goodwill.services.intros import record_introduction
    from goodwill.services.people import resolve_person

    act = actor()
    person_a = resolve_person(actor=act, ref=a)
    person_b = resolve_person(actor=act, ref=b)
    made = record_introduction(
        actor=act,
        a=person_a,
        b=person_b,
        today=today(),
        reason=reason,
        status=status,
        outcome=outcome,
        date=date or None,
    )
    if as_json:
        print_json({"id": made.pk, "status": made.status})
    else:
        console.print(
            Text(f"Introduction {made.pk}: {person_a.name} → {person_b.name} ({made.status}).")
        )


@app.command()
def introductions(
    status: str = typer.Option("", help="Only this status."),
    follow_up: int = typer.Option(0, "--follow-up", help="Mark introduction ID followed up."),
    as_json: bool = JSON_OPT,
) -> None:
    """Recorded introductions, latest first, with what needs a follow-up."""
    from goodwill.services.intros import list_introductions, update_introduction

    act = actor()
    if follow_up:
        update_introduction(actor=act, introduction_id=follow_up, today=today(), followed_up=True)
    rows = list_introductions(actor=act, today=today(), status=status)
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "a": _ref(r.a),
                    "b": _ref(r.b),
                    "status": r.status,
                    "reason": r.reason,
                    "outcome": r.outcome,
                    "suggested_on": r.suggested_on,
                    "asked_on": r.asked_on,
                    "made_on": r.made_on,
                    "declined_on": r.declined_on,
                    "followed_up_on": r.followed_up_on,
                    "needs_follow_up": r.needs_follow_up,
                }
                for r in rows
            ]
        )
        return
    console.print(
        table(
            "Introductions",
            ["id", "a", "b", "status", "since", "follow up", "outcome"],
            [
                [
                    r.id,
                    r.a.name,
                    r.b.name,
                    r.status,
                    r.made_on or r.asked_on or r.declined_on or r.suggested_on,
                    "due" if r.needs_follow_up else (r.followed_up_on or ""),
                    r.outcome,
                ]
                for r in rows
            ],
        )
    )


@app.command()
def path(
    person: str = typer.Argument(..., help="Whom you want to reach."),
    alternatives: int = typer.Option(3, min=0, max=10, help="How many other paths to show."),
    as_json: bool = JSON_OPT,
) -> None:
    """The warmest chain of people from you to PERSON (at most 3 hops)."""
    from goodwill.services.intros import warm_path
    from goodwill.services.people import resolve_person

    act = actor()
    target = resolve_person(actor=act, ref=person)
    result = warm_path(actor=act, person=target, today=today(), alternatives=alternatives)
    if as_json:
        print_json(result)
        return
    if not result.path:
        console.print(Text(f"No warm path to {target.name} within 3 hops."))
        return
    for n, option in enumerate([result, *result.alternatives]):
        line = Text("best: " if n == 0 else "also: ", style="bold")
        line.append(" → ".join(step.name for step in option.path))
        line.append(f"  (strength {option.strength})")
        console.print(line)
        if n == 0:
            for step in option.path[1:]:
                console.print(Text(f"   {step.name}: {step.strength} — {'; '.join(step.reasons)}"))
