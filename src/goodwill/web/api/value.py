"""API: favours, the ledger, deals (and their CSV), the yearly review, thank-yous.

Bodies are the same JSON as the CLI's ``--json`` (money as numbers, dates ISO).
Bad input answers 4xx ``{"detail", "field"}`` through the API's BadInput handler.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from goodwill.services import deals as deal_service
from goodwill.services import favours as favour_service
from goodwill.services.people import resolve_person
from goodwill.services.review import yearly_review
from goodwill.services.thanks import pending_thanks

from ..context import web_today

router = Router(tags=["value"])


def jsonable(value: Any) -> Any:
    """Dataclasses, dates and Decimals as JSON values (as the CLI prints them)."""
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


def review_json(review: Any) -> dict[str, Any]:
    data = {k: v for k, v in vars(review).items() if k != "thanks"}
    data["thanks"] = [thanks_json(t) for t in review.thanks]
    return jsonable(data)  # type: ignore[no-any-return]


def thanks_json(t: Any) -> dict[str, Any]:
    return jsonable({**vars(t), "reason": t.reason, "action": t.action})  # type: ignore[no-any-return]


class FavourIn(Schema):
    person: str
    direction: str
    kind: str
    value: str | float | None = None
    note: str = ""
    date: str | None = None


class DealIn(Schema):
    client: str
    amount: str | float
    status: str = ""
    date: str | None = None
    origin: str = ""
    referrer: str | None = None
    event: str | None = None
    currency: str = ""
    title: str = ""
    note: str = ""


class StatusIn(Schema):
    status: str
    date: str | None = None


@router.post("/favours", response={201: dict[str, Any]})
def create_favour(request: HttpRequest, body: FavourIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    favour = favour_service.record_favour(
        actor=actor,
        person=resolve_person(actor=actor, ref=body.person),
        direction=body.direction,
        kind=body.kind,
        today=web_today(),
        value=None if body.value in (None, "") else str(body.value),
        note=body.note,
        date=body.date,
    )
    return Status(201, {"id": favour.pk})


@router.get("/ledger", response=list[dict[str, Any]])
def ledger(request: HttpRequest, flag: str = "") -> list[dict[str, Any]]:
    rows = favour_service.ledger(actor=request.actor, today=web_today(), flag=flag)  # type: ignore[attr-defined]
    return jsonable(rows)  # type: ignore[no-any-return]


@router.get("/ledger/summary", response=dict[str, Any])
def ledger_summary(request: HttpRequest) -> dict[str, Any]:
    summary = favour_service.ledger_summary(actor=request.actor, today=web_today())  # type: ignore[attr-defined]
    return jsonable(summary)  # type: ignore[no-any-return]


@router.get("/deals", response=list[dict[str, Any]])
def list_deals(
    request: HttpRequest, year: int | None = None, status: str = ""
) -> list[dict[str, Any]]:
    rows = deal_service.list_deals(actor=request.actor, year=year, status=status)  # type: ignore[attr-defined]
    return jsonable(rows)  # type: ignore[no-any-return]


_CSV = {"responses": {"200": {"description": "the deals as CSV", "content": {"text/csv": {}}}}}


@router.get("/deals.csv", summary="Download the deals as CSV", openapi_extra=_CSV)
def deals_csv(request: HttpRequest, year: int | None = None) -> HttpResponse:
    text = deal_service.deals_csv(actor=request.actor, year=year)  # type: ignore[attr-defined]
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"deals-{year}.csv" if year else "deals.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/deals", response={201: dict[str, Any]})
def create_deal(request: HttpRequest, body: DealIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    deal = deal_service.add_deal(
        actor=actor,
        client=body.client,
        amount=str(body.amount),
        today=web_today(),
        status=body.status,
        date=body.date,
        origin=body.origin,
        referrer=body.referrer,
        event=body.event,
        currency=body.currency,
        title=body.title,
        note=body.note,
    )
    return Status(201, {"id": deal.pk, "repeat": deal_service.is_repeat(actor=actor, deal=deal)})


@router.get("/deals/{deal_id}", response=dict[str, Any])
def get_deal(request: HttpRequest, deal_id: int) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    deal = deal_service.get_deal(actor=actor, deal_id=deal_id)
    return jsonable(deal_service.row(actor=actor, deal=deal))  # type: ignore[no-any-return]


@router.post("/deals/{deal_id}/status", response=dict[str, Any])
def deal_status(request: HttpRequest, deal_id: int, body: StatusIn) -> dict[str, Any]:
    deal = deal_service.set_deal_status(
        actor=request.actor,  # type: ignore[attr-defined]
        deal_id=deal_id,
        status=body.status,
        today=web_today(),
        date=body.date,
    )
    return {"id": deal.pk, "status": deal.status}


@router.get("/review", response=dict[str, Any])
def review(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    return review_json(yearly_review(actor=request.actor, today=web_today(), year=year))  # type: ignore[attr-defined]


@router.get("/thanks", response=list[dict[str, Any]])
def thanks(request: HttpRequest) -> list[dict[str, Any]]:
    return [thanks_json(t) for t in pending_thanks(actor=request.actor, today=web_today())]  # type: ignore[attr-defined]
