"""Events: plan whom to meet, capture who was met, follow up, and report.

The report separates people met for the first time from people already known:
spending an event chatting with people you know is the mistake the essays warn
about, so the report says so when most of the people met were known.
Revenue attributed to an event = won deals recorded with that event, plus won
deals (on or after the event) of people first met there that name no event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum

from goodwill.core import money
from goodwill.core.criteria import CriteriaError, Criterion, matched, parse_criteria, profile
from goodwill.db.models import (
    Deal,
    DealStatus,
    Event,
    EventMet,
    EventTarget,
    Interaction,
    InteractionKind,
    Person,
    PersonTag,
    Source,
    Stage,
)

from .context import Actor, scoped
from .errors import Ambiguous, BadInput, NotFound
from .parse import parse_date
from .people import PersonInput, add_person, resolve_person
from .signals import Signal
from .touch import touched

FOLLOW_UP_DAYS = 7  # "followed up within a week"
SIGNAL_DAYS = 14  # how long an event follow-up stays on the plan
PREP_LIMIT = 50


def _criteria(text: str) -> list[Criterion]:
    try:
        return parse_criteria(text)
    except CriteriaError as exc:
        raise BadInput(str(exc), field="target_criteria") from None


def ref(person: Person | dict[str, object]) -> dict[str, object]:
    if isinstance(person, Person):
        return {"id": person.pk, "name": person.name}
    return {"id": person["id"], "name": person["name"]}


# -- plan ---------------------------------------------------------------------


@transaction.atomic
def add_event(
    *,
    actor: Actor,
    today: dt.date,
    name: str,
    date: str | dt.date,
    location: str = "",
    targets: list[str] | None = None,
    target_criteria: str = "",
    notes: str = "",
    hours: str | Decimal | None = None,
) -> Event:
    """A new event with named targets and/or target criteria (one transaction)."""
    actor.require_write()
    name = name.strip()
    if not name:
        raise BadInput("an event needs a name", field="name")
    if len(name) > 200:
        raise BadInput("the event name is longer than 200 characters", field="name")
    if not str(date).strip():
        raise BadInput("an event needs a date", field="date")
    when = parse_date(date, today=today)
    criteria = _criteria(target_criteria)
    people = [resolve_person(actor=actor, ref=t) for t in (targets or []) if t.strip()]
    spent: Decimal | None = None
    if hours not in (None, ""):
        try:
            spent = Decimal(str(hours))
        except ArithmeticError:
            raise BadInput(f"bad hours {hours!r}: not a number", field="hours") from None
        if not spent.is_finite() or spent < 0 or spent > 9999:
            raise BadInput(f"bad hours {hours!r}", field="hours")
    event = Event.objects.create(
        workspace=actor.workspace,
        name=name,
        date=when,
        location=location.strip(),
        target_criteria=" ".join(str(c) for c in criteria),
        notes=notes.strip(),
        hours=spent,
    )
    seen: set[int] = set()
    rows = []
    for p in people:
        if p.pk not in seen:
            seen.add(p.pk)
            rows.append(EventTarget(workspace=actor.workspace, event=event, person=p))
    EventTarget.objects.bulk_create(rows)
    return event


@dataclass(frozen=True)
class EventSummary:
    id: int
    name: str
    date: dt.date
    location: str
    target_criteria: str
    targets: int
    met: int
    new_people: int


def list_events(*, actor: Actor) -> list[EventSummary]:
    """All events, newest first, with how many targets and people met (one query each)."""
    events = list(scoped(Event, actor.workspace).order_by("-date", "-id"))
    targets = dict(
        scoped(EventTarget, actor.workspace)
        .values("event_id")
        .annotate(n=Count("id"))
        .values_list("event_id", "n")
    )
    met: dict[int, Any] = {
        r["event_id"]: r
        for r in scoped(EventMet, actor.workspace)
        .values("event_id")
        .annotate(n=Count("id"), new=Count("id", filter=Q(was_new=True)))
    }
    return [
        EventSummary(
            id=e.pk,
            name=e.name,
            date=e.date,
            location=e.location,
            target_criteria=e.target_criteria,
            targets=targets.get(e.pk, 0),
            met=met.get(e.pk, {}).get("n", 0),
            new_people=met.get(e.pk, {}).get("new", 0),
        )
        for e in events
    ]


def resolve_event(*, actor: Actor, ref: str | int) -> Event:
    """An event by id or by a unique case-insensitive name fragment."""
    events = scoped(Event, actor.workspace)
    text = str(ref).strip()
    if not text:
        raise BadInput("an event is required", field="event")
    if text.isdigit():
        event = events.filter(pk=int(text)).first()
        if event is None:
            raise NotFound(f"no event with id {text}")
        return event
    exact = list(events.filter(name__iexact=text)[:2])
    matches = exact or list(events.filter(name__icontains=text).order_by("-date", "id")[:11])
    if not matches:
        raise NotFound(f"no event matches {text!r}")
    if len(matches) > 1:
        listing = "; ".join(f"{e.pk} {e.name} ({e.date})" for e in matches[:10])
        raise Ambiguous(
            f"{text!r} matches several events: {listing} (use an id)",
            [(e.pk, e.name) for e in matches[:10]],
        )
    return matches[0]


# -- prep ---------------------------------------------------------------------


@dataclass
class PrepItem:
    person: dict[str, object]
    organization: str
    title: str
    stage: str
    why: str  # "named target" or the criteria matched
    talk_about: list[str]
    q_interesting: bool | None = None
    q_enjoy: bool | None = None
    q_mutual_business: bool | None = None


@dataclass
class Prep:
    event: dict[str, object]
    criteria: str
    targets: list[PrepItem]
    matches: list[PrepItem]
    more_matches: int = 0


def event_ref(event: Event) -> dict[str, object]:
    return {
        "id": event.pk,
        "name": event.name,
        "date": event.date,
        "location": event.location,
        "target_criteria": event.target_criteria,
    }


PERSON_VALUES = (
    "id", "name", "title", "industry", "location", "role", "tier", "stage", "source",
    "needs", "offers", "introduced_by_id", "organization_id", "organization__name",
    "organization__industry", "q_interesting", "q_enjoy", "q_mutual_business",
)  # fmt: skip


def event_prep(*, actor: Actor, event: Event) -> Prep:
    """Named targets and network matches for the criteria, each with what to talk
    about: their needs, who I know that can help with them, shared contacts."""
    from goodwill.core.matching import terms  # noqa: PLC0415  (sklearn only when prepping)

    ws = actor.workspace
    criteria = _criteria(event.target_criteria)
    target_ids = set(
        scoped(EventTarget, ws).filter(event=event).values_list("person_id", flat=True)
    )
    people: list[Any] = list(scoped(Person, ws).values(*PERSON_VALUES))
    tags: dict[int, list[str]] = {}
    if any(c.field == "tag" for c in criteria):
        for pid, name in scoped(PersonTag, ws).values_list("person_id", "tag__name"):
            tags.setdefault(pid, []).append(name)
    by_id = {p["id"]: p for p in people}
    chosen: list[tuple[dict[str, object], str]] = [
        (by_id[pid], "named target") for pid in sorted(target_ids) if pid in by_id
    ]
    found = []
    if criteria:
        for p in people:
            if p["id"] in target_ids or p["stage"] == Stage.LET_GO:
                continue
            prof = profile(
                industry=p["industry"],
                org_industry=p["organization__industry"] or "",
                role=p["role"],
                source=p["source"],
                tier=p["tier"],
                stage=p["stage"],
                organization=p["organization__name"] or "",
                title=p["title"],
                location=p["location"],
                tags=tags.get(p["id"], ()),
            )
            hits = matched(criteria, prof)
            if len({c.field for c in hits}) == len({c.field for c in criteria}):
                found.append((p, "matches " + " ".join(str(c) for c in hits)))
    stage_order = {s: i for i, s in enumerate(Stage.values)}
    found.sort(key=lambda x: (stage_order.get(str(x[0]["stage"]), 9), str(x[0]["name"]).lower()))
    shown = found[:PREP_LIMIT]
    helpers = [(p, terms(str(p["offers"]))) for p in people if p["offers"]]
    colleagues: dict[int, list[dict[str, object]]] = {}
    introduced: dict[int, list[dict[str, object]]] = {}
    for p in people:
        if p["organization_id"]:
            colleagues.setdefault(int(p["organization_id"]), []).append(p)
        if p["introduced_by_id"]:
            introduced.setdefault(int(p["introduced_by_id"]), []).append(p)

    def item(p: dict[str, object], why: str) -> PrepItem:
        talk: list[str] = []
        if p["needs"]:
            talk.append(f"their needs: {p['needs']}")
            need = terms(str(p["needs"]))
            best = max(
                ((len(need & offer), q) for q, offer in helpers if q["id"] != p["id"]),
                key=lambda x: (x[0], -int(str(x[1]["id"]))),
                default=(0, None),
            )
            if best[0] and best[1] is not None:
                talk.append(f"you could introduce {best[1]['name']}: {best[1]['offers']}")
        else:
            talk.append("ask what they are trying to solve this year")
        if p["offers"]:
            talk.append(f"they offer: {p['offers']}")
        shared = []
        if p["introduced_by_id"] and p["introduced_by_id"] in by_id:
            shared.append(str(by_id[p["introduced_by_id"]]["name"]) + " (introduced you)")
        shared += [
            str(q["name"])
            for q in colleagues.get(int(str(p["organization_id"] or 0)), [])
            if q["id"] != p["id"]
        ][:3]
        shared += [str(q["name"]) for q in introduced.get(int(str(p["id"])), [])][:3]
        if shared:
            talk.append("shared contacts: " + ", ".join(shared))
        return PrepItem(
            person=ref(p),
            organization=str(p["organization__name"] or ""),
            title=str(p["title"]),
            stage=str(p["stage"]),
            why=why,
            talk_about=talk,
            q_interesting=p["q_interesting"],  # type: ignore[arg-type]
            q_enjoy=p["q_enjoy"],  # type: ignore[arg-type]
            q_mutual_business=p["q_mutual_business"],  # type: ignore[arg-type]
        )

    return Prep(
        event=event_ref(event),
        criteria=event.target_criteria,
        targets=[item(p, why) for p, why in chosen],
        matches=[item(p, why) for p, why in shown],
        more_matches=len(found) - len(shown),
    )


# -- met ----------------------------------------------------------------------


@dataclass
class NewPerson:
    """Someone met for the first time, captured in seconds."""

    name: str
    organization: str = ""
    title: str = ""
    email: str = ""
    needs: str = ""
    note: str = ""
    q_interesting: bool | None = None
    q_enjoy: bool | None = None
    q_mutual_business: bool | None = None


@dataclass
class MetResult:
    event: dict[str, object]
    recorded: list[dict[str, object]] = field(default_factory=list)  # {"id","name","was_new"}
    already: list[dict[str, object]] = field(default_factory=list)


@transaction.atomic
def record_met(
    *,
    actor: Actor,
    today: dt.date,
    event: Event,
    people: list[str] | None = None,
    new: list[NewPerson] | None = None,
    note: str = "",
) -> MetResult:
    """Record who was met at ``event``: existing people (any person reference) and
    new people (created with source=event, stage connected). A person never
    contacted before counts as new. Each is a touchpoint on the event's date."""
    actor.require_write()
    if event.date > today:
        raise BadInput(f"{event.name} is on {event.date}, in the future", field="event")
    if not (people or new):
        raise BadInput("name at least one person met (or a new one)", field="people")
    existing = [resolve_person(actor=actor, ref=r) for r in people or [] if r.strip()]
    result = MetResult(event=event_ref(event))
    met_before = set(
        scoped(EventMet, actor.workspace).filter(event=event).values_list("person_id", flat=True)
    )
    entries: list[tuple[Person, bool, str]] = []
    for p in existing:
        was_new = p.last_contact is None and p.touch_count == 0
        entries.append((p, was_new, note))
    for n in new or []:
        data = PersonInput(
            name=n.name,
            organization=n.organization,
            title=n.title,
            email=n.email,
            needs=n.needs,
            source=Source.EVENT,
            source_detail=event.name,
            stage=Stage.CONNECTED,
            q_interesting=n.q_interesting,
            q_enjoy=n.q_enjoy,
            q_mutual_business=n.q_mutual_business,
        )
        entries.append((add_person(actor=actor, data=data, today=today), True, n.note or note))
    for person, was_new, text in entries:
        if person.pk in met_before:
            result.already.append(ref(person))
            continue
        met_before.add(person.pk)
        try:
            with transaction.atomic():
                EventMet.objects.create(
                    workspace=actor.workspace,
                    event=event,
                    person=person,
                    was_new=was_new,
                    note=text.strip(),
                )
        except IntegrityError:  # recorded concurrently
            result.already.append(ref(person))
            continue
        touched(person, event.date)
        result.recorded.append({**ref(person), "was_new": was_new})
    return result


