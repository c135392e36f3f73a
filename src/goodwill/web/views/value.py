"""Pages for reciprocity and business value: /ledger/, /deals/, /review/.

Forms are plain POSTs (htmx-boosted); a bad field re-renders the page with the
message next to that field and status 400. Charts are inline SVG computed here
(no JavaScript): bars for value by origin, a scatter of health against revenue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from goodwill.core.reciprocity import FLAGS
from goodwill.db.models import DealStatus, Direction, FavourKind, Origin
from goodwill.services import deals as deal_service
from goodwill.services import favours as favour_service
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.people import resolve_person
from goodwill.services.review import yearly_review

from ..context import web_today, with_actor

CHART_W, CHART_H, PAD = 640, 260, 40


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise BadInput(f"bad year {raw!r}", field="year")
    return int(raw)


# -- ledger ---------------------------------------------------------------------


LEDGER_PAGE = 100  # people per page of the ledger


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1").strip()
    return max(1, int(raw)) if raw.isdigit() and len(raw) < 7 else 1


def _ledger_page(
    request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = web_today()
    flag = request.GET.get("flag", "")
    everyone = favour_service.ledger(actor=actor, today=today)
    if flag not in FLAGS:
        flag = ""
    rows = [r for r in everyone if flag in r.flags] if flag else everyone
    summary = favour_service.summarize(
        everyone, favour_service.network_level(actor=actor, today=today)
    )
    page = _page_number(request)
    pages = max(1, -(-len(rows) // LEDGER_PAGE))
    page = min(page, pages)
    start = (page - 1) * LEDGER_PAGE
    shown = rows[start : start + LEDGER_PAGE]
    context = {
        "rows": shown,
        "total": len(rows),
        "first": start + 1,
        "last": start + len(shown),
        "page": page,
        "pages": pages,
        "summary": summary,
        "flag": flag,
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        "directions": Direction.values,
        "kinds": FavourKind.values,
        "can_write": actor.can_write,
    }
    return render(request, "goodwill/ledger.html", context, status=status)


@require_GET
@with_actor
def ledger_page(request: HttpRequest) -> HttpResponse:
    return _ledger_page(request)


@require_POST
@with_actor
def favour_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    post = request.POST
    try:
        try:
            person = resolve_person(actor=actor, ref=post.get("person", ""))
        except BadInput as exc:
            raise BadInput(exc.message, field="person") from None
        favour_service.record_favour(
            actor=actor,
            person=person,
            direction=post.get("direction", ""),
            kind=post.get("kind", ""),
            today=web_today(),
            value=post.get("value") or None,
            note=post.get("note", ""),
            date=post.get("date") or None,
        )
    except BadInput as exc:
        return _ledger_page(request, errors={exc.field or "form": exc.message}, status=400)
    return redirect("value-ledger")


# -- deals ----------------------------------------------------------------------


def _deals_page(
    request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        year = _year(request)
    except BadInput as exc:
        errors, status, year = {**(errors or {}), "year": exc.message}, 400, None
    context = {
        "rows": deal_service.list_deals(actor=actor, year=year, limit=500),
        "year": year,
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        "statuses": DealStatus.values,
        "origins": Origin.values,
        "currency": deal_service.home_currency(actor),
        "can_write": actor.can_write,
    }
    return render(request, "goodwill/deals.html", context, status=status)


@require_GET
@with_actor
def deals_page(request: HttpRequest) -> HttpResponse:
    return _deals_page(request)


@require_POST
@with_actor
def deal_create(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        deal_service.add_deal(
            actor=request.actor,  # type: ignore[attr-defined]
            client=post.get("client", ""),
            amount=post.get("amount", ""),
            today=web_today(),
            status=post.get("status", ""),
            date=post.get("date") or None,
            origin=post.get("origin", ""),
            referrer=post.get("referrer") or None,
            event=post.get("event") or None,
            currency=post.get("currency", ""),
            title=post.get("title", ""),
            note=post.get("note", ""),
        )
    except BadInput as exc:
        return _deals_page(request, errors={exc.field or "form": exc.message}, status=400)
    return redirect("value-deals")


@require_POST
@with_actor
def deal_status(request: HttpRequest, deal_id: int) -> HttpResponse:
    try:
        deal_service.set_deal_status(
            actor=request.actor,  # type: ignore[attr-defined]
            deal_id=deal_id,
            status=request.POST.get("status", ""),
            today=web_today(),
        )
    except NotFound:
        raise Http404("no such deal") from None
    except BadInput as exc:
        return _deals_page(request, errors={f"deal{deal_id}": exc.message}, status=400)
    return redirect("value-deals")


@require_GET
@with_actor
def deals_csv(request: HttpRequest) -> HttpResponse:
    try:
        year = _year(request)
    except BadInput:
        year = None
    text = deal_service.deals_csv(actor=request.actor, year=year)  # type: ignore[attr-defined]
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="deals{f"-{year}" if year else ""}.csv"'
    )
    return response


# -- review ---------------------------------------------------------------------


def origin_bars(by_origin: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Bar geometry for the value-by-origin chart (main currency), largest first."""
    items = sorted(
        ((o, b) for o, b in by_origin.items() if b["deals"]), key=lambda ob: -ob[1]["total"]
    )
    top = max((b["total"] for _, b in items), default=Decimal(0)) or Decimal(1)
    row = 26
    bars = []
    for i, (origin, b) in enumerate(items):
        width = int((CHART_W - 220) * (b["total"] / top))
        bars.append(
            {
                "label": origin.replace("_", " "),
                "y": i * row + 4,
                "text_y": i * row + 20,
                "width": max(width, 1),
                "value_x": 150 + max(width, 1) + 6,
                "total": b["total"],
                "share": round(b["share"] * 100),
            }
        )
    return bars


