"""API: introduction suggestions, recorded introductions, warm paths."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from goodwill.services import intros as service
from goodwill.services.people import resolve_person

from ..context import web_today

router = Router(tags=["intros"])


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


class IntroIn(Schema):
    a: str  # id, email or name of the person with the need
    b: str  # the person who can help
    reason: str = ""
    status: str = "suggested"
    outcome: str = ""
    date: str | None = None


class IntroPatch(Schema):
    status: str = ""
    outcome: str | None = None
    reason: str | None = None
    followed_up: bool = False
    date: str | None = None


class PairIn(Schema):
    a: str
    b: str


@router.get("/intros")
def list_suggestions(
    request: HttpRequest, person: str = "", limit: int = 20
) -> list[dict[str, Any]]:
    """Introductions worth making, best first (``person``: only theirs)."""
    actor = request.actor  # type: ignore[attr-defined]
    who = resolve_person(actor=actor, ref=person) if person else None
    found = service.suggestions(actor=actor, today=web_today(), person=who, limit=limit)
    return [_plain(s) for s in found]


@router.post("/intros/dismiss")
def dismiss_suggestion(request: HttpRequest, data: PairIn) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    intro = service.dismiss_suggestion(
        actor=actor,
        a=resolve_person(actor=actor, ref=data.a),
        b=resolve_person(actor=actor, ref=data.b),
        today=web_today(),
    )
    return {"id": intro.pk, "dismissed": True}


@router.get("/introductions")
def list_introductions(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    actor = request.actor  # type: ignore[attr-defined]
    rows = service.list_introductions(actor=actor, today=web_today(), status=status)
    return [_plain(r) for r in rows]


@router.post("/introductions", response={201: dict[str, Any]})
def create_introduction(request: HttpRequest, data: IntroIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    intro = service.record_introduction(
        actor=actor,
        a=resolve_person(actor=actor, ref=data.a),
        b=resolve_person(actor=actor, ref=data.b),
        today=web_today(),
        reason=data.reason,
        status=data.status,
        outcome=data.outcome,
        date=data.date,
    )
    return Status(201, {"id": intro.pk, "status": intro.status})


@router.get("/introductions/{introduction_id}")
def get_introduction(request: HttpRequest, introduction_id: int) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    row = service.introduction(actor=actor, introduction_id=introduction_id, today=web_today())
    return _plain(row)


@router.patch("/introductions/{introduction_id}")
def update_introduction(
    request: HttpRequest, introduction_id: int, data: IntroPatch
) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    today = web_today()
    service.update_introduction(
        actor=actor,
        introduction_id=introduction_id,
        today=today,
        status=data.status,
        outcome=data.outcome,
        reason=data.reason,
        followed_up=data.followed_up,
        date=data.date,
    )
    return _plain(service.introduction(actor=actor, introduction_id=introduction_id, today=today))


@router.get("/path/{person_id}")
def warm_path(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """The warmest chain of people from me to the person (≤ 3 hops), with alternatives."""
    actor = request.actor  # type: ignore[attr-defined]
    target = resolve_person(actor=actor, ref=person_id)
    return _plain(service.warm_path(actor=actor, person=target, today=web_today()))
