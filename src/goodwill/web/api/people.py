"""API: people and interactions (list, get, create, update, delete).

Separate schemas for what a client sends on create (``PersonCreate``), on update
(``PersonUpdate``: every field optional, absent means unchanged) and what it
gets back (``PersonOut`` in lists, ``PersonDetailOut`` for one person). A person
of another workspace is simply not found (404).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from goodwill.services.directory import list_people, person_detail
from goodwill.services.interactions import (
    delete_interaction,
    list_interactions,
    log_interaction,
)
from goodwill.services.people import (
    CLEARABLE,
    PersonInput,
    add_person,
    delete_person,
    edit_person,
    resolve_person,
)

from ..context import web_today

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    email: str
    organization: str
    role: str
    stage: str
    tier: str
    health: int | None
    last_contact: dt.date | None


class PeoplePageOut(Schema):
    total: int
    offset: int
    limit: int
    items: list[PersonOut]


class PeopleQuery(Schema):
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=500)
    search: str = ""
    stage: str = ""
    role: str = ""
    tag: str = ""


class PersonRefOut(Schema):
    id: int
    name: str


class HealthComponentOut(Schema):
    name: str
    value: float
    weight: float
    explanation: str


class HealthOut(Schema):
    score: int
    components: list[HealthComponentOut]


class InteractionOut(Schema):
    id: int
    date: dt.date
    kind: str
    initiated_by: str
    note: str
    quality: int | None
    is_pitch: bool


class PersonDetailOut(Schema):
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
    introduced_by: PersonRefOut | None
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
    health: HealthOut
    interactions: list[InteractionOut]
    commitments: list[dict[str, Any]]
    favours: list[dict[str, Any]]
    deals: list[dict[str, Any]]
    introductions: list[dict[str, Any]]
    stage_history: list[dict[str, Any]]


class PersonCreate(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = ""
    organization: str = ""
    title: str = ""
    industry: str = ""
    location: str = ""
    role: str = ""
    tier: str = ""
    stage: str = ""
    source: str = ""
    source_detail: str = ""
    introduced_by: str = Field("", description="id, email or unique name of the introducer")
    needs: str = ""
    offers: str = ""
    goals: str = ""
    value_i_bring: str = ""
    work_on: str = ""
    personal: str = ""
    notes: str = ""
    birthday: str = Field("", description="YYYY-MM-DD")
    anniversary: str = Field("", description="YYYY-MM-DD")
    cadence_days: int | None = Field(None, ge=1)
    tags: list[str] = []
    phones: list[str] = []
    urls: list[str] = []
    emails: list[str] = []
    q_interesting: bool | None = None
    q_enjoy: bool | None = None
    q_mutual_business: bool | None = None


class PersonUpdate(Schema):
    """Only the fields given change; null or "" empties one (texts, organization,
    introduced_by, dates, cadence, qualification); tags, phones, urls and emails are added."""

    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = None
    organization: str | None = None
    title: str | None = None
    industry: str | None = None
    location: str | None = None
    role: str | None = None
    tier: str | None = None
    stage: str | None = None
    source: str | None = None
    source_detail: str | None = None
    introduced_by: str | None = None
    needs: str | None = None
    offers: str | None = None
    goals: str | None = None
    value_i_bring: str | None = None
    work_on: str | None = None
    personal: str | None = None
    notes: str | None = None
    birthday: str | None = None
    anniversary: str | None = None
    cadence_days: int | None = Field(None, ge=1)
    tags: list[str] | None = None
    phones: list[str] | None = None
    urls: list[str] | None = None
    emails: list[str] | None = None
    q_interesting: bool | None = None
    q_enjoy: bool | None = None
    q_mutual_business: bool | None = None


class InteractionCreate(Schema):
    kind: str = Field(..., description="meeting, coffee, call, email, message, …")
    date: str = Field("", description="YYYY-MM-DD, 'today', 'yesterday' or '-Nd'; default today")
    note: str = ""
    by: str = Field("me", description="who initiated it: me or them")
    quality: int | None = Field(None, ge=1, le=5)
    pitch: bool = False


class InteractionsPageOut(Schema):
    total: int
    offset: int
    limit: int
    items: list[InteractionOut]


class PageQuery(Schema):
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=500)


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _detail(request: HttpRequest, person: Any) -> dict[str, Any]:
    return dataclasses.asdict(
        person_detail(actor=_actor(request), person=person, today=web_today())
    )


def _input(values: dict[str, Any]) -> PersonInput:
    values = {k: v for k, v in values.items() if v is not None}
    if "cadence_days" in values:
        values["cadence_days"] = str(values["cadence_days"])
    return PersonInput(**values)


@router.get("/people", response=PeoplePageOut)
def people(request: HttpRequest, q: Query[PeopleQuery]) -> Any:
    """One page of people (ordered by name; with ``search``, best matches)."""
    page = list_people(
        actor=_actor(request),
        today=web_today(),
        stage=q.stage,
        role=q.role,
        tag=q.tag,
        search=q.search,
        offset=q.offset,
        limit=q.limit,
    )
    return dataclasses.asdict(page)


@router.post("/people", response={201: PersonDetailOut})
def person_create(request: HttpRequest, body: PersonCreate) -> Any:
    person = add_person(actor=_actor(request), data=_input(body.dict()), today=web_today())
    return Status(201, _detail(request, person))


@router.get("/people/{person_id}", response=PersonDetailOut)
def person_get(request: HttpRequest, person_id: int) -> Any:
    """Everything about one person: health with its components, timeline, favours, deals."""
    return _detail(request, resolve_person(actor=_actor(request), ref=person_id))


@router.patch("/people/{person_id}", response=PersonDetailOut)
def person_update(request: HttpRequest, person_id: int, body: PersonUpdate) -> Any:
    actor = _actor(request)
    person = resolve_person(actor=actor, ref=person_id)
    given = body.dict(exclude_unset=True)
    data = _input(given)
    # null or "" empties a field; a field left out is unchanged.
    data.clear = [k for k in CLEARABLE if k in given and given[k] in (None, "")]
    edit_person(actor=actor, person=person, data=data, today=web_today())
    person.refresh_from_db()
    return _detail(request, person)


@router.delete("/people/{person_id}", response={204: None})
def person_delete(request: HttpRequest, person_id: int) -> Any:
    delete_person(actor=_actor(request), person_id=person_id)
    return Status(204, None)


@router.get("/people/{person_id}/interactions", response=InteractionsPageOut)
def interactions(request: HttpRequest, person_id: int, q: Query[PageQuery]) -> Any:
    """A person's interactions, newest first."""
    actor = _actor(request)
    person = resolve_person(actor=actor, ref=person_id)
    total, items = list_interactions(actor=actor, person=person, offset=q.offset, limit=q.limit)
    return {"total": total, "offset": q.offset, "limit": q.limit, "items": items}


@router.post("/people/{person_id}/interactions", response={201: InteractionOut})
def interaction_create(request: HttpRequest, person_id: int, body: InteractionCreate) -> Any:
    actor = _actor(request)
    person = resolve_person(actor=actor, ref=person_id)
    interaction = log_interaction(
        actor=actor,
        person=person,
        kind=body.kind,
        today=web_today(),
        date=body.date or None,
        note=body.note,
        by=body.by or "me",
        quality=body.quality,
        pitch=body.pitch,
    )
    return Status(201, interaction)


@router.delete("/interactions/{interaction_id}", response={204: None})
def interaction_delete(request: HttpRequest, interaction_id: int) -> Any:
    delete_interaction(actor=_actor(request), interaction_id=interaction_id)
    return Status(204, None)