# -- report -------------------------------------------------------------------


@dataclass
class MetRow:
    person: dict[str, object]
    was_new: bool
    followed_up: bool
    stage: str


@dataclass
class EventReport:
    event: dict[str, object]
    met: int
    new_people: int
    known_people: int
    followed_up: int
    productive: int
    revenue: Decimal
    revenue_per_hour: Decimal | None
    warning: str
    people: list[MetRow]
    currency: str = "USD"
    revenue_by_currency: dict[str, Decimal] = field(default_factory=dict)


def event_report(*, actor: Actor, event: Event) -> EventReport:
    """People met (new versus known), followed up within a week, now productive,
    revenue attributed (see the module docstring)."""
    ws = actor.workspace
    rows = list(
        scoped(EventMet, ws)
        .filter(event=event)
        .values("person_id", "person__name", "person__stage", "was_new")
        .order_by("person__name", "person_id")
    )
    ids = [r["person_id"] for r in rows]
    week = (event.date, event.date + dt.timedelta(days=FOLLOW_UP_DAYS))
    followed = set(
        scoped(Interaction, ws)
        .filter(person_id__in=ids, date__range=week)
        .exclude(kind=InteractionKind.EVENT_CHAT)
        .values_list("person_id", flat=True)
    )
    new_ids = [r["person_id"] for r in rows if r["was_new"]]
    # Per currency, never added across currencies: ``revenue`` is the main currency's total.
    by_currency = money.ordered(
        {
            row["currency"]: row["total"]
            for row in scoped(Deal, ws)
            .filter(status=DealStatus.WON)
            .filter(
                Q(event=event) | Q(event__isnull=True, client_id__in=new_ids, date__gte=event.date)
            )
            .values("currency")
            .annotate(total=Sum("amount"))
        }
    )
    currency = money.main_currency(by_currency)
    revenue = by_currency.get(currency, Decimal("0"))
    people = [
        MetRow(
            person={"id": r["person_id"], "name": r["person__name"]},
            was_new=r["was_new"],
            followed_up=r["person_id"] in followed,
            stage=r["person__stage"],
        )
        for r in rows
    ]
    new_count = sum(1 for p in people if p.was_new)
    known = len(people) - new_count
    warning = ""
    if people and known > new_count:
        warning = (
            f"{known} of {len(people)} people met were already known: next time, "
            "spend the event meeting new people"
        )
    per_hour = None
    if event.hours:
        per_hour = (revenue / event.hours).quantize(Decimal("0.01"))
    return EventReport(
        event=event_ref(event),
        met=len(people),
        new_people=new_count,
        known_people=known,
        followed_up=sum(1 for p in people if p.followed_up),
        productive=sum(1 for p in people if p.stage == Stage.PRODUCTIVE),
        revenue=revenue,
        revenue_per_hour=per_hour,
        warning=warning,
        people=people,
        currency=currency,
        revenue_by_currency=by_currency,
    )


