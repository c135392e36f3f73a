"""Web fixtures: logged-in clients and bearer headers for the named personas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


def login(actor: Any, client: Client | None = None) -> Client:
    """A client logged in as ``actor`` and acting in the actor's workspace."""
    c = client or Client()
    c.force_login(actor.user, backend="django.contrib.auth.backends.ModelBackend")
    session = c.session
    session["workspace_id"] = actor.workspace.pk
    session.save()
    return c


def csrf_headers(client: Client) -> dict[str, str]:
    """The CSRF header a logged-in page would send (API writes with a session need it)."""
    if "csrftoken" not in client.cookies:
        client.get("/login/")
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def bearer(actor: Any, scope: str = "write") -> dict[str, str]:
    """Headers for an API token of ``actor`` with ``scope``."""
    from goodwill.services.team import create_token

    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(actor=actor, scope=scope).raw}"}


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    return login


@pytest.fixture
def web_today(monkeypatch: pytest.MonkeyPatch, today: Any) -> Any:
    """Pin the web's today (views and API) to the tests' today."""
    for module in ("goodwill.web.views.people", "goodwill.web.api.people"):
        monkeypatch.setattr(f"{module}.web_today", lambda: today)
    return today
