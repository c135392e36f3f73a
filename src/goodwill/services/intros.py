"""Introductions: suggest whom to connect (needs met by offers), record and follow
introductions, and find warm paths to people we don't know yet.

Matching and ranking formulas live in :mod:`goodwill.core.matching`, path
strengths in :mod:`goodwill.core.paths`. Every function here runs a bounded
number of queries whatever the size of the network.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max, Q

from goodwill.core import matching, paths
from goodwill.db.models import (
    Direction,
    EventMet,
    Favour,
    FavourKind,
    Interaction,
    Introduction,
    IntroStatus,
    Membership,
    Person,
    Stage,
)

from . import matches
from .compiled import in_ids
from .context import Actor, scoped
from .errors import BadInput, NotFound
from .health import MAX_IN, health_for
from .parse import parse_choice, parse_date
from .signals import Signal
from .touch import touched

RECENT_DAYS = 30  # the window in which a provider counts as busy with introductions
FOLLOW_UP_DAYS = 14
STRONG_MATCH = 0.6  # a match this good becomes a plan signal
SIGNAL_LIMIT = 10
NEED_SIGNAL_PEOPLE = 200
RANK_BATCH = 200  # matches ranked per step before checking whether the rest can enter
ROUNDING = 0.001  # ranks are rounded to 3 decimals: bounds allow for it
HEALTH_SLICE = MAX_IN  # people per health_for call
PERSON_FIELDS = ("id", "name", "needs", "offers", "stage", "last_contact", "tier", "role")
HEALTH_FIELDS = (*PERSON_FIELDS, "cadence_days", "created_on")


@dataclass(frozen=True)
class PersonRef:
    id: int | None
    name: str


@dataclass
class Suggestion:
    """``a`` needs something ``b`` offers."""

    a: PersonRef
    b: PersonRef
    score: float  # match * relationship: the ranking
    match: float  # calibrated 0..1
    relationship: float
    need: str
    offer: str
    why: str
    shared_terms: list[str]


@dataclass
class IntroRow:
    id: int
    a: PersonRef
    b: PersonRef
    status: str
    reason: str
    outcome: str
    suggested_on: dt.date
    asked_on: dt.date | None
    made_on: dt.date | None
    declined_on: dt.date | None
    followed_up_on: dt.date | None
    needs_follow_up: bool


# --- suggestions -----------------------------------------------------------------


def _why(a: str, b: str, m: matching.Match) -> str:
    linked = {c: f"{c.replace('_', ' ')} ({nw} ~ {ow})" for c, nw, ow in m.links if nw != ow}
    common = ", ".join(linked.get(t, t.replace("_", " ")) for t in m.shared_terms)
    return f"{a} needs “{m.need}”; {b} offers “{m.offer}”; in common: {common}"


def _intro_state(actor: Actor, today: dt.date) -> tuple[set[frozenset[int]], dict[int, int]]:
    """Pairs already introduced (or dismissed) and each person's recent introductions."""
    since = today - dt.timedelta(days=RECENT_DAYS)
    pairs: set[frozenset[int]] = set()
    recent: dict[int, int] = defaultdict(int)
    rows = scoped(Introduction, actor.workspace).values_list(
        "a_id", "b_id", "dismissed", "asked_on", "made_on"
    )
    for a_id, b_id, dismissed, asked_on, made_on in rows:
        pairs.add(frozenset((a_id, b_id)))
        last = max((d for d in (asked_on, made_on) if d is not None), default=None)
        if not dismissed and last is not None and last > since:
            recent[a_id] += 1
            recent[b_id] += 1
    return pairs, recent