# -- plan signals -------------------------------------------------------------


def signals(*, actor: Actor, today: dt.date) -> list[Signal]:
    """People met at an event in the last 14 days with no touchpoint since (one query)."""
    rows = (
        scoped(EventMet, actor.workspace)
        .filter(
            event__date__gte=today - dt.timedelta(days=SIGNAL_DAYS),
            event__date__lte=today,
            person__last_contact__lte=F("event__date"),
        )
        .exclude(person__stage=Stage.LET_GO)
        .values(
            "person_id", "person__name", "person__needs", "was_new", "event__name", "event__date"
        )
        .order_by("-event__date", "person_id")
    )
    found: dict[int, Signal] = {}
    for r in rows:
        pid = r["person_id"]
        if pid in found:
            continue
        days = (today - r["event__date"]).days
        first = str(r["person__name"]).split()[0] if r["person__name"] else "them"
        when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        met = "first met" if r["was_new"] else "met"
        action = f"Send {first} a note about what you talked about at {r['event__name']}"
        if r["person__needs"]:
            action += f", and offer help with: {r['person__needs']}"
        found[pid] = Signal(
            person_id=pid,
            kind="event_follow_up",
            weight=(0.9 if r["was_new"] else 0.6) * (1 - days / (2 * SIGNAL_DAYS)),
            reason=f"{met} at {r['event__name']} {when}, not followed up yet",
            action=action + ".",
        )
    return list(found.values())
