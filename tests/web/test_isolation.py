"""Workspace isolation, proven by walking every route of the app.

Every URL pattern (pages, admin, and every django-ninja API route) is requested
as mallory, a user of another workspace, with its path parameters filled with
the ids of alice's objects, and with request bodies that name alice's objects:
each answer is 403/404 (or 405 for a method the route does not serve), none
shows a trace of alice's data, and alice's rows are unchanged afterwards.
Logged-out visitors are sent to log in (pages) or get 401 (API), and a viewer
is refused every write. Routes added later are covered automatically.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.reporting import report

from .conftest import bearer, csrf_headers, login
from .walker import (
    PUBLIC,
    WRITE_METHODS,
    Route,
    UnfillableParameter,
    all_routes,
    body_for,
    fill,
    seed_workspace,
    workspace_rows,
)

# Acting in another of one's own workspaces changes only the session.
SESSION_ONLY = {"team/workspace/"}
# Logging in or out would end the walk's session half-way.
LOG_IN_OUT = {"login/", "logout/", "admin/logout/"}


@pytest.fixture
def seeded(alice: Any, today: Any) -> Any:
    return seed_workspace(alice, today)


def _request(client: Client, route: Route, method: str, url: str, data: dict, headers: dict) -> Any:
    if route.api:
        payload = json.dumps(data) if method != "get" else None
        if payload is None:
            return client.get(url, **headers)
        return getattr(client, method)(url, payload, content_type="application/json", **headers)
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, data, **headers)


def _assert_no_leak(response: Any, markers: list[str], where: str) -> None:
    body = response.content.decode(errors="replace")
    for marker in markers:
        assert marker not in body, f"{where} leaked {marker!r}"


def _methods(route: Route) -> list[str]:
    if route.api:
        return sorted(route.methods | {"get"})
    return ["get", "post"]


def test_the_walker_finds_pages_admin_and_api_routes_and_fills_them(seeded):
    routes = {r.pattern: r for r in all_routes()}
    assert "people/<int:person_id>/" in routes and "people/" in routes
    assert "api/v1/people/<int:person_id>" in routes or "api/v1/people/<person_id>" in routes
    assert any(r.admin for r in routes.values())
    api_people = next(r for r in routes.values() if r.api and r.params == ("person_id",))
    assert fill(api_people, seeded.ids).endswith(f"/{seeded.ids['person_id']}")
    assert {"get", "patch", "delete"} <= routes[api_people.pattern].methods | {"get"}


def test_a_parameter_outside_the_convention_fails_loudly(seeded):
    odd = Route(pattern="things/<int:thing>/", name=None, params=("thing",), api=False, admin=False)
    with pytest.raises(UnfillableParameter, match="thing"):
        fill(odd, seeded.ids)


def test_another_workspace_sees_nothing_of_alices_on_any_route(alice, mallory, network, seeded):
    markers = seeded.markers + ["Carol Client", "carol@acme.test", "quarterly review"]
    before = workspace_rows(alice.workspace)
    session = login(mallory)
    session_headers = csrf_headers(session)
    headers = bearer(mallory)
    body = body_for(seeded.ids)
    checked = requests = 0
    routes = all_routes()
    for route in routes:
        url = fill(route, seeded.ids)  # raises on a parameter outside the convention
        if route.pattern in LOG_IN_OUT:
            continue
        if route.admin:
            r = session.get(url)
            requests += 1
            assert route.public or r.status_code in (302, 404), (url, r.status_code)
            _assert_no_leak(r, markers, url)
            continue
        for method in _methods(route):
            for client, extra in (
                ((session, session_headers), (Client(), headers)) if route.api else ((session, {}),)
            ):
                r = _request(client, route, method, url, body, extra)
                requests += 1
                where = f"{method.upper()} {url} ({'session' if client is session else 'token'})"
                assert r.status_code < 500, where
                _assert_no_leak(r, markers, where)
                if route.about_an_object and not route.public:
                    # A route about one of alice's objects: not found, or refused
                    # (a write may also fail validation of its body first).
                    allowed = (403, 404, 405) if method == "get" else (400, 403, 404, 405, 422)
                    assert r.status_code in allowed, (where, r.status_code)
                    checked += r.status_code == 404
    assert checked >= 20  # the walk really reached routes with alice's ids
    assert workspace_rows(alice.workspace) == before
    report(
        "isolation (another workspace)",
        f"{len(routes)} routes, {requests} requests as mallory (session and token) "
        f"with alice's ids: {checked} answered 404, 0 leaked, 0 rows of alice's changed",
    )


def test_logged_out_visitors_are_sent_to_log_in_or_get_401(alice, seeded):
    client = Client()
    before = workspace_rows(alice.workspace)
    body = body_for(seeded.ids)
    requests = 0
    for route in all_routes():
        if route.public:
            continue
        url = fill(route, seeded.ids)
        for method in ["get"] if route.admin else _methods(route):
            r = _request(client, route, method, url, body, {})
            requests += 1
            where = f"{method.upper()} {url}"
            if route.api:
                assert r.status_code in (401, 405), (where, r.status_code)
                if r.status_code == 401:
                    assert "detail" in r.json()
            elif route.admin:
                assert r.status_code in (302, 404), (where, r.status_code)
                if r.status_code == 302:
                    assert "/login/" in r["Location"], where
            else:
                assert r.status_code in (302, 405), (where, r.status_code)
                if r.status_code == 302:
                    assert r["Location"].startswith("/login/"), where
            _assert_no_leak(r, seeded.markers, where)
    assert workspace_rows(alice.workspace) == before
    report("isolation (logged out)", f"{requests} requests, all sent to log in or 401")


def test_every_public_route_is_listed_on_purpose():
    patterns = {r.pattern for r in all_routes()}
    assert set(PUBLIC) <= patterns, set(PUBLIC) - patterns


def test_a_viewer_is_refused_every_write_route(alice, vera, seeded):
    session = login(vera)
    token = bearer(vera, "read")
    csrf = csrf_headers(session)
    before = workspace_rows(alice.workspace)
    body = body_for(seeded.ids)
    refused = 0
    for route in all_routes():
        if route.public or route.admin or route.pattern in SESSION_ONLY:
            continue
        url = fill(route, seeded.ids)
        methods = [m for m in route.methods if m in WRITE_METHODS] if route.api else ["post"]
        for method in methods:
            clients = ((session, csrf), (Client(), token)) if route.api else ((session, {}),)
            for client, extra in clients:
                r = _request(client, route, method, url, body, extra)
                assert r.status_code in (401, 403, 405), (method, url, r.status_code)
                refused += r.status_code != 405
    assert refused >= 20
    assert workspace_rows(alice.workspace) == before
    report("isolation (viewer)", f"{refused} write requests refused (401/403), 0 rows changed")