def _rank(
    actor: Actor, today: dt.date, found: Iterable[matching.Match], limit: int | None = None
) -> list[Suggestion]:
    """The matches ranked by relationship now (core.matching.rank), best first.

    ``found`` comes best score first. A rank is at most the score times both stage
    factors (the relationship's warmth is at most 1), so with ``limit`` a match whose
    bound is below the ``limit``-th rank so far is skipped before any health is
    computed, and reading stops once the next score is below it (exact: the bound
    allows for the rounding of ranks)."""
    introduced, recent = _intro_state(actor, today)
    stages: dict[int, str] = {}
    people: dict[int, Person] = {}
    healths: dict[int, int | None] = {}
    ranked: list[matching.Ranked] = []
    pending = iter(found)
    batch = RANK_BATCH if limit is None else max(RANK_BATCH, 2 * limit)
    factor = matching.STAGE_FACTOR
    while True:
        chunk = list(itertools.islice(pending, batch))
        if not chunk:
            break
        ids = sorted(({m.need_id for m in chunk} | {m.offer_id for m in chunk}) - stages.keys())
        stages.update(
            in_ids(scoped(Person, actor.workspace), Person, "id", ids).values_list("id", "stage")
        )
        floor = ranked[-1].rank - ROUNDING if limit and len(ranked) == limit else 0.0
        last_read = chunk[-1].score
        chunk = [
            m
            for m in chunk
            if m.score
            * factor.get(stages.get(m.need_id, ""), 0.0)
            * factor.get(stages.get(m.offer_id, ""), 0.0)
            >= floor
        ]
        wanted = sorted(({m.need_id for m in chunk} | {m.offer_id for m in chunk}) - people.keys())
        fresh = (
            scoped(Person, actor.workspace).exclude(stage=Stage.LET_GO).only(*HEALTH_FIELDS)
        ).in_bulk(wanted)
        people.update(fresh)
        found_people = list(fresh.values())
        for start in range(0, len(found_people), HEALTH_SLICE):  # indexed IN lists
            some = found_people[start : start + HEALTH_SLICE]
            health = health_for(actor=actor, people=some, today=today)
            healths.update({p.pk: health[p.pk].score if p.pk in health else None for p in some})
        standing = {
            pid: matching.Standing(
                id=pid,
                stage=people[pid].stage,
                health=healths[pid],
                recent_intros=recent.get(pid, 0),
            )
            for pid in {m.need_id for m in chunk} | {m.offer_id for m in chunk}
            if pid in people
        }
        ranked += matching.rank(chunk, standing, introduced=introduced)
        ranked.sort(key=lambda x: (-x.rank, -x.match.score, x.match.need_id, x.match.offer_id))
        if limit is not None:
            ranked = ranked[:limit]
            if len(ranked) == limit and last_read < ranked[-1].rank - ROUNDING:
                break
        batch *= 2
    return [
        Suggestion(
            a=PersonRef(m.need_id, people[m.need_id].name),
            b=PersonRef(m.offer_id, people[m.offer_id].name),
            score=r.rank,
            match=m.score,
            relationship=r.relationship,
            need=m.need,
            offer=m.offer,
            why=_why(people[m.need_id].name, people[m.offer_id].name, m),
            shared_terms=list(m.shared_terms),
        )
        for r, m in zip(ranked, matches.explained(actor, [r.match for r in ranked]), strict=True)
    ]


def suggestions(
    *, actor: Actor, today: dt.date, person: Person | None = None, limit: int = 20
) -> list[Suggestion]:
    """Introductions worth making, best first (``person``: only those involving them).

    Read from the stored matches (services/matches.py: each needing person's best
    five, rebuilt when needs or offers changed), best score first, then ranked by
    relationship now."""
    if limit <= 0:
        raise BadInput("the limit must be a positive number", field="limit")
    if person is not None:
        found: Iterable[matching.Match] = matches.stored(actor, person_id=person.pk)
    else:
        found = matches.best_first(actor, per_person=3)
    return _rank(actor, today, found, limit)


# --- recording and following introductions ----------------------------------------


def _pair(actor: Actor, a: Person, b: Person) -> Introduction | None:
    return (
        scoped(Introduction, actor.workspace)
        .select_for_update()
        .filter(Q(a=a, b=b) | Q(a=b, b=a))
        .order_by("-id")
        .first()
    )


def _apply_status(actor: Actor, intro: Introduction, status: str, when: dt.date) -> None:
    """Move ``intro`` to ``status`` on ``when``; becoming made is a favour given to both."""
    was_made = intro.status == IntroStatus.MADE
    intro.status = status
    if status == IntroStatus.ASKED:
        intro.asked_on = intro.asked_on or when
    elif status == IntroStatus.MADE:
        intro.made_on = intro.made_on or when
    elif status == IntroStatus.DECLINED:
        intro.declined_on = when
    if status == IntroStatus.MADE and not was_made:
        for person, other in ((intro.a, intro.b), (intro.b, intro.a)):
            Favour.objects.create(
                workspace=actor.workspace,
                person=person,
                direction=Direction.GAVE,
                kind=FavourKind.INTRODUCTION,
                date=intro.made_on or when,
                note=f"introduced to {other.name}",
                introduction=intro,
            )
            touched(person, intro.made_on or when)


