"""Web fixtures: logged-in clients and bearer headers for the named personas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client


def login(actor: Any, client: Client | None = None) -> Client:
    """A client logged in as ``actor`` and acting in the actor's workspace."""
    c = client or Client()
    c.force_login(actor.user, backend="goodwill.services.accounts.UserBackend")
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


@pytest.fixture
def direct_wsgi() -> Any:
    """For requests sent straight to ``goodwill.wsgi.application`` (schemathesis, raw
    environ) rather than through Django's test client: like the test client, keep
    the start and end of a request from closing the database connection. On PostgreSQL that
    would end the test's transaction and lose its data; SQLite's in-memory test
    database never closes, which hid it."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
