"""The people pages: the list (live search, filters, pages), adding and editing a
person, the person page (health with its components, timeline, commitments,
favours, deals, stage history), the quick log form, stage changes and deletes.

Every view parses the request, calls one service and renders. Writes answer
htmx with a partial and plain forms with a redirect; a BadInput is shown next
to its field (``errors[field]``) with status 400.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goodwill.db.models import InteractionKind, Party, Person, Role, Source, Stage, Tier
from goodwill.services.directory import list_people, person_detail
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.interactions import delete_interaction, log_interaction
from goodwill.services.people import (
    CLEARABLE,
    PersonInput,
    add_person,
    change_stage,
    delete_person,
    edit_person,
    resolve_person,
)

from ..context import web_today, with_actor

PAGE_SIZE = 50
TIMELINE_SHOWN = 200
STAND_IN = 987654321  # an id in a link reversed once for many (see _detail_context)
# Form fields that map one to one onto PersonInput text fields.
TEXT_INPUTS = [
    "name", "email", "organization", "title", "industry", "location", "role", "tier",
    "stage", "source", "source_detail", "introduced_by", "needs", "offers", "goals",
    "value_i_bring", "work_on", "personal", "notes", "birthday", "anniversary",
]  # fmt: skip
CHOICES = {
    "roles": Role.values,
    "stages": Stage.values,
    "tiers": Tier.choices,
    "sources": Source.values,
    "kinds": InteractionKind.values,
    "parties": Party.values,
}


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _person(request: HttpRequest, person_id: int) -> Person:
    try:
        return resolve_person(actor=_actor(request), ref=person_id)
    except NotFound:
        raise Http404("no such person") from None


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and int(raw) >= 1 else 1


# --- the list ---------------------------------------------------------------


@require_GET
@with_actor
def people_list(request: HttpRequest) -> HttpResponse:
    q = {k: request.GET.get(k, "").strip() for k in ("q", "stage", "role", "tag")}
    page = _page_number(request.GET.get("page", ""))
    context: dict[str, Any] = {"q": q, "errors": {}, "can_write": _actor(request).can_write}
    status = 200
    try:
        result = list_people(
            actor=_actor(request),
            today=web_today(),
            stage=q["stage"],
            role=q["role"],
            tag=q["tag"],
            search=q["q"],
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    except BadInput as exc:
        context["errors"] = {exc.field or "q": exc.message}
        result, status = None, exc.status
    if result is not None:
        pages = max(1, -(-result.total // PAGE_SIZE))
        context.update(
            result=result,
            page=page,
            pages=pages,
            previous=page - 1 if page > 1 else None,
            next=page + 1 if page < pages else None,
            query=urlencode({k: v for k, v in q.items() if v}),
        )
    if request.headers.get("HX-Target") == "people-results":
        return render(request, "goodwill/partials/people_results.html", context, status=status)
    return render(request, "goodwill/people_list.html", {**context, **CHOICES}, status=status)


# --- add and edit -------------------------------------------------------------


def _bool(raw: str) -> bool | None:
    return {"yes": True, "no": False}.get(raw)


def _input_from(post: Any) -> PersonInput:
    data = PersonInput(**{k: post.get(k, "").strip() for k in TEXT_INPUTS})
    data.cadence_days = post.get("cadence_days", "").strip()
    data.tags = [t for t in post.get("tags", "").replace(";", ",").split(",") if t.strip()]
    data.phones = [p for p in post.get("phones", "").split(",") if p.strip()]
    data.urls = [u for u in post.get("urls", "").split() if u.strip()]
    data.q_interesting = _bool(post.get("q_interesting", ""))
    data.q_enjoy = _bool(post.get("q_enjoy", ""))
    data.q_mutual_business = _bool(post.get("q_mutual_business", ""))
    return data


# (name, label, widget, help) per form section; widget: text, email, date, number,
# textarea, or a choices key. The template renders each with its value and error.
SECTIONS = [
    ("Who", [
        ("name", "Name", "text", ""), ("email", "Email", "email", ""),
        ("organization", "Organization", "text", ""), ("title", "Title", "text", ""),
        ("industry", "Industry", "text", ""), ("location", "Location", "text", ""),
    ]),
    ("The relationship", [
        ("role", "Role", "roles", ""), ("tier", "Tier", "tiers", ""),
        ("stage", "Stage", "stages", ""), ("cadence_days", "Cadence (days)", "number",
         "Desired days between touchpoints; empty: the default for the role and tier."),
        ("source", "Source", "sources", ""), ("source_detail", "Source detail", "text", ""),
        ("introduced_by", "Introduced by", "text", "An id, an email or a unique name."),
        ("tags", "Tags", "text", "Comma separated."),
    ]),
    ("How to help", [
        ("needs", "Needs", "textarea", "What are they trying to solve?"),
        ("offers", "Offers", "textarea", "What can they help others with?"),
        ("goals", "Goals", "textarea", ""),
        ("value_i_bring", "The value I bring", "textarea", ""),
        ("work_on", "What to work on", "textarea", ""),
    ]),
    ("Worth remembering", [
        ("personal", "Personal details", "textarea", "Family, hobbies, what they enjoy."),
        ("notes", "Notes", "textarea", ""),
        ("birthday", "Birthday", "date", ""), ("anniversary", "Anniversary", "date", ""),
        ("phones", "Phones", "text", "Comma separated."), ("urls", "Profile URLs", "text", ""),
    ]),
    ("Qualify", [
        ("q_interesting", "Do I find them interesting?", "yesno", ""),
        ("q_enjoy", "Would I enjoy spending time with them?", "yesno", ""),
        ("q_mutual_business", "Is there mutually beneficial business?", "yesno", ""),
    ]),
]  # fmt: skip
WIDGET_CHOICES = {
    "roles": [(v, v) for v in Role.values],
    "tiers": list(Tier.choices),
    "stages": [(v, v) for v in Stage.values if v != Stage.LET_GO],
    "sources": [(v, v) for v in Source.values],
    "yesno": [("yes", "yes"), ("no", "no")],
}


FORM_NAMES = {name for _, fields in SECTIONS for name, *_ in fields}


def _errors(exc: BadInput) -> dict[str, str]:
    """The error keyed by the form field it belongs to ("form" when none does)."""
    name = {"cadence": "cadence_days"}.get(exc.field or "", exc.field or "")
    return {name if name in FORM_NAMES else "form": exc.message}


def _form(
    request: HttpRequest, *, person: Person | None, form: Any, errors: dict[str, str], status: int
) -> HttpResponse:
    sections = [
        {
            "title": title,
            "fields": [
                {
                    "name": name,
                    "label": label,
                    "widget": widget,
                    "help": help_text,
                    "value": form.get(name, ""),
                    "error": errors.get(name, ""),
                    "choices": WIDGET_CHOICES.get(widget),
                    "required": name == "name",
                }
                for name, label, widget, help_text in fields
                # The stage of someone known changes on their page, with a reason.
                if not (person is not None and name == "stage")
            ],
        }
        for title, fields in SECTIONS
    ]
    context = {"person": person, "sections": sections, "form_error": errors.get("form", "")}
    return render(request, "goodwill/person_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@with_actor
def person_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form(request, person=None, form={}, errors={}, status=200)
    try:
        person = add_person(
            actor=_actor(request), data=_input_from(request.POST), today=web_today()
        )
    except BadInput as exc:
        errors = _errors(exc)
        return _form(request, person=None, form=request.POST, errors=errors, status=exc.status)
    return redirect("person", person_id=person.pk)


def _initial(person: Person) -> dict[str, Any]:
    form: dict[str, Any] = {k: getattr(person, k, "") or "" for k in TEXT_INPUTS}
    form["organization"] = person.organization.name if person.organization else ""
    form["introduced_by"] = person.introduced_by_id or ""
    form["cadence_days"] = person.cadence_days or ""
    for key in ("birthday", "anniversary"):
        form[key] = getattr(person, key).isoformat() if getattr(person, key) else ""
    for key in ("q_interesting", "q_enjoy", "q_mutual_business"):
        form[key] = {True: "yes", False: "no"}.get(getattr(person, key), "")
    return form


@require_http_methods(["GET", "HEAD", "POST"])
@with_actor
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    if request.method != "POST":
        return _form(request, person=person, form=_initial(person), errors={}, status=200)
    try:
        data = _input_from(request.POST)
        # The form sends every field: one left empty is one the user emptied.
        data.clear = [
            k for k in CLEARABLE if k in request.POST and not request.POST.get(k, "").strip()
        ]
        edit_person(actor=_actor(request), person=person, data=data, today=web_today())
    except BadInput as exc:
        errors = _errors(exc)
        return _form(request, person=person, form=request.POST, errors=errors, status=exc.status)
    return redirect("person", person_id=person.pk)


@require_POST
@with_actor
def person_delete(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        delete_person(actor=_actor(request), person_id=person_id)
    except NotFound:
        raise Http404("no such person") from None
    return redirect("people")


# --- the person page ------------------------------------------------------------


def _detail_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    detail = person_detail(actor=_actor(request), person=person, today=web_today())
    # The day and the delete link made here: a template tag per item costs more. The
    # link is reversed once, around a stand-in for the interaction's id (a reverse
    # per item: 0.5 ms on the page of a person with 60 interactions).
    head, _, tail = reverse("interaction-delete", args=[detail.id, STAND_IN]).rpartition(
        str(STAND_IN)
    )
    return {
        "p": detail,
        "timeline": [
            {**i, "day": i["date"].isoformat(), "delete_url": f"{head}{i['id']}{tail}"}
            for i in detail.interactions[:TIMELINE_SHOWN]
        ],
        "can_write": _actor(request).can_write,
        "today": web_today(),
        **CHOICES,
    }


@require_GET
@with_actor
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    return render(request, "goodwill/person_detail.html", _detail_context(request, person))


@require_POST
@with_actor
def person_log(request: HttpRequest, person_id: int) -> HttpResponse:
    """The quick log form: htmx gets the emptied form and the timeline (out of band)."""
    person = _person(request, person_id)
    post = request.POST
    errors: dict[str, str] = {}
    try:
        log_interaction(
            actor=_actor(request),
            person=person,
            kind=post.get("kind", ""),
            today=web_today(),
            date=post.get("date", "").strip() or None,
            note=post.get("note", ""),
            by=post.get("by", "") or Party.ME,
            quality=post.get("quality", "").strip() or None,
            pitch=post.get("pitch") == "on",
        )
    except BadInput as exc:
        errors = {exc.field or "form": exc.message}
    if not request.headers.get("HX-Request"):
        if errors:
            context = {**_detail_context(request, person), "log_errors": errors, "log": post}
            return render(request, "goodwill/person_detail.html", context, status=400)
        return redirect("person", person_id=person.pk)
    person.refresh_from_db()
    context = {
        **_detail_context(request, person),
        "log_errors": errors,
        "log": post if errors else {},
    }
    return render(
        request, "goodwill/partials/person_log.html", context, status=400 if errors else 200
    )


@require_POST
@with_actor
def person_stage(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    errors: dict[str, str] = {}
    try:
        change_stage(
            actor=_actor(request),
            person=person,
            stage=request.POST.get("stage", ""),
            reason=request.POST.get("reason", ""),
            today=web_today(),
        )
    except BadInput as exc:
        errors = {exc.field or "stage": exc.message}
    if not request.headers.get("HX-Request") and not errors:
        return redirect("person", person_id=person.pk)
    context = {**_detail_context(request, person), "stage_errors": errors}
    template = "goodwill/partials/person_stage.html"
    if not request.headers.get("HX-Request"):
        template = "goodwill/person_detail.html"
    return render(request, template, context, status=400 if errors else 200)


@require_POST
@with_actor
def interaction_delete(request: HttpRequest, person_id: int, interaction_id: int) -> HttpResponse:
    person = _person(request, person_id)
    try:
        delete_interaction(actor=_actor(request), interaction_id=interaction_id)
    except NotFound:
        raise Http404("no such interaction") from None
    if not request.headers.get("HX-Request"):
        return redirect("person", person_id=person.pk)
    person.refresh_from_db()
    context = _detail_context(request, person)
    return render(request, "goodwill/partials/person_timeline_changed.html", context)


urlpatterns = [
    path("people/", people_list, name="people"),
    path("people/new/", person_new, name="person-new"),
    path("people/<int:person_id>/", person_page, name="person"),
    path("people/<int:person_id>/edit/", person_edit, name="person-edit"),
    path("people/<int:person_id>/delete/", person_delete, name="person-delete"),
    path("people/<int:person_id>/log/", person_log, name="person-log"),
    path("people/<int:person_id>/stage/", person_stage, name="person-stage"),
    path(
        "people/<int:person_id>/interactions/<int:interaction_id>/delete/",
        interaction_delete,
        name="interaction-delete",
    ),
]