def _when(date: str | dt.date | None, today: dt.date) -> dt.date:
    when = parse_date(date, today=today)
    if when > today:
        raise BadInput(f"the date {when} is in the future", field="date")
    return when


@transaction.atomic
def record_introduction(
    *,
    actor: Actor,
    a: Person,
    b: Person,
    today: dt.date,
    reason: str = "",
    status: str = IntroStatus.SUGGESTED,
    outcome: str = "",
    date: str | dt.date | None = None,
) -> Introduction:
    """Introduce ``a`` (who needs) to ``b`` (who can help), or move the pair's existing
    introduction on. Statuses follow double opt-in: suggested → asked (both asked
    whether they want it) → made (both agreed, introduced) or declined."""
    actor.require_write()
    if a.pk == b.pk:
        raise BadInput("cannot introduce someone to themself", field="b")
    status = parse_choice(status or IntroStatus.SUGGESTED, IntroStatus.values, field="status")
    when = _when(date, today)
    intro = _pair(actor, a, b)
    if intro is None:
        intro = Introduction(workspace=actor.workspace, a=a, b=b, suggested_on=when)
    intro.dismissed = False
    if reason.strip():
        intro.reason = reason.strip()
    if outcome.strip():
        intro.outcome = outcome.strip()
    intro.save()
    _apply_status(actor, intro, status, when)
    intro.save()
    return intro


def _get(actor: Actor, introduction_id: int) -> Introduction:
    intro = (
        scoped(Introduction, actor.workspace)
        .select_related("a", "b")
        .filter(pk=introduction_id, dismissed=False)
        .first()
    )
    if intro is None:
        raise NotFound(f"no introduction with id {introduction_id}")
    return intro


@transaction.atomic
def update_introduction(
    *,
    actor: Actor,
    introduction_id: int,
    today: dt.date,
    status: str = "",
    outcome: str | None = None,
    reason: str | None = None,
    followed_up: bool = False,
    date: str | dt.date | None = None,
) -> Introduction:
    """Change an introduction's status, outcome or reason, or mark it followed up
    (a follow-up is a touchpoint with the person who had the need)."""
    actor.require_write()
    intro = _get(actor, introduction_id)
    when = _when(date, today)
    if status:
        _apply_status(actor, intro, parse_choice(status, IntroStatus.values, field="status"), when)
    if outcome is not None:
        intro.outcome = outcome.strip()
    if reason is not None:
        intro.reason = reason.strip()
    if followed_up:
        if intro.status != IntroStatus.MADE:
            raise BadInput("only an introduction that was made can be followed up", field="status")
        intro.followed_up_on = when
        touched(intro.a, when)
    intro.save()
    return intro


@transaction.atomic
def dismiss_suggestion(*, actor: Actor, a: Person, b: Person, today: dt.date) -> Introduction:
    """Turn a suggestion down: the pair is not suggested again."""
    actor.require_write()
    if a.pk == b.pk:
        raise BadInput("cannot introduce someone to themself", field="b")
    intro = _pair(actor, a, b)
    if intro is not None and intro.status != IntroStatus.SUGGESTED:
        raise BadInput(f"{a.name} and {b.name} already have an introduction ({intro.status})")
    if intro is None:
        intro = Introduction(workspace=actor.workspace, a=a, b=b, suggested_on=today)
    intro.dismissed = True
    intro.save()
    return intro


def _row(intro: Introduction, today: dt.date) -> IntroRow:
    due = today - dt.timedelta(days=FOLLOW_UP_DAYS)
    return IntroRow(
        id=intro.pk,
        a=PersonRef(intro.a_id, intro.a.name),
        b=PersonRef(intro.b_id, intro.b.name),
        status=intro.status,
        reason=intro.reason,
        outcome=intro.outcome,
        suggested_on=intro.suggested_on,
        asked_on=intro.asked_on,
        made_on=intro.made_on,
        declined_on=intro.declined_on,
        followed_up_on=intro.followed_up_on,
        needs_follow_up=(
            intro.status == IntroStatus.MADE
            and intro.followed_up_on is None
            and intro.made_on is not None
            and intro.made_on <= due
        ),
    )


