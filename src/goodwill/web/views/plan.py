"""The dashboard (today's plan, streak, heat map, at-risk panel), the overdue
page, one-click done / skip / snooze (htmx), and the secret calendar feed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from goodwill.services import plan as plans
from goodwill.services.calendar import calendar_ics, feed_actor
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.people import resolve_person

from ..context import web_today, with_actor

CELL = 14  # heat map cell size in px (SVG user units)
AT_RISK_SHOWN = 8
OVERDUE_SHOWN = 500


def _count(request: HttpRequest) -> int:
    raw = request.GET.get("count") or request.POST.get("count") or "1"
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 20 else 1


def _heat(request: HttpRequest) -> dict[str, Any]:
    columns = plans.heatmap(actor=request.actor, today=web_today())  # type: ignore[attr-defined]
    # Everything a cell shows is made here: per cell, a date filter in the template
    # costs more than the rest of the map.
    cells = [
        {
            "x": x * CELL,
            "y": y * CELL,
            "level": cell.level,
            "title": f"{cell.date:%a} {cell.date.day} {cell.date:%b}: {cell.count}",
        }
        for x, column in enumerate(columns)
        for y, cell in enumerate(column)
    ]
    return {"cells": cells, "width": len(columns) * CELL, "height": 7 * CELL}


def _plan_context(request: HttpRequest, error: str = "") -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    count = _count(request)
    return {
        "plan": plans.build_plan(actor=actor, today=web_today(), count=count),
        "count": count,
        "can_write": actor.can_write,
        "error": error,
    }


@require_GET
@with_actor
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    context = _plan_context(request)
    context["heat"] = _heat(request)
    context["at_risk"], context["overdue_total"] = plans.overdue_page(
        actor=actor, today=web_today(), limit=AT_RISK_SHOWN
    )
    return render(request, "goodwill/dashboard.html", context)


@require_POST
@with_actor
def act(request: HttpRequest, person_id: int, what: str) -> HttpResponse:
    """done / skip / snooze one person; answers the re-rendered plan to htmx."""
    actor = request.actor  # type: ignore[attr-defined]
    today = web_today()
    error = ""
    try:
        person = resolve_person(actor=actor, ref=person_id)
    except NotFound:
        raise Http404("no such person") from None
    try:
        if what == "done":
            plans.done(
                actor=actor,
                person=person,
                today=today,
                kind=request.POST.get("kind", "other"),
                note=request.POST.get("note", ""),
            )
        elif what == "skip":
            plans.skip(actor=actor, person=person, today=today)
        else:
            plans.snooze(
                actor=actor, person=person, today=today, days=request.POST.get("days", "7")
            )
    except BadInput as exc:
        error = exc.message
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(f"/?count={_count(request)}")
    context = _plan_context(request, error)
    return render(
        request, "goodwill/partials/plan_items.html", context, status=400 if error else 200
    )


@require_GET
@with_actor
def overdue_page(request: HttpRequest) -> HttpResponse:
    items, total = plans.overdue_page(
        actor=request.actor,  # type: ignore[attr-defined]
        today=web_today(),
        limit=OVERDUE_SHOWN,
    )
    return render(request, "goodwill/overdue.html", {"items": items, "total": total})


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: the secret token in the URL is the only credential."""
    actor = feed_actor(token)
    if actor is None:
        raise Http404("unknown or revoked calendar feed")
    body = calendar_ics(actor=actor, today=web_today())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="goodwill.ics"'
    return response


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("plan/<int:person_id>/done/", act, {"what": "done"}, name="plan-done"),
    path("plan/<int:person_id>/skip/", act, {"what": "skip"}, name="plan-skip"),
    path("plan/<int:person_id>/snooze/", act, {"what": "snooze"}, name="plan-snooze"),
    path("overdue/", overdue_page, name="overdue"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]
