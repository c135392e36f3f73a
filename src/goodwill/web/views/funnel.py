"""Funnel (chart, table, groups, suggested moves), events (list, add, prep,
capture people met, report) and targets pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goodwill.core.funnel import FUNNEL
from goodwill.db.models import Event
from goodwill.services import events as events_service
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.funnel import GROUP_FIELDS, apply_move, funnel_report, suggest_moves
from goodwill.services.targeting import default_event_criteria, targets

from ..context import web_today, with_actor

CHART_WIDTH = 600
BAR_HEIGHT = 34
ROW_HEIGHT = 52
SUGGESTIONS_SHOWN = 50
ANSWERS = {"yes": True, "no": False}


def funnel_chart(stages: list[Any]) -> dict[str, Any]:
    """Bars for an SVG funnel: centred, width proportional to the count, with the
    conversion to the next stage written between bars."""
    shown = [s for s in stages if s.stage in FUNNEL]
    top = max([s.count for s in shown] + [1])
    bars = []
    for i, s in enumerate(shown):
        width = max(4.0, (CHART_WIDTH - 20) * s.count / top)
        bars.append(
            {
                "stage": s.stage,
                "count": s.count,
                "x": round((CHART_WIDTH - width) / 2, 1),
                "y": i * ROW_HEIGHT,
                "width": round(width, 1),
                "label_y": i * ROW_HEIGHT + BAR_HEIGHT / 2 + 5,
                "conversion": s.conversion,
                "conversion_y": i * ROW_HEIGHT + BAR_HEIGHT + 13,
                "last": i == len(shown) - 1,
            }
        )
    let_go = next((s.count for s in stages if s.stage == "let_go"), 0)
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": len(shown) * ROW_HEIGHT,
        "centre": CHART_WIDTH / 2,
        "bar_height": BAR_HEIGHT,
        "let_go": let_go,
    }


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@require_GET
@with_actor
def funnel_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    by = request.GET.get("by", "")
    if by not in GROUP_FIELDS:
        by = ""
    report = funnel_report(actor=actor, today=web_today(), by=by)
    moves = suggest_moves(actor=actor, today=web_today())
    context = {
        "report": report,
        "chart": funnel_chart(report.stages),
        "groups": [
            {"key": key, "stages": rows, "total": sum(r.count for r in rows)}
            for key, rows in report.groups.items()
        ],
        "group_fields": GROUP_FIELDS,
        "by": by,
        "moves": moves[:SUGGESTIONS_SHOWN],
        "more_moves": max(0, len(moves) - SUGGESTIONS_SHOWN),
        "can_write": actor.can_write,
    }
    return render(request, "goodwill/funnel.html", context)


@require_POST
@with_actor
def apply(request: HttpRequest) -> HttpResponse:
    """Apply one suggested move; answers htmx with the row, others with a redirect."""
    actor = _actor(request)
    raw_id = request.POST.get("person_id", "")
    stage = request.POST.get("stage", "")
    reason = request.POST.get("reason", "")
    context: dict[str, Any] = {"person_id": raw_id, "stage": stage, "reason": reason}
    status = 200
    try:
        if not raw_id.isdigit():
            raise BadInput("a person is required", field="person_id")
        change = apply_move(
            actor=actor, person_id=int(raw_id), stage=stage, reason=reason, today=web_today()
        )
        context["name"] = change.person.name
    except NotFound:
        raise Http404("no such person") from None
    except BadInput as exc:
        context["error"] = exc.message
        status = 400
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect("/funnel/")
    return render(request, "goodwill/partials/funnel_move.html", context, status=status)


def _events_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    actor = _actor(request)
    form = extra.pop("form", None) or {
        "name": "",
        "date": "",
        "location": "",
        "targets": "",
        "target_criteria": default_event_criteria(actor=actor),
        "hours": "",
    }
    return {
        "events": events_service.list_events(actor=actor),
        "form": form,
        "errors": extra.pop("errors", {}),
        "can_write": actor.can_write,
        "today": web_today(),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@with_actor
def events_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "goodwill/events.html", _events_context(request))
    form = {
        key: request.POST.get(key, "")
        for key in ("name", "date", "location", "targets", "target_criteria", "hours")
    }
    try:
        event = events_service.add_event(
            actor=_actor(request),
            today=web_today(),
            name=form["name"],
            date=form["date"],
            location=form["location"],
            targets=[t for t in form["targets"].replace("\n", ";").split(";") if t.strip()],
            target_criteria=form["target_criteria"],
            hours=form["hours"] or None,
        )
    except BadInput as exc:
        errors = {exc.field or "targets": exc.message}
        context = _events_context(request, form=form, errors=errors)
        return render(request, "goodwill/events.html", context, status=400)
    return HttpResponseRedirect(f"/events/{event.pk}/")


def _event(request: HttpRequest, event_id: int) -> Event:
    try:
        return events_service.resolve_event(actor=_actor(request), ref=event_id)
    except NotFound:
        raise Http404("no such event") from None


def _capture_context(request: HttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event,
        "report": events_service.event_report(actor=_actor(request), event=event),
        "form": extra.pop("form", {}),
        "errors": extra.pop("errors", {}),
        "can_write": _actor(request).can_write,
        "future": event.date > web_today(),
        **extra,
    }


@require_GET
@with_actor
def event_page(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    context = _capture_context(request, event)
    context["prep"] = events_service.event_prep(actor=_actor(request), event=event)
    return render(request, "goodwill/event.html", context)


def _answer(value: str) -> bool | None:
    return ANSWERS.get(value.strip().lower())


@require_POST
@with_actor
def event_met(request: HttpRequest, event_id: int) -> HttpResponse:
    """Capture one person met (new, or existing by reference); htmx gets the section back."""
    event = _event(request, event_id)
    keys = ("existing", "name", "organization", "title", "email", "needs", "note")
    form = {key: request.POST.get(key, "").strip() for key in keys}
    answers = {
        key: _answer(request.POST.get(key, ""))
        for key in ("q_interesting", "q_enjoy", "q_mutual_business")
    }
    recorded: list[dict[str, object]] = []
    try:
        if form["existing"] and form["name"]:
            raise BadInput("either pick someone you know or type a new name", field="name")
        new = []
        if form["name"]:
            new.append(
                events_service.NewPerson(
                    name=form["name"],
                    organization=form["organization"],
                    title=form["title"],
                    email=form["email"],
                    needs=form["needs"],
                    note=form["note"],
                    **answers,
                )
            )
        result = events_service.record_met(
            actor=_actor(request),
            today=web_today(),
            event=event,
            people=[form["existing"]] if form["existing"] else [],
            new=new,
            note=form["note"],
        )
        recorded = result.recorded + [{**r, "already": True} for r in result.already]
    except BadInput as exc:
        field = exc.field if exc.field in keys else ("existing" if form["existing"] else "name")
        context = _capture_context(request, event, form=form, errors={field: exc.message})
        return render(request, "goodwill/partials/event_capture.html", context, status=400)
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(f"/events/{event.pk}/")
    context = _capture_context(request, event, recorded=recorded)
    return render(request, "goodwill/partials/event_capture.html", context)


@require_GET
@with_actor
def targets_page(request: HttpRequest) -> HttpResponse:
    t = targets(actor=_actor(request))
    return render(
        request,
        "goodwill/targets.html",
        {
            "t": t,
            "clear": [c for c in t.criteria if c.significant],
            "unclear": [c for c in t.criteria if c.enough_data and not c.significant][:20],
        },
    )


urlpatterns = [
    path("funnel/", funnel_page, name="funnel"),
    path("funnel/apply/", apply, name="funnel-apply"),
    path("events/", events_page, name="events"),
    path("events/<int:event_id>/", event_page, name="event"),
    path("events/<int:event_id>/met/", event_met, name="event-met"),
    path("targets/", targets_page, name="targets"),
]