def list_introductions(*, actor: Actor, today: dt.date, status: str = "") -> list[IntroRow]:
    """Recorded introductions (not dismissed suggestions), latest activity first."""
    rows = scoped(Introduction, actor.workspace).filter(dismissed=False).select_related("a", "b")
    if status:
        rows = rows.filter(status=parse_choice(status, IntroStatus.values, field="status"))
    result = [_row(i, today) for i in rows]

    def latest(r: IntroRow) -> tuple[dt.date, int]:
        dates = [r.suggested_on, r.asked_on, r.made_on, r.declined_on, r.followed_up_on]
        return (max(d for d in dates if d is not None), r.id)

    result.sort(key=latest, reverse=True)
    return result


def introduction(*, actor: Actor, introduction_id: int, today: dt.date) -> IntroRow:
    return _row(_get(actor, introduction_id), today)


# --- the daily plan's signals -------------------------------------------------------


def signals(*, actor: Actor, today: dt.date) -> list[Signal]:
    """Made introductions not followed up after 14 days, and strong matches that meet
    the need of someone we are close to (nurturing or productive)."""
    found: list[Signal] = []
    due = today - dt.timedelta(days=FOLLOW_UP_DAYS)
    stale = (
        scoped(Introduction, actor.workspace)
        .filter(status=IntroStatus.MADE, dismissed=False, made_on__lte=due)
        .filter(followed_up_on__isnull=True)
        .exclude(a__stage=Stage.LET_GO)
        .order_by("made_on", "id")
        .values_list("a_id", "a__name", "b__name", "made_on")
    )
    for a_id, a_name, b_name, made_on in stale:
        days = (today - made_on).days if made_on else FOLLOW_UP_DAYS
        found.append(
            Signal(
                person_id=a_id,
                kind="intro_follow_up",
                weight=0.6,
                reason=f"introduced to {b_name} {days} days ago, no follow-up yet",
                action=f"Ask {a_name} how the introduction to {b_name} went.",
            )
        )
    # Only the closest relationships are worth a plan reason: the most recently
    # active NEED_SIGNAL_PEOPLE of those nurturing or productive with a need.
    close = list(
        scoped(Person, actor.workspace)
        .filter(stage__in=(Stage.NURTURING, Stage.PRODUCTIVE))
        .exclude(needs="")
        .order_by(F("last_contact").desc(nulls_last=True), "-id")
        .values_list("id", flat=True)[:NEED_SIGNAL_PEOPLE]
    )
    if close:
        # One match per person, strong ones only: the first SIGNAL_LIMIT ranked are the
        # signals, so ranking stops there and only those are explained.
        best = matches.stored(actor, need_ids=close, per_person=1, explain=False)
        strong = [m for m in best if m.score >= STRONG_MATCH]
        for s in _rank(actor, today, strong, SIGNAL_LIMIT):
            if s.a.id is None:
                continue
            found.append(
                Signal(
                    person_id=s.a.id,
                    kind="intro_meets_need",
                    weight=round(min(1.0, 0.5 * s.match + 0.5 * s.relationship), 3),
                    reason=f"needs “{s.need}”: {s.b.name} offers “{s.offer}”",
                    action=f"Offer {s.a.name} an introduction to {s.b.name}, who does {s.offer}.",
                )
            )
    return found


# --- warm paths ------------------------------------------------------------------------


@dataclass
class PathStep:
    id: int | None  # a person's id; None for me and for teammates
    name: str
    kind: str  # "me", "person" or "teammate"
    strength: float | None  # of the hop that reaches this step
    reasons: list[str] = field(default_factory=list)


@dataclass
class WarmPath:
    path: list[PathStep]
    strength: float


@dataclass
class PathResult:
    person: PersonRef
    path: list[PathStep]
    strength: float
    alternatives: list[WarmPath]


ME = "me"


