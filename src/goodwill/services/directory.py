"""Read models of people: the list and everything about one person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from goodwill.core.health import score
from goodwill.db.models import (
    Channel,
    Commitment,
    Deal,
    Favour,
    Interaction,
    Introduction,
    PeopleCount,
    Person,
    PersonTag,
    StageChange,
)

from .compiled import Query, of_id, of_ids, query_of, rows_of_all
from .context import Actor, scoped
from .health import health_queries, inputs_from
from .people import filter_people, search_matches
from .rows import Found, fetch, fetch_all


@dataclass
class PersonSummary:
    id: int
    name: str
    email: str
    organization: str
    role: str
    stage: str
    tier: str
    health: int | None
    last_contact: dt.date | None


# What a summary and its health read of a person (the long texts stay in the table).
SUMMARY_FIELDS = (
    *("name", "email", "organization__name", "role", "stage", "tier", "last_contact"),
    *("cadence_days", "created_on"),
)


@dataclass
class PeoplePage:
    total: int
    offset: int
    limit: int
    items: list[PersonSummary]


# How many people a workspace has: one row the database keeps current
# (db.models.matches.PeopleCount) instead of counting every person.
COUNT_SQL = f"SELECT people FROM {PeopleCount._meta.db_table} WHERE workspace_id = %s"
# A page of the whole list: the ids alone, from the (workspace, name, id) index.
PAGE_SQL = (
    f"SELECT id FROM {Person._meta.db_table} WHERE workspace_id = %s "
    "ORDER BY name, id LIMIT %s OFFSET %s"
)


def people_count(actor: Actor) -> int:
    """How many people the workspace has (COUNT_SQL)."""
    return _count(fetch(COUNT_SQL, [actor.workspace.pk]))


def _count(found: Found) -> int:
    return int(found[1][0][0]) if found[1] else 0


def list_people(
    *,
    actor: Actor,
    today: dt.date,
    stage: str = "",
    role: str = "",
    tag: str = "",
    search: str = "",
    offset: int = 0,
    limit: int = 50,
) -> PeoplePage:
    """One page of people with their health, in a fixed number of queries."""
    matches = search_matches(actor=actor, search=search) if search else None
    # The page's ids first: the skipped rows are read from the (workspace, name, id)
    # index alone, not looked up in the table one by one (page 150 of 100,000
    # people: 15 ms as one query, under 1 ms in two); a search's matches come in
    # the list's order already. The 50 people are then put in that order here, not
    # by SQL: ORDER BY name would have the planner walk the name index over the
    # whole workspace instead of looking up 50 ids.
    filtered = bool(stage or role or tag)
    if matches is not None and not filtered:
        total = len(matches)  # all of them people of the workspace
        page_ids = matches[offset : offset + limit]
    elif matches is None and not filtered:  # in one round trip on PostgreSQL
        count, ids = fetch_all(
            [(COUNT_SQL, [actor.workspace.pk]), (PAGE_SQL, [actor.workspace.pk, limit, offset])]
        )
        total, page_ids = _count(count), [row[0] for row in ids[1]]
    else:
        people_qs = filter_people(actor=actor, stage=stage, role=role, tag=tag, matches=matches)
        total = people_qs.count()
        page_ids = list(people_qs.values_list("id", flat=True)[offset : offset + limit])
    ws = actor.workspace
    # The 50 people and their health's three reads, sent together (one round trip on
    # PostgreSQL).
    page = query_of(
        ("people page", ws.pk),
        lambda: of_ids(
            scoped(Person, ws).select_related("organization").only(*SUMMARY_FIELDS),
            Person,
            "id",
        ),
        page_ids,
    )
    health_reads = health_queries(actor=actor, ids=page_ids, today=today)
    found = fetch_all([(q.sql, q.params) for q in (page, *health_reads)])
    by_id = {p.pk: p for p in page.instances(found[0])}
    people = [by_id[pk] for pk in page_ids if pk in by_id]
    inputs = inputs_from(
        actor=actor,
        people=people,
        found=[q.rows(each) for q, each in zip(health_reads, found[1:], strict=True)],
    )
    health = {pk: score(each, today) for pk, each in inputs.items()}
    items = [
        PersonSummary(
            id=p.pk,
            name=p.name,
            email=p.email,
            organization=p.organization.name if p.organization else "",
            role=p.role,
            stage=p.stage,
            tier=p.tier,
            health=health[p.pk].score if p.pk in health else None,
            last_contact=p.last_contact,
        )
        for p in people
    ]
    return PeoplePage(total=total, offset=offset, limit=limit, items=items)


def _query(
    actor: Actor, person_id: int, model: Any, column: str, order: tuple[str, ...], *names: str
) -> Query:
    """The person's rows of ``model`` (``column`` names them), in ``order``: a query
    compiled once per workspace (services/compiled.py: building it is most of its cost)."""
    ws = actor.workspace
    return query_of(
        ("detail", model.__name__, column, order, names, ws.pk),
        lambda: of_id(scoped(model, ws), model, column).order_by(*order).values(*names),
        [person_id],
    )


@dataclass
class PersonDetail:
    id: int
    name: str
    email: str
    organization: str
    title: str
    industry: str
    location: str
    role: str
    tier: str
    stage: str
    stage_since: dt.date
    source: str
    source_detail: str
    introduced_by: dict[str, Any] | None
    needs: str
    offers: str
    goals: str
    value_i_bring: str
    work_on: str
    personal: str
    notes: str
    birthday: dt.date | None
    anniversary: dt.date | None
    cadence_days: int | None
    qualification: dict[str, bool | None]
    created_on: dt.date
    last_contact: dt.date | None
    tags: list[str]
    channels: list[dict[str, Any]]
    health: dict[str, Any]
    interactions: list[dict[str, Any]] = field(default_factory=list)
    commitments: list[dict[str, Any]] = field(default_factory=list)
    favours: list[dict[str, Any]] = field(default_factory=list)
    deals: list[dict[str, Any]] = field(default_factory=list)
    introductions: list[dict[str, Any]] = field(default_factory=list)
    stage_history: list[dict[str, Any]] = field(default_factory=list)


def person_detail(*, actor: Actor, person: Person, today: dt.date) -> PersonDetail:
    """Everything about one person, for ``show``, the person page and the API: twelve
    reads sent together (one round trip on PostgreSQL)."""
    pk = person.pk
    intro_fields = ("id", "a_id", "b_id", "status", "reason", "suggested_on", "made_on")
    reads = {
        "intros as a": _query(actor, pk, Introduction, "a_id", ("id",), *intro_fields),
        "intros as b": _query(actor, pk, Introduction, "b_id", ("id",), *intro_fields),
        "tags": _query(actor, pk, PersonTag, "person_id", ("tag__name",), "tag__name"),
        "channels": _query(
            actor, pk, Channel, "person_id", ("kind", "id"), "kind", "value", "label"
        ),
        "interactions": _query(
            actor, pk, Interaction, "person_id", ("-date", "-id"),
            "id", "date", "kind", "initiated_by", "note", "quality", "is_pitch",
        ),
        "commitments": _query(
            actor, pk, Commitment, "person_id", ("kept_on", "due_date", "id"),
            "id", "description", "by", "created_on", "due_date", "kept_on", "broken",
        ),
        "favours": _query(
            actor, pk, Favour, "person_id", ("-date", "-id"),
            "id", "date", "direction", "kind", "value", "note",
        ),
        "deals": _query(
            actor, pk, Deal, "client_id", ("-date", "-id"),
            "id", "date", "title", "amount", "currency", "status", "origin", "referrer_id",
        ),
        "stages": _query(
            actor, pk, StageChange, "person_id", ("date", "id"),
            "date", "from_stage", "to_stage", "reason",
        ),
    }  # fmt: skip
    health_reads = health_queries(actor=actor, ids=[pk], today=today)
    found = rows_of_all([*health_reads, *reads.values()])
    inputs = inputs_from(actor=actor, people=[person], found=found[: len(health_reads)])
    health = score(inputs[pk], today)
    rows = dict(zip(reads, found[len(health_reads) :], strict=True))
    intros = {row["id"]: row for row in rows["intros as a"] + rows["intros as b"]}
    intro_by = person.introduced_by
    return PersonDetail(
        id=person.pk,
        name=person.name,
        email=person.email,
        organization=person.organization.name if person.organization else "",
        title=person.title,
        industry=person.industry,
        location=person.location,
        role=person.role,
        tier=person.tier,
        stage=person.stage,
        stage_since=person.stage_since,
        source=person.source,
        source_detail=person.source_detail,
        introduced_by={"id": intro_by.pk, "name": intro_by.name} if intro_by else None,
        needs=person.needs,
        offers=person.offers,
        goals=person.goals,
        value_i_bring=person.value_i_bring,
        work_on=person.work_on,
        personal=person.personal,
        notes=person.notes,
        birthday=person.birthday,
        anniversary=person.anniversary,
        cadence_days=person.cadence_days,
        qualification={
            "interesting": person.q_interesting,
            "enjoy": person.q_enjoy,
            "mutual_business": person.q_mutual_business,
        },
        created_on=person.created_on,
        last_contact=person.last_contact,
        tags=[row["tag__name"] for row in rows["tags"]],
        channels=rows["channels"],
        health={
            "score": health.score,
            "components": [
                {
                    "name": c.name,
                    "value": round(c.value, 3),
                    "weight": c.weight,
                    "explanation": c.explanation,
                }
                for c in health.components
            ],
        },
        interactions=rows["interactions"],
        commitments=rows["commitments"],
        favours=rows["favours"],
        deals=rows["deals"],
        introductions=[
            {
                "id": i["id"],
                "a": i["a_id"],
                "b": i["b_id"],
                "status": i["status"],
                "reason": i["reason"],
                "suggested_on": i["suggested_on"],
                "made_on": i["made_on"],
            }
            for i in sorted(
                intros.values(), key=lambda i: (i["suggested_on"], i["id"]), reverse=True
            )
        ],
        stage_history=rows["stages"],
    )
