"""API: today's plan, done / skip / snooze, overdue, commitments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from goodwill.services import plan as plans
from goodwill.services.commitments import (
    add_commitment,
    keep_commitment,
    list_commitments,
    row_of,
)
from goodwill.services.parse import parse_date, parse_positive_int
from goodwill.services.people import resolve_person

from ..context import web_today

router = Router(tags=["plan"])


class PersonRefOut(Schema):
    id: int
    name: str


class PlanItemOut(Schema):
    person: PersonRefOut
    score: float
    reasons: list[str]
    action: str
    status: str


class PlanOut(Schema):
    date: dt.date
    streak: int
    items: list[PlanItemOut]


class PlanQuery(Schema):
    count: str = "1"
    date: str = ""


class ActIn(Schema):
    person: str  # id, email or name fragment
    kind: str = "other"
    note: str = ""
    days: str = ""


class OkOut(Schema):
    ok: bool


class OverdueOut(Schema):
    person: PersonRefOut
    role: str
    tier: str
    days_since: int
    cadence_days: int
    overdue_days: int
    at_risk: bool


class CommitmentOut(Schema):
    id: int
    person: PersonRefOut
    description: str
    by: str
    created_on: dt.date
    due_date: dt.date | None
    kept_on: dt.date | None
    status: str


class CommitmentIn(Schema):
    person: str
    description: str
    due: str = ""
    by: str = "me"


class IdOut(Schema):
    id: int


class KeepIn(Schema):
    date: str = ""


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@router.get("/plan/today", response=PlanOut)
def plan_today(request: HttpRequest, q: Query[PlanQuery]) -> Any:
    """Today's plan (saved for the day), or another day's (not saved) with ``date``."""
    now = web_today()
    day = parse_date(q.date, today=now) if q.date else now
    count = parse_positive_int(q.count, field="count")
    plan = plans.build_plan(actor=_actor(request), today=day, count=count, persist=day == now)
    return dataclasses.asdict(plan)


@router.post("/plan/done", response=OkOut)
def plan_done(request: HttpRequest, body: ActIn) -> Any:
    actor = _actor(request)
    person = resolve_person(actor=actor, ref=body.person)
    plans.done(actor=actor, person=person, today=web_today(), kind=body.kind, note=body.note)
    return {"ok": True}


@router.post("/plan/skip", response=OkOut)
def plan_skip(request: HttpRequest, body: ActIn) -> Any:
    actor = _actor(request)
    plans.skip(actor=actor, person=resolve_person(actor=actor, ref=body.person), today=web_today())
    return {"ok": True}


@router.post("/plan/snooze", response=OkOut)
def plan_snooze(request: HttpRequest, body: ActIn) -> Any:
    actor = _actor(request)
    person = resolve_person(actor=actor, ref=body.person)
    plans.snooze(actor=actor, person=person, today=web_today(), days=body.days)
    return {"ok": True}


@router.get("/overdue", response=list[OverdueOut])
def overdue(request: HttpRequest, limit: int = 0) -> Any:
    """Relationships past their cadence, clients and partners first."""
    items = plans.overdue(actor=_actor(request), today=web_today(), limit=limit or None)
    return [dataclasses.asdict(i) for i in items]


@router.get("/commitments", response=list[CommitmentOut])
def commitments(request: HttpRequest, all: bool = False) -> Any:  # noqa: A002
    rows = list_commitments(actor=_actor(request), today=web_today(), include_kept=all)
    return [dataclasses.asdict(r) for r in rows]


@router.post("/commitments", response={201: IdOut})
def commitment_add(request: HttpRequest, body: CommitmentIn) -> Any:
    actor = _actor(request)
    person = resolve_person(actor=actor, ref=body.person)
    c = add_commitment(
        actor=actor,
        person=person,
        description=body.description,
        today=web_today(),
        due=body.due or None,
        by=body.by,
    )
    return Status(201, {"id": c.pk})


@router.post("/commitments/{commitment_id}/keep", response=CommitmentOut)
def commitment_keep(request: HttpRequest, commitment_id: int, body: KeepIn) -> Any:
    actor = _actor(request)
    c = keep_commitment(
        actor=actor, commitment_id=commitment_id, today=web_today(), date=body.date or None
    )
    return dataclasses.asdict(row_of(c, web_today()))
