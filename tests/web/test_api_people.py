"""The people and interactions API: list, get, create, update, delete; tokens and errors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from goodwill.db.models import Interaction, Person
from goodwill.services.people import PersonInput, add_person

from .conftest import bearer, login

pytestmark = pytest.mark.usefixtures("web_today")


def _call(method, url, headers, body=None):
    kwargs = {"content_type": "application/json", **headers}
    if body is not None:
        return getattr(Client(), method)(url, json.dumps(body), **kwargs)
    return getattr(Client(), method)(url, **kwargs)


def test_listing_people_pages_through_them_with_totals(alice, network):
    h = bearer(alice, "read")
    first = _call("get", "/api/v1/people?limit=3", h).json()
    rest = _call("get", "/api/v1/people?offset=3&limit=50", h).json()
    assert first["total"] == rest["total"] == 7
    names = [p["name"] for p in first["items"] + rest["items"]]
    assert names == sorted(names) and len(set(names)) == 7
    assert set(first["items"][0]) >= {
        "id",
        "name",
        "email",
        "organization",
        "role",
        "stage",
        "health",
        "last_contact",
    }


def test_listing_filters_by_search_stage_role_and_tag(alice, network, today):
    add_person(actor=alice, data=PersonInput(name="Tina Tagged", tags=["golf"]), today=today)
    h = bearer(alice, "read")

    def names(query):
        return {p["name"] for p in _call("get", f"/api/v1/people?{query}", h).json()["items"]}

    assert names("search=bookkeeping") == {"Paul Partner"}
    assert names("role=client") == {"Carol Client", "Bruno Buyer", "Chen Customer"}
    assert names("stage=identified") == {"Pia Prospect", "Tina Tagged"}
    assert names("tag=golf") == {"Tina Tagged"}


def test_an_unknown_filter_value_is_a_400_naming_the_field(alice, network):
    r = _call("get", "/api/v1/people?stage=bogus", bearer(alice, "read"))
    assert r.status_code == 400 and r.json()["field"] == "stage"


def test_a_limit_out_of_range_is_a_422(alice):
    assert _call("get", "/api/v1/people?limit=0", bearer(alice, "read")).status_code == 422
    assert _call("get", "/api/v1/people?offset=-1", bearer(alice, "read")).status_code == 422


def test_getting_a_person_returns_everything_with_health_components(alice, network):
    r = _call("get", f"/api/v1/people/{network.carol.pk}", bearer(alice, "read"))
    body = r.json()
    assert r.status_code == 200
    assert body["name"] == "Carol Client" and body["organization"] == "Acme"
    assert 0 <= body["health"]["score"] <= 100 and body["health"]["components"]
    assert {c["name"] for c in body["health"]["components"]} >= {"recency"}
    assert body["interactions"][0]["note"] == "quarterly review"


def test_creating_a_person_answers_201_with_the_person(alice, today):
    body = {
        "name": "Nora New",
        "email": "nora@new.test",
        "role": "prospect",
        "tags": ["fintech"],
        "cadence_days": 30,
    }
    r = _call("post", "/api/v1/people", bearer(alice), body)
    assert r.status_code == 201
    out = r.json()
    assert (
        out["tags"] == ["fintech"]
        and out["cadence_days"] == 30
        and out["created_on"] == today.isoformat()
    )
    assert Person.objects.get(pk=out["id"]).workspace == alice.workspace


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),  # the name is required
        ({"name": ""}, 422),
        ({"name": "X", "email": "nope"}, 400),
        ({"name": "X", "role": "king"}, 400),
        ({"name": "X", "birthday": "31/12/1990"}, 400),
        ({"name": "X", "cadence_days": 0}, 422),
        ({"name": "X", "introduced_by": "nobody at all"}, 404),
        ({"name": "X", "tags": "not a list"}, 422),
    ],
)
def test_bad_input_on_create_is_4xx_json_and_writes_nothing(alice, body, status):
    r = _call("post", "/api/v1/people", bearer(alice), body)
    assert r.status_code == status and "detail" in r.json()
    assert not Person.objects.exists()


def test_an_ambiguous_introducer_lists_the_candidates(alice, network):
    r = _call("post", "/api/v1/people", bearer(alice), {"name": "X", "introduced_by": "P"})
    assert r.status_code == 409
    assert {c["name"] for c in r.json()["candidates"]} >= {"Paul Partner", "Pia Prospect"}


def test_updating_changes_only_the_given_fields(alice, network):
    url = f"/api/v1/people/{network.paul.pk}"
    r = _call("patch", url, bearer(alice), {"title": "Senior partner", "stage": "productive"})
    body = r.json()
    assert r.status_code == 200
    assert body["title"] == "Senior partner" and body["stage"] == "productive"
    assert body["offers"] == "bookkeeping and tax returns for small firms"
    assert body["stage_history"][-1]["to_stage"] == "productive"


def test_a_bad_update_is_a_400_and_changes_nothing(alice, network):
    r = _call(
        "patch",
        f"/api/v1/people/{network.paul.pk}",
        bearer(alice),
        {"title": "X", "tier": "platinum"},
    )
    assert r.status_code == 400 and r.json()["field"] == "tier"
    network.paul.refresh_from_db()
    assert network.paul.title == ""


def test_deleting_a_person_answers_204_and_then_404(alice, network):
    url = f"/api/v1/people/{network.chen.pk}"
    assert _call("delete", url, bearer(alice)).status_code == 204
    assert _call("get", url, bearer(alice)).status_code == 404
    assert _call("delete", url, bearer(alice)).status_code == 404


def test_logging_and_listing_interactions(alice, network, today):
    url = f"/api/v1/people/{network.pia.pk}/interactions"
    r = _call(
        "post",
        url,
        bearer(alice),
        {"kind": "coffee", "note": "hiring plans", "by": "them", "quality": 5},
    )
    assert r.status_code == 201
    created = r.json()
    assert created["date"] == today.isoformat() and created["initiated_by"] == "them"
    listed = _call("get", url, bearer(alice, "read")).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == created["id"]
    network.pia.refresh_from_db()
    assert network.pia.last_contact == today


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "telepathy"}, 400),
        ({"kind": "call", "date": "2999-01-01"}, 400),
        ({"kind": "call", "by": "someone"}, 400),
        ({"kind": "call", "quality": 9}, 422),
        ({"note": "no kind"}, 422),
    ],
)
def test_bad_interactions_are_refused_and_nothing_is_written(alice, network, body, status):
    r = _call("post", f"/api/v1/people/{network.pia.pk}/interactions", bearer(alice), body)
    assert r.status_code == status and "detail" in r.json()
    assert not Interaction.objects.filter(person=network.pia).exists()


def test_deleting_an_interaction_recomputes_last_contact(alice, network):
    interaction = Interaction.objects.get(person=network.rita)
    assert (
        _call("delete", f"/api/v1/interactions/{interaction.pk}", bearer(alice)).status_code == 204
    )
    network.rita.refresh_from_db()
    assert network.rita.last_contact is None
    assert (
        _call("delete", f"/api/v1/interactions/{interaction.pk}", bearer(alice)).status_code == 404
    )


def test_a_read_token_cannot_write(alice, network):
    h = bearer(alice, "read")
    assert _call("post", "/api/v1/people", h, {"name": "X"}).status_code == 401
    assert _call("delete", f"/api/v1/people/{network.carol.pk}", h).status_code == 401
    assert Person.objects.filter(pk=network.carol.pk).exists()


def test_a_viewer_reads_but_cannot_write_with_a_session_or_a_token(alice, vera, network):
    c = login(vera)
    assert c.get("/api/v1/people").json()["total"] == 7
    r = c.post("/api/v1/people", json.dumps({"name": "X"}), content_type="application/json")
    assert r.status_code in (401, 403)
    assert _call("post", "/api/v1/people", bearer(vera, "read"), {"name": "X"}).status_code == 401
    assert Person.objects.count() == 7


def test_a_member_writes_to_the_shared_workspace(alice, bob):
    r = _call("post", "/api/v1/people", bearer(bob), {"name": "Bob's Contact"})
    assert r.status_code == 201
    assert Person.objects.get(pk=r.json()["id"]).workspace == alice.workspace


def test_another_workspace_gets_404_for_every_person_route(alice, mallory, network):
    h = bearer(mallory)
    pk = network.carol.pk
    interaction = Interaction.objects.get(person=network.carol)
    for method, url, body in [
        ("get", f"/api/v1/people/{pk}", None),
        ("patch", f"/api/v1/people/{pk}", {"name": "pwned"}),
        ("delete", f"/api/v1/people/{pk}", None),
        ("get", f"/api/v1/people/{pk}/interactions", None),
        ("post", f"/api/v1/people/{pk}/interactions", {"kind": "call"}),
        ("delete", f"/api/v1/interactions/{interaction.pk}", None),
    ]:
        r = _call(method, url, h, body)
        assert r.status_code == 404, (method, url)
        assert "Carol" not in r.content.decode()
    assert _call("get", "/api/v1/people", h).json()["total"] == 0
    network.carol.refresh_from_db()
    assert (
        network.carol.name == "Carol Client"
        and Interaction.objects.filter(pk=interaction.pk).exists()
    )


def test_no_token_is_a_401_json(db):
    r = Client().get("/api/v1/people")
    assert r.status_code == 401 and "detail" in r.json()


def test_the_openapi_schema_lists_the_people_and_interaction_routes(db):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/people"]) >= {"get", "post"}
    assert set(paths["/api/v1/people/{person_id}"]) >= {"get", "patch", "delete"}
    assert set(paths["/api/v1/people/{person_id}/interactions"]) >= {"get", "post"}
    assert "delete" in paths["/api/v1/interactions/{interaction_id}"]
    components = schema["components"]["schemas"]
    assert {"PersonCreate", "PersonUpdate", "PersonOut", "PersonDetailOut"} <= set(components)


def test_the_people_api_list_does_not_query_more_with_more_people(
    alice, today, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    h = bearer(alice, "read")
    for i in range(5):
        add_person(actor=alice, data=PersonInput(name=f"Few {i}"), today=today)
    with CaptureQueriesContext(connection) as few:
        assert _call("get", "/api/v1/people?limit=200", h).status_code == 200
    for i in range(80):
        add_person(actor=alice, data=PersonInput(name=f"More {i}", tags=["x"]), today=today)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _call("get", "/api/v1/people?limit=200", h).json()["total"] == 85
