"""Introductions page: suggestions with accept / dismiss (htmx), recorded
introductions with status changes, and the warm-path form."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goodwill.services import intros as service
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.people import resolve_person

from ..context import web_today, with_actor

SHOWN = 20
RECORDED_SHOWN = 50  # the latest recorded introductions; ?all=1 shows every one


def _person(actor: Any, ref: str | int) -> Any:
    try:
        return resolve_person(actor=actor, ref=ref)
    except NotFound:
        raise Http404("no such person") from None


@require_GET
@with_actor
def intros_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = web_today()
    recorded = service.list_introductions(actor=actor, today=today)
    every = request.GET.get("all") == "1"
    return render(
        request,
        "goodwill/intros.html",
        {
            "suggestions": service.suggestions(actor=actor, today=today, limit=SHOWN),
            "introductions": recorded if every else recorded[:RECORDED_SHOWN],
            "recorded_total": len(recorded),
            "statuses": ["suggested", "asked", "made", "declined"],
            "can_write": actor.can_write,
        },
    )


@require_POST
@with_actor
def accept(request: HttpRequest) -> HttpResponse:
    """Record a suggestion as asked (double opt-in) or made; htmx gets the row back."""
    actor = request.actor  # type: ignore[attr-defined]
    a = _person(actor, request.POST.get("a", ""))
    b = _person(actor, request.POST.get("b", ""))
    context: dict[str, Any] = {"a": a, "b": b}
    try:
        intro = service.record_introduction(
            actor=actor,
            a=a,
            b=b,
            today=web_today(),
            status=request.POST.get("status", "asked"),
            reason=request.POST.get("reason", ""),
        )
        context["recorded"] = intro
    except BadInput as exc:
        context["error"] = exc.message
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseRedirect("/intros/")
    status = 400 if "error" in context else 200
    return render(request, "goodwill/partials/intros_done.html", context, status=status)


@require_POST
@with_actor
def dismiss(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    a = _person(actor, request.POST.get("a", ""))
    b = _person(actor, request.POST.get("b", ""))
    context: dict[str, Any] = {"a": a, "b": b, "dismissed": True}
    try:
        service.dismiss_suggestion(actor=actor, a=a, b=b, today=web_today())
    except BadInput as exc:
        context["error"] = exc.message
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseRedirect("/intros/")
    status = 400 if "error" in context else 200
    return render(request, "goodwill/partials/intros_done.html", context, status=status)


@require_http_methods(["GET", "POST"])
@with_actor
def introduction(request: HttpRequest, introduction_id: int) -> HttpResponse:
    """One recorded introduction's row; POST changes its status / outcome / follow-up."""
    actor = request.actor  # type: ignore[attr-defined]
    today = web_today()
    error = ""
    try:
        if request.method == "POST":
            service.update_introduction(
                actor=actor,
                introduction_id=introduction_id,
                today=today,
                status=request.POST.get("status", ""),
                outcome=request.POST.get("outcome"),
                followed_up=request.POST.get("followed_up") == "1",
            )
        row = service.introduction(actor=actor, introduction_id=introduction_id, today=today)
    except NotFound:
        raise Http404("no such introduction") from None
    except BadInput as exc:
        error = exc.message
        row = service.introduction(actor=actor, introduction_id=introduction_id, today=today)
    if request.method == "POST" and not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseRedirect("/intros/")
    return render(
        request,
        "goodwill/partials/intros_row.html",
        {
            "r": row,
            "error": error,
            "statuses": ["suggested", "asked", "made", "declined"],
            "can_write": actor.can_write,
        },
        status=400 if error else 200,
    )


@require_GET
@with_actor
def warm_path(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    to = request.GET.get("to", "").strip()
    context: dict[str, Any] = {"to": to}
    if to:
        try:
            target = resolve_person(actor=actor, ref=to)
            context["result"] = service.warm_path(actor=actor, person=target, today=web_today())
        except BadInput as exc:
            context["error"] = exc.message
    status = 400 if "error" in context else 200
    return render(request, "goodwill/intros_path.html", context, status=status)


urlpatterns = [
    path("intros/", intros_page, name="intros"),
    path("intros/accept/", accept, name="intros-accept"),
    path("intros/dismiss/", dismiss, name="intros-dismiss"),
    path("intros/path/", warm_path, name="intros-path"),
    path("introductions/<int:introduction_id>/", introduction, name="introduction"),
]