def scatter(points: list[dict[str, Any]]) -> dict[str, Any]:
    """Scatter geometry: health 0–100 on x, revenue 0–max on y."""
    top = max((p["revenue"] for p in points), default=Decimal(0)) or Decimal(1)
    w, h = CHART_W - 2 * PAD, CHART_H - 2 * PAD
    dots = [
        {
            "cx": PAD + int(w * p["health"] / 100),
            "cy": PAD + h - int(h * (p["revenue"] / top)),
            "title": f"{p['person']['name']}: health {p['health']}, {p['revenue']:,.2f}",
        }
        for p in points
    ]
    return {"dots": dots, "top": top, "x0": PAD, "y0": PAD + h, "x1": PAD + w, "y1": PAD}


@require_GET
@with_actor
def review_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    errors: dict[str, str] = {}
    try:
        year = _year(request)
        review = yearly_review(actor=actor, today=web_today(), year=year)
    except BadInput as exc:
        errors["year"] = exc.message
        review = yearly_review(actor=actor, today=web_today())
    bars = origin_bars(review.by_origin)
    context = {
        "review": review,
        "bars": bars,
        "bars_height": max(len(bars), 1) * 26 + 8,
        "scatter": scatter(review.health_revenue["points"]),
        "chart_w": CHART_W,
        "chart_h": CHART_H,
        "other_totals": {c: v for c, v in review.totals.items() if c != review.currency},
        "errors": errors,
        "years": range(web_today().year, web_today().year - 6, -1),
    }
    return render(request, "goodwill/review.html", context, status=400 if errors else 200)


urlpatterns = [
    path("ledger/", ledger_page, name="value-ledger"),
    path("ledger/favours/", favour_create, name="value-favour-create"),
    path("deals/", deals_page, name="value-deals"),
    path("deals/add/", deal_create, name="value-deal-create"),
    path("deals/export.csv", deals_csv, name="value-deals-csv"),
    path("deals/<int:deal_id>/status/", deal_status, name="value-deal-status"),
    path("review/", review_page, name="value-review"),
]
