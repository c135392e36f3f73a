"""The REST API (django-ninja) under /api/v1/, with OpenAPI at /api/v1/openapi.json.

Auth: ``Authorization: Bearer <token>`` (tokens from ``goodwill token create``)
or the web session. Read-scoped tokens and viewers may only GET. Errors a user
can fix answer 4xx with ``{"detail": "..."}``; never a 500.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from goodwill.services.accounts import authenticate_token
from goodwill.services.context import actor_for
from goodwill.services.errors import BadInput

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenOrSession(HttpBearer):
    """Bearer token, else the logged-in session user; sets ``request.actor``."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            return super().__call__(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = actor_for(user, request.session.get("workspace_id")) or actor_for(user)
            if actor is None:
                return None
            if request.method not in SAFE_METHODS and not actor.can_write:
                return None
            # Ninja's views are csrf_exempt: a session (cookie) write must prove its origin.
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                return None
            request.actor = actor  # type: ignore[attr-defined]
            return actor
        return None

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = authenticate_token(token)
        if found is None:
            return None
        actor, scope = found
        if request.method not in SAFE_METHODS and (scope != "write" or not actor.can_write):
            return None
        request.actor = actor  # type: ignore[attr-defined]
        return actor


api = NinjaAPI(
    title="goodwill API",
    version="1",
    urls_namespace="api",
    auth=TokenOrSession(),
)


@api.exception_handler(BadInput)
def bad_input(request: HttpRequest, exc: BadInput) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    candidates = getattr(exc, "candidates", None)
    if candidates:
        body["candidates"] = [{"id": i, "name": n} for i, n in candidates]
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "missing, invalid or insufficient credentials"}, status=401
    )


def _register() -> None:
    """Each area adds its router here (one module per area under web/api/)."""
    from . import funnel, intros, io, people, plan, team, value  # noqa: PLC0415

    for module in (people, plan, value, intros, funnel, io, team):
        api.add_router("/", module.router)


_register()