def _edges(
    actor: Actor, people: list[Person], today: dt.date
) -> tuple[list[paths.Edge], dict[Hashable, str]]:
    """The graph's edges (see core.paths for the strengths) and node labels."""
    names: dict[Hashable, str] = {ME: "me"}
    edges: list[paths.Edge] = []
    by_org: dict[int, list[Person]] = defaultdict(list)
    for p in people:
        names[("p", p.pk)] = p.name
        if p.organization_id:
            by_org[p.organization_id].append(p)
        if p.introduced_by_id:
            edges.append(
                paths.Edge(
                    ("p", p.introduced_by_id), ("p", p.pk), paths.INTRODUCED_BY, "introduced them"
                )
            )
    for members in by_org.values():
        if 2 <= len(members) <= paths.MAX_GROUP:
            org = members[0].organization.name if members[0].organization else "the same company"
            for i, x in enumerate(members):
                for y in members[i + 1 :]:
                    edges.append(
                        paths.Edge(
                            ("p", x.pk), ("p", y.pk), paths.SAME_ORGANIZATION, f"both at {org}"
                        )
                    )
    by_event: dict[int, list[int]] = defaultdict(list)
    event_names: dict[int, str] = {}
    for event_id, person_id, event_name in scoped(EventMet, actor.workspace).values_list(
        "event_id", "person_id", "event__name"
    ):
        by_event[event_id].append(person_id)
        event_names[event_id] = event_name
    for event_id, met in by_event.items():
        if 2 <= len(met) <= paths.MAX_GROUP:
            for i, x_id in enumerate(met):
                for y_id in met[i + 1 :]:
                    edges.append(
                        paths.Edge(
                            ("p", x_id),
                            ("p", y_id),
                            paths.MET_AT_EVENT,
                            f"met at {event_names[event_id]}",
                        )
                    )
    # Who on the team talked to whom (one GROUP BY), and the team itself.
    contacts: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for member_id, person_id, last in (
        scoped(Interaction, actor.workspace)
        .filter(member__isnull=False)
        .values("member_id", "person_id")
        .annotate(last=Max("date"))
        .values_list("member_id", "person_id", "last")
    ):
        contacts[person_id][member_id] = last
    team = dict(
        Membership.objects.filter(workspace=actor.workspace).values_list(
            "user_id", "user__username"
        )
    )
    me_id = actor.user.pk
    for uid, username in team.items():
        if uid != me_id:
            names[("m", uid)] = username
            edges.append(paths.Edge(ME, ("m", uid), paths.TEAMMATE, "teammate"))
    known = [p for p in people if p.last_contact is not None]
    health = health_for(actor=actor, people=known, today=today)
    for p in known:
        talked = contacts.get(p.pk, {})
        if not talked or me_id in talked:
            score = health[p.pk].score if p.pk in health else 0
            edges.append(paths.Edge(ME, ("p", p.pk), score / 100, f"health {score}"))
        for uid, last in talked.items():
            if uid != me_id and uid in team:
                strength = paths.teammate_contact((today - last).days)
                edges.append(
                    paths.Edge(("m", uid), ("p", p.pk), strength, f"in touch since {last}")
                )
    return edges, names


def _steps(path: paths.Path, names: dict[Hashable, str]) -> list[PathStep]:
    steps = [PathStep(id=None, name=names[ME], kind="me", strength=None)]
    for hop in path.hops:
        node = hop.to
        kind = "teammate" if isinstance(node, tuple) and node[0] == "m" else "person"
        steps.append(
            PathStep(
                id=node[1] if kind == "person" and isinstance(node, tuple) else None,
                name=names.get(node, "?"),
                kind=kind,
                strength=hop.strength,
                reasons=list(hop.reasons),
            )
        )
    return steps


def warm_path(*, actor: Actor, person: Person, today: dt.date, alternatives: int = 3) -> PathResult:
    """The strongest chain of people from me to ``person`` (≤ 3 hops), with alternatives."""
    people = list(
        scoped(Person, actor.workspace)
        .select_related("organization")
        .only(*HEALTH_FIELDS, "organization__name", "introduced_by_id")
        .order_by("id")
    )
    edges, names = _edges(actor, people, today)
    let_go = [("p", p.pk) for p in people if p.stage == Stage.LET_GO and p.pk != person.pk]
    graph = paths.build_graph(edges, exclude=let_go)
    found = paths.warm_paths(graph, ME, ("p", person.pk), alternatives=alternatives)
    ref = PersonRef(person.pk, person.name)
    if not found:
        return PathResult(person=ref, path=[], strength=0.0, alternatives=[])
    best, *rest = found
    return PathResult(
        person=ref,
        path=_steps(best, names),
        strength=best.strength,
        alternatives=[WarmPath(path=_steps(p, names), strength=p.strength) for p in rest],
    )
