"""How a web request finds its actor (user + workspace + role)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from goodwill.services.context import Actor, actor_for


def web_today() -> dt.date:
    return timezone.localdate()


def with_actor(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a logged-in member; sets ``request.actor`` (their workspace and role).

    The workspace is the one chosen in the session, else the user's first."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor: Actor | None = actor_for(request.user, request.session.get("workspace_id"))
        if actor is None:
            actor = actor_for(request.user)
        if actor is None:
            raise PermissionDenied("you are not a member of any workspace")
        if request.method not in ("GET", "HEAD") and not actor.can_write:
            # One place for the rule: a viewer changes nothing, whatever the view.
            raise PermissionDenied("viewers cannot change anything in this workspace")
        request.actor = actor  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
