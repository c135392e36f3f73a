"""Shared fixtures: a fixed today, named personas, and alice's small network.

Personas (as in healthchecks): alice owns a workspace; bob is a member of it and
vera a viewer; mallory has a workspace of her own and must never see alice's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import sys
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from tests.reporting import (  # noqa: F401  (hooks: figures in the summary)
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)

TODAY = dt.date(2026, 11, 23)

POSTGRES = os.environ.get("GOODWILL_TEST_POSTGRES") == "1"
if POSTGRES:
    pytest_plugins = ["tests.postgres.plugin"]
    collect_ignore: list[str] = []
else:
    collect_ignore = ["postgres"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``@pytest.mark.sqlite_only("why")``: a test of SQLite itself (its files, WAL,
    online backup) is skipped on PostgreSQL, and ``postgres_only`` the other way
    round (both runs are part of `make test`), with the reason in the summary."""
    other, label = ("sqlite_only", "SQLite") if POSTGRES else ("postgres_only", "PostgreSQL")
    for item in items:
        marker = item.get_closest_marker(other)
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=f"{label} only: {marker.args[0]}"))


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> dt.date:
    return TODAY


def _user_actor(email: str, role: str | None = None, workspace: Any = None) -> Any:
    from goodwill.db.models import Membership
    from goodwill.services.accounts import create_user
    from goodwill.services.context import Actor, actor_for

    user = create_user(email=email, password="correct horse battery")
    if workspace is not None:
        Membership.objects.create(workspace=workspace, user=user, role=role)
        return Actor(workspace=workspace, user=user, role=role)
    return actor_for(user)


@pytest.fixture
def alice(db: Any) -> Any:
    return _user_actor("alice@example.com")


@pytest.fixture
def bob(alice: Any) -> Any:
    return _user_actor("bob@example.com", "member", alice.workspace)


@pytest.fixture
def vera(alice: Any) -> Any:
    return _user_actor("vera@example.com", "viewer", alice.workspace)


@pytest.fixture
def mallory(db: Any) -> Any:
    return _user_actor("mallory@example.com")


@pytest.fixture
def network(alice: Any, today: dt.date) -> SimpleNamespace:
    """Alice's network: a key client going quiet, a partner, a referrer chain
    (rita referred bruno, bruno referred chen), a prospect and a peer."""
    from goodwill.services.interactions import log_interaction
    from goodwill.services.people import PersonInput, add_person

    def person(name: str, **kw: Any) -> Any:
        return add_person(
            actor=alice, data=PersonInput(name=name, **kw), today=today - dt.timedelta(days=400)
        )

    n = SimpleNamespace()
    n.carol = person(
        "Carol Client",
        email="carol@acme.test",
        organization="Acme",
        role="client",
        tier="key",
        stage="productive",
        industry="manufacturing",
        needs="need help with my books before the audit",
    )
    n.paul = person(
        "Paul Partner",
        email="paul@partners.test",
        organization="Partners LLP",
        role="partner",
        tier="inner",
        stage="nurturing",
        offers="bookkeeping and tax returns for small firms",
    )
    n.rita = person(
        "Rita Referrer",
        email="rita@ref.test",
        role="referral_source",
        tier="key",
        stage="productive",
    )
    n.bruno = person(
        "Bruno Buyer",
        email="bruno@buy.test",
        role="client",
        tier="key",
        stage="productive",
        introduced_by="rita@ref.test",
    )
    n.chen = person(
        "Chen Customer",
        email="chen@cust.test",
        role="client",
        stage="connected",
        introduced_by="bruno@buy.test",
    )
    n.pia = person(
        "Pia Prospect",
        email="pia@prospect.test",
        role="prospect",
        stage="identified",
        source="event",
    )
    n.peter = person(
        "Peter Peer", role="peer", stage="connected", offers="angel investor, seed rounds"
    )
    log_interaction(
        actor=alice,
        person=n.carol,
        kind="meeting",
        today=today,
        date=today - dt.timedelta(days=60),
        note="quarterly review",
    )
    log_interaction(
        actor=alice,
        person=n.paul,
        kind="coffee",
        today=today,
        date=today - dt.timedelta(days=5),
        by="them",
    )
    log_interaction(
        actor=alice, person=n.rita, kind="call", today=today, date=today - dt.timedelta(days=20)
    )
    for p in vars(n).values():
        p.refresh_from_db()
    return n


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``goodwill ARGS`` in-process against the test database (as the local user)."""
    monkeypatch.setenv("GOODWILL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, input: str = "") -> CliResult:
        from goodwill.cli import main

        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "argv", ["goodwill", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        return CliResult(code, out.getvalue(), err.getvalue())

    return run
