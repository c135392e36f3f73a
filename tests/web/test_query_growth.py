"""Every page and API read runs the same number of queries whatever the size of
the network: each GET route of the walker is requested on a small workspace, the
workspace grows (more people, and more rows about the person the routes show),
and the route is requested again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from goodwill.db.models import Person
from tests.reporting import report

from .conftest import bearer, login
from .walker import all_routes, fill, seed_workspace

# Logging in or out would end the walk's session.
SKIP = {"login/", "logout/", "admin/logout/"}
GROWTH = 15  # people added; every kind of row grows with them


def grow(actor: Any, today: dt.date, person: Any, n: int, batch: str) -> None:
    """``n`` more people with a bit of everything, and more rows about ``person``."""
    from goodwill.db import models as m

    ws = actor.workspace
    org = m.Organization.objects.create(workspace=ws, name=f"Growth Co {batch}")
    tag = m.Tag.objects.create(workspace=ws, name=f"growth-{batch}")
    event = m.Event.objects.create(workspace=ws, name=f"Growth meetup {batch}", date=today)
    previous = person
    for i in range(n):
        p = m.Person.objects.create(
            workspace=ws, name=f"Grown Person{batch}{i}", email=f"grown{batch}{i}@example.test",
            organization=org, role=("client", "partner", "peer")[i % 3], stage="nurturing",
            needs="help with my books" if i % 2 else "", offers="" if i % 2 else "bookkeeping",
            created_on=today - dt.timedelta(days=200), stage_since=today, introduced_by=previous,
            last_contact=today - dt.timedelta(days=90 + i),
        )  # fmt: skip
        previous = p
        for who in (p, person):
            m.Interaction.objects.create(
                workspace=ws, person=who, kind="call", date=today - dt.timedelta(days=i + 1),
                note=f"call {i}", member=actor.user,
            )  # fmt: skip
            m.Commitment.objects.create(
                workspace=ws, person=who, description=f"send deck {i}", created_on=today,
                due_date=today - dt.timedelta(days=i),
            )  # fmt: skip
            m.Favour.objects.create(
                workspace=ws, person=who, direction=("gave", "received")[i % 2], kind="advice",
                date=today - dt.timedelta(days=i),
            )  # fmt: skip
            m.Channel.objects.create(
                workspace=ws, person=who, kind="email", value=f"x{batch}{i}.{who.pk}@example.test",
                normalized=f"x{batch}{i}.{who.pk}@example.test",
            )  # fmt: skip
            m.StageChange.objects.create(
                workspace=ws, person=who, from_stage="connected", to_stage="nurturing",
                date=today - dt.timedelta(days=i),
            )  # fmt: skip
        m.PersonTag.objects.create(workspace=ws, person=p, tag=tag)
        m.EventMet.objects.create(workspace=ws, event=event, person=p)
        m.Deal.objects.create(
            workspace=ws, client=p, title=f"Deal {i}", amount=Decimal("1000") + i,
            status="won", date=today - dt.timedelta(days=i), origin="referral", referrer=person,
        )  # fmt: skip
        m.Deal.objects.create(
            workspace=ws, client=person, title=f"Repeat {i}", amount=Decimal("500"),
            status="won", date=today - dt.timedelta(days=i), origin="repeat",
        )  # fmt: skip
        m.Introduction.objects.create(
            workspace=ws, a=p, b=person, reason="books", suggested_on=today, status="made",
            made_on=today - dt.timedelta(days=20),
        )  # fmt: skip


def _counts(session: Client, token: Client, headers: dict[str, str], urls: list[Any]) -> dict:
    counts = {}
    for route, url in urls:
        client, extra = (token, headers) if route.api else (session, {})
        client.get(url, **extra)  # warm: a plan saved, stored matches rebuilt, …
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **extra)
        counts[url] = (response.status_code, len(queries))
    return counts


def test_no_page_or_api_read_queries_more_with_a_bigger_network(alice, network, today):  # noqa: ARG001
    seeded = seed_workspace(alice, today)
    urls = [
        (route, fill(route, seeded.ids))
        for route in all_routes()
        if not route.admin and route.pattern not in SKIP and "get" in route.methods
    ]
    session, token, headers = login(alice), Client(), bearer(alice)
    # First some of everything (a query that runs only once there is data is not
    # growth), then the same again: the counts must not move.
    grow(alice, today, seeded.objects["person"], 3, "a")
    small = _counts(session, token, headers, urls)
    people_before = Person.objects.filter(workspace=alice.workspace).count()
    grow(alice, today, seeded.objects["person"], GROWTH, "b")
    big = _counts(session, token, headers, urls)
    grew = {
        url: (small[url][1], big[url][1])
        for url in small
        if small[url][0] == 200 and big[url][1] > small[url][1]
    }
    assert not grew, f"query counts grew with the network (before, after): {grew}"
    ok = sum(1 for url in small if small[url][0] == 200)
    assert ok >= 40  # the walk really read pages and API lists
    report(
        "query counts",
        f"{ok} page and API reads answered 200; none ran more queries after "
        f"{GROWTH} people and ~{GROWTH * 16} rows were added to {people_before} people",
    )
