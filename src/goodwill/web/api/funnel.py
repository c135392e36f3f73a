"""API: the funnel report and moves, learned targets, events (plan, prep, people
met, report). Same services and JSON shapes as the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from goodwill.services import events as events_service
from goodwill.services.funnel import apply_move, funnel_report, suggest_moves
from goodwill.services.targeting import targets as learn_targets

from ..context import web_today

router = Router(tags=["funnel"])


def jsonable(value: Any) -> Any:
    """Dataclasses, dates and Decimals as JSON values (numbers stay numbers)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@router.get("/funnel", response=dict[str, Any])
def get_funnel(request: HttpRequest, by: str = "", suggest: bool = False) -> Any:
    """Count, conversion and median days per stage (and per group with ``by``)."""
    report = funnel_report(actor=_actor(request), today=web_today(), by=by)
    out: dict[str, Any] = {"stages": report.stages, "by": report.by, "groups": report.groups}
    if suggest:
        out["suggestions"] = suggest_moves(actor=_actor(request), today=web_today())
    return jsonable(out)


class MoveIn(Schema):
    person_id: int
    stage: str
    reason: str = ""


@router.post("/funnel/moves", response={201: dict[str, Any]})
def post_move(request: HttpRequest, payload: MoveIn) -> Any:
    """Apply a stage move (let_go needs a reason)."""
    change = apply_move(
        actor=_actor(request),
        person_id=payload.person_id,
        stage=payload.stage,
        reason=payload.reason,
        today=web_today(),
    )
    return Status(201, {"id": change.person_id, "stage": change.to_stage})


@router.get("/targets", response=dict[str, Any])
def get_targets(request: HttpRequest, limit: int = 50) -> Any:
    """Learned criteria (lift, support, interval) and prospects by fit."""
    t = learn_targets(actor=_actor(request), prospects=max(1, min(limit, 1000)))
    return jsonable(t)


@router.get("/events", response=list[dict[str, Any]])
def get_events(request: HttpRequest) -> Any:
    return jsonable(events_service.list_events(actor=_actor(request)))


class EventIn(Schema):
    name: str
    date: str
    location: str = ""
    targets: list[str] = []
    target_criteria: str = ""
    hours: str | None = None
    notes: str = ""


@router.post("/events", response={201: dict[str, Any]})
def post_event(request: HttpRequest, payload: EventIn) -> Any:
    event = events_service.add_event(
        actor=_actor(request),
        today=web_today(),
        name=payload.name,
        date=payload.date,
        location=payload.location,
        targets=payload.targets,
        target_criteria=payload.target_criteria,
        hours=payload.hours,
        notes=payload.notes,
    )
    return Status(201, {"id": event.pk})


@router.get("/events/{event_id}", response=dict[str, Any])
def get_event(request: HttpRequest, event_id: int) -> Any:
    """The event with its prep (targets and matches) and its report."""
    actor = _actor(request)
    event = events_service.resolve_event(actor=actor, ref=event_id)
    return jsonable(
        {
            "event": events_service.event_ref(event),
            "prep": events_service.event_prep(actor=actor, event=event),
            "report": events_service.event_report(actor=actor, event=event),
        }
    )


@router.get("/events/{event_id}/report", response=dict[str, Any])
def get_event_report(request: HttpRequest, event_id: int) -> Any:
    actor = _actor(request)
    event = events_service.resolve_event(actor=actor, ref=event_id)
    return jsonable(events_service.event_report(actor=actor, event=event))


class NewPersonIn(Schema):
    name: str
    organization: str = ""
    title: str = ""
    email: str = ""
    needs: str = ""
    note: str = ""
    q_interesting: bool | None = None
    q_enjoy: bool | None = None
    q_mutual_business: bool | None = None


class MetIn(Schema):
    people: list[str] = []
    new: list[NewPersonIn] = []
    note: str = ""


@router.post("/events/{event_id}/met", response={201: dict[str, Any]})
def post_met(request: HttpRequest, event_id: int, payload: MetIn) -> Any:
    """Record people met: existing ones by reference, new ones by name."""
    actor = _actor(request)
    event = events_service.resolve_event(actor=actor, ref=event_id)
    result = events_service.record_met(
        actor=actor,
        today=web_today(),
        event=event,
        people=payload.people,
        new=[events_service.NewPerson(**n.model_dump()) for n in payload.new],
        note=payload.note,
    )
    return Status(201, jsonable(result))
