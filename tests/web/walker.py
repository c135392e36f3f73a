"""Walk every URL pattern of the project (pages, admin and every API route) and fill
its path parameters with the ids of real objects.

Routes added later are covered without touching this file, as long as they follow
the naming convention: a path parameter is ``<int:MODEL_id>`` named after the
model it points to in snake case (``person_id``, ``plan_entry_id``; ``token_id``
for an API token), or ``<str:token>`` for a secret-token URL. A parameter name
nobody can fill fails loudly (:class:`UnfillableParameter`).

Used by the isolation and viewer tests here and by the escaping tests.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

WRITE_METHODS = ("post", "put", "patch", "delete")
ALL_METHODS = ("get", *WRITE_METHODS)

# <int:person_id>, <person_id> (django-ninja) or (?P<person_id>...) (re_path).
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")

# Admin parameters are not ids of our objects; staff-only pages need no isolation
# by workspace, only a login (tests check that non-staff are turned away).
ADMIN_VALUES = {
    "app_label": "goodwill", "url": "x", "content_type_id": "1", "object_id": "1", "id": "1",
}  # fmt: skip

# Parameters that are not ids but a choice from a fixed set, with a valid value.
# A new one must be added here on purpose (an unknown name still fails loudly).
VALUE_PARAMS = {"kind": "csv", "format": "json"}

# Routes anyone may request without logging in, and why.
PUBLIC = {
    "login/": "the login form",
    "logout/": "logging out",
    "healthz": "for load balancers",
    "invite/<str:token>/": "the invite link is the credential",
    "calendar/<str:token>.ics": "the feed token is the credential",
    "api/v1/openapi.json": "the API description",
    "api/v1/docs": "the API documentation page",
    "api/v1/": "the API root",
    "admin/login/": "the staff login form",
    "admin/logout/": "staff logging out",
}


class UnfillableParameter(AssertionError):
    """A route has a path parameter that does not follow the naming convention."""


@dataclass(frozen=True)
class Route:
    pattern: str  # as written, without a leading slash: "people/<int:person_id>/"
    name: str | None
    params: tuple[str, ...]
    api: bool  # under api/ (django-ninja): JSON, token auth
    admin: bool  # the Django admin (staff only)
    methods: frozenset[str] = field(default_factory=frozenset)  # declared, lower case

    @property
    def public(self) -> bool:
        return self.pattern in PUBLIC

    @property
    def about_an_object(self) -> bool:
        """Whether the route names one object (by id or secret token)."""
        return any(p not in VALUE_PARAMS for p in self.params)


def _api_methods() -> dict[str, frozenset[str]]:
    """The methods of every API path, from the OpenAPI description of the ninja api."""
    from goodwill.web.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return {
        path: frozenset(m for m in operations if m in ALL_METHODS)
        for path, operations in schema["paths"].items()
    }


def _as_openapi(pattern: str) -> str:
    return "/" + _PARAM.sub(lambda m: "{" + (m["name"] or m["rname"]) + "}", pattern)


def all_routes() -> list[Route]:
    """Every URL pattern reachable from the root URLconf, depth first."""
    api_methods = _api_methods()
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            pattern = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            if isinstance(entry, URLResolver):
                walk(entry, pattern)
                continue
            assert isinstance(entry, URLPattern)
            params = tuple(m["name"] or m["rname"] for m in _PARAM.finditer(pattern))
            api = pattern.startswith("api/")
            if api:
                methods = api_methods.get(_as_openapi(pattern), frozenset({"get"}))
            else:
                methods = frozenset({"get", "post"})
            found.append(
                Route(
                    pattern=pattern,
                    name=entry.name,
                    params=params,
                    api=api,
                    admin=pattern.startswith("admin/"),
                    methods=methods,
                )
            )

    walk(get_resolver(), "")
    return found


def fill(route: Route, values: dict[str, Any]) -> str:
    """The URL of ``route`` with each parameter taken from ``values`` (by name)."""

    def value(match: re.Match[str]) -> str:
        name = match["name"] or match["rname"]
        if route.admin and name in ADMIN_VALUES:
            return ADMIN_VALUES[name]
        if name in VALUE_PARAMS and name not in values:
            return VALUE_PARAMS[name]
        if name not in values:
            raise UnfillableParameter(
                f"route {route.pattern!r} has a parameter {name!r} that does not follow the "
                "convention (<int:MODEL_id> after a model in snake case, or <str:token>)"
            )
        return str(values[name])

    return "/" + _PARAM.sub(value, route.pattern)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass
class Seeded:
    """One object of every model in one workspace, and what must never leak from it."""

    ids: dict[str, Any]  # path parameter name -> value
    markers: list[str]  # strings that appear only in this workspace's data
    objects: dict[str, Any]


def seed_workspace(actor: Any, today: dt.date, tag: str = "zq") -> Seeded:
    """Create one of every goodwill model in ``actor``'s workspace, with text that is
    easy to spot if it leaks (``tag`` makes each string unique).

    Fails loudly when the app has a model this function does not know yet."""
    from django.contrib.auth import get_user_model

    from goodwill.db import models as m
    from goodwill.services.accounts import create_user

    ws = actor.workspace
    secret = f"{tag}{secrets.token_hex(4)}"
    name = f"Secretname{secret.title()}"
    email = f"hidden.{secret}@private.test"
    note = f"note-{secret}-confidential"
    o: dict[str, Any] = {}
    o["organization"] = m.Organization.objects.create(workspace=ws, name=f"Org{secret}")
    o["tag"] = m.Tag.objects.create(workspace=ws, name=f"tag{secret}")
    o["person"] = m.Person.objects.create(
        workspace=ws, name=name, email=email, organization=o["organization"], notes=note,
        needs=f"needs {secret}", offers=f"offers {secret}", created_on=today, stage_since=today,
        last_contact=today,
    )  # fmt: skip
    other = m.Person.objects.create(
        workspace=ws, name=f"Othername{secret.title()}", created_on=today, stage_since=today
    )
    person = o["person"]
    o["person_tag"] = m.PersonTag.objects.create(workspace=ws, person=person, tag=o["tag"])
    o["channel"] = m.Channel.objects.create(
        workspace=ws, person=person, kind="email", value=email, normalized=email
    )
    o["stage_change"] = m.StageChange.objects.create(
        workspace=ws, person=person, to_stage="identified", date=today, reason=note
    )
    o["interaction"] = m.Interaction.objects.create(
        workspace=ws, person=person, kind="call", date=today, note=note
    )
    o["commitment"] = m.Commitment.objects.create(
        workspace=ws, person=person, description=note, created_on=today, due_date=today
    )
    o["event"] = m.Event.objects.create(workspace=ws, name=f"Event{secret}", date=today, notes=note)
    o["event_target"] = m.EventTarget.objects.create(workspace=ws, event=o["event"], person=person)
    o["event_met"] = m.EventMet.objects.create(
        workspace=ws, event=o["event"], person=person, note=note
    )
    o["deal"] = m.Deal.objects.create(
        workspace=ws, client=person, title=f"Deal{secret}", amount=Decimal("1234.00"),
        date=today, referrer=other, event=o["event"], note=note,
    )  # fmt: skip
    o["introduction"] = m.Introduction.objects.create(
        workspace=ws, a=person, b=other, reason=note, suggested_on=today
    )
    o["favour"] = m.Favour.objects.create(
        workspace=ws, person=person, direction="gave", kind="advice", date=today, note=note
    )
    o["plan_entry"] = m.PlanEntry.objects.create(
        workspace=ws, user=actor.user, person=person, date=today, action=note, reasons=[note]
    )
    o["api_token"] = m.ApiToken.objects.create(
        workspace=ws, user=actor.user, name=f"tok{secret}",
        key_hash=m.hash_token(m.ApiToken.new_raw()), prefix="gw_x",
    )  # fmt: skip
    o["invite"] = m.Invite.objects.create(
        workspace=ws, key_hash=m.hash_token(f"inv_{secret}"), created_by=actor.user,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
    )  # fmt: skip
    o["calendar_feed"] = m.CalendarFeed.objects.create(
        workspace=ws, user=actor.user, key_hash=m.hash_token(f"cal_{secret}")
    )
    o["match_index"] = m.MatchIndex.objects.get_or_create(workspace=ws)[0]
    o["need_match"] = m.NeedMatch.objects.create(
        workspace=ws, need_person=person, offer_person=other, score=0.9, need=f"needs {secret}",
        offer=f"offers {secret}", shared_terms=[secret], links=[],
    )  # fmt: skip
    # Written by triggers as the person above was contacted: the newest row of theirs.
    o["person_change"] = m.PersonChange.objects.filter(person_id=person.pk).latest("id")
    # Counted by triggers from the interactions above.
    o["outreach_day"] = m.OutreachDay.objects.filter(workspace=ws).latest("id")
    # Kept by triggers as the people above were added.
    o["people_count"] = m.PeopleCount.objects.get(workspace=ws)
    member = create_user(email=f"member.{secret}@private.test", password="correct horse battery")
    o["membership"] = m.Membership.objects.create(workspace=ws, user=member, role="member")
    o["workspace"] = ws
    o["user"] = get_user_model().objects.get(pk=actor.user.pk)

    known = {snake(model.__name__) for model in apps.get_app_config("goodwill").get_models()}
    missing = known - set(o)
    assert not missing, f"seed_workspace does not know these models yet: {sorted(missing)}"

    ids: dict[str, Any] = {f"{key}_id": obj.pk for key, obj in o.items()}
    ids["token_id"] = o["api_token"].pk
    ids["token"] = "gw_" + secrets.token_urlsafe(16)  # an unknown secret: must be a 404
    markers = [name, email, note, secret, f"member.{secret}"]
    return Seeded(ids=ids, markers=markers, objects=o)


def body_for(ids: dict[str, Any]) -> dict[str, Any]:
    """A request body that refers to the seeded objects by every usual field name, so
    a write that takes the id from its body (not its path) is tested too."""
    pid = ids["person_id"]
    return {
        "person": str(pid), "person_id": pid, "a": str(pid), "b": str(pid),
        "client": str(pid), "referrer": str(pid), "introduced_by": str(pid),
        "people": [str(pid)], "event": str(ids["event_id"]), "event_id": ids["event_id"],
        "workspace_id": ids["workspace_id"], "member": ids["membership_id"],
        "name": "x", "kind": "call", "stage": "connected", "reason": "x", "note": "x",
        "description": "x", "amount": "1", "direction": "gave", "role": "member",
    }  # fmt: skip


def workspace_rows(workspace: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of every goodwill model that belongs to ``workspace`` (to compare
    before and after a run of requests that must change nothing)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_app_config("goodwill").get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "workspace" in names:
            qs = model._default_manager.filter(workspace=workspace)
        elif model.__name__ == "Workspace":
            qs = model._default_manager.filter(pk=workspace.pk)
        else:
            continue
        volatile = {"last_used_at"}
        rows[model.__name__] = [
            {k: v for k, v in row.items() if k not in volatile}
            for row in qs.order_by("pk").values()
        ]
    return rows
