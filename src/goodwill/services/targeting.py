"""Whom to target next: what productive relationships have in common (versus the
ones let go), and prospects scored by fit. Formulas in core/targeting.py.

Bounded queries: people (with their organization), event attendance and
introductions are read once each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goodwill.core import targeting as core
from goodwill.core.criteria import quote
from goodwill.db.models import EventMet, Person, Stage

from .context import Actor, scoped

# The attributes the criteria language can express, for pre-filling event targets.
CRITERIA_ATTRIBUTES = ("industry", "role", "source")
PROSPECT_STAGES = (Stage.IDENTIFIED, Stage.CONNECTED)
PROSPECT_LIMIT = 50


@dataclass(frozen=True)
class Criterion:
    attribute: str
    value: str
    lift: float
    support: int
    productive: int
    rate: float
    lift_low: float
    lift_high: float
    enough_data: bool
    significant: bool


@dataclass(frozen=True)
class Prospect:
    person: dict[str, object]
    stage: str
    fit: float
    why: list[str]


@dataclass
class Targets:
    decided: int
    productive: int
    base_rate: float | None
    enough_data: bool
    message: str
    criteria: list[Criterion]
    prospects: list[Prospect]
    suggested_criteria: str


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _examples(actor: Actor) -> tuple[list[core.Example], dict[int, dict[str, Any]]]:
    ws = actor.workspace
    people: list[Any] = list(
        scoped(Person, ws).values(
            "id",
            "name",
            "stage",
            "source",
            "role",
            "industry",
            "introduced_by_id",
            "organization__industry",
            "organization__size",
            "q_interesting",
            "q_enjoy",
            "q_mutual_business",
        )  # fmt: skip
    )
    events: dict[int, set[str]] = {}
    for pid, name in scoped(EventMet, ws).values_list("person_id", "event__name"):
        events.setdefault(pid, set()).add(name)
    examples = []
    for p in people:
        facts: set[tuple[str, str]] = {
            ("source", str(p["source"])),
            ("role", str(p["role"])),
            ("introduced", "yes" if p["introduced_by_id"] else "no"),
        }
        industry = str(p["industry"] or p["organization__industry"] or "").strip().lower()
        if industry:
            facts.add(("industry", industry))
        if p["organization__size"]:
            facts.add(("organization_size", str(p["organization__size"])))
        for key, label in (
            ("q_interesting", "interesting"),
            ("q_enjoy", "enjoy"),
            ("q_mutual_business", "mutual_business"),
        ):
            answer = _yes_no(p[key])
            if answer:
                facts.add((label, answer))
        facts |= {("event", name) for name in events.get(int(p["id"]), ())}
        outcome = {"productive": True, "let_go": False}.get(str(p["stage"]))
        examples.append(core.Example(int(p["id"]), frozenset(facts), outcome))
    return examples, {int(p["id"]): p for p in people}


def suggested_criteria(learned: core.Learned) -> str:
    """The best learned criteria as a criteria string ("" when nothing is clear)."""
    return " ".join(
        f"{f.attribute}={quote(f.value)}" for f in core.top_criteria(learned, CRITERIA_ATTRIBUTES)
    )


def targets(*, actor: Actor, prospects: int = PROSPECT_LIMIT) -> Targets:
    """Learned criteria (best first) and the identified/connected people by fit."""
    examples, people = _examples(actor)
    learned = core.learn(examples)
    open_ = [e for e in examples if people[e.person_id]["stage"] in PROSPECT_STAGES]
    fits = core.score(open_, learned)[:prospects]
    return Targets(
        decided=learned.decided,
        productive=learned.productive,
        base_rate=learned.base_rate,
        enough_data=learned.enough_data,
        message=learned.message,
        criteria=[
            Criterion(
                attribute=f.attribute,
                value=f.value,
                lift=round(f.lift, 3),
                support=f.support,
                productive=f.productive,
                rate=round(f.rate, 4),
                lift_low=round(f.lift_low, 3),
                lift_high=round(f.lift_high, 3) if f.lift_high != float("inf") else 1e9,
                enough_data=f.enough_data,
                significant=f.significant,
            )
            for f in learned.findings
        ],
        prospects=[
            Prospect(
                person={"id": f.person_id, "name": people[f.person_id]["name"]},
                stage=str(people[f.person_id]["stage"]),
                fit=round(f.fit, 3),
                why=f.why,
            )
            for f in fits
        ],
        suggested_criteria=suggested_criteria(learned),
    )


def default_event_criteria(*, actor: Actor) -> str:
    """What the event form pre-fills as target criteria."""
    examples, _ = _examples(actor)
    return suggested_criteria(core.learn(examples))
