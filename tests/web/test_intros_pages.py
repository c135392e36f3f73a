"""Introductions page and API: suggestions, accept / dismiss (htmx), status changes,
warm paths, viewers, and other workspaces."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from goodwill.db.models import Favour, Introduction
from goodwill.services.intros import record_introduction
from goodwill.services.team import create_token

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def pinned(monkeypatch, today):
    for module in ("goodwill.web.views.intros", "goodwill.web.api.intros"):
        monkeypatch.setattr(f"{module}.web_today", lambda: today)


def client_for(actor) -> Client:
    c = Client()
    c.force_login(actor.user, backend="goodwill.services.accounts.UserBackend")
    session = c.session
    session["workspace_id"] = actor.workspace.pk
    session.save()
    return c


def bearer(actor, scope="write") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(actor=actor, scope=scope).raw}"}


def test_the_page_shows_carols_need_met_by_paul_with_the_shared_terms(alice, network):
    r = client_for(alice).get("/intros/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Carol Client" in body and "Paul Partner" in body and "accounting" in body
    assert "intros.css" in body and "style=" not in body


def test_accepting_a_suggestion_records_it_as_asked_and_answers_htmx_a_fragment(alice, network):
    r = client_for(alice).post(
        "/intros/accept/",
        {"a": network.carol.pk, "b": network.paul.pk, "status": "asked", "reason": "books"},
        **HTMX,
    )
    assert r.status_code == 200 and "<html" not in r.content.decode()
    intro = Introduction.objects.get()
    assert (intro.a_id, intro.b_id, intro.status, intro.reason) == (
        network.carol.pk,
        network.paul.pk,
        "asked",
        "books",
    )


def test_dismissing_a_suggestion_hides_it_from_the_page(alice, network):
    c = client_for(alice)
    c.post("/intros/dismiss/", {"a": network.carol.pk, "b": network.paul.pk}, **HTMX)
    assert Introduction.objects.get().dismissed
    assert (
        f"suggestion-{network.carol.pk}-{network.paul.pk}" not in c.get("/intros/").content.decode()
    )


def test_marking_an_introduction_made_on_the_page_creates_the_favours(alice, network, today):
    intro = record_introduction(actor=alice, a=network.carol, b=network.paul, today=today)
    r = client_for(alice).post(
        f"/introductions/{intro.pk}/", {"status": "made", "outcome": "met"}, **HTMX
    )
    assert r.status_code == 200 and "made" in r.content.decode()
    assert Favour.objects.filter(introduction=intro).count() == 2


def test_a_bad_status_is_shown_next_to_the_form(alice, network, today):
    intro = record_introduction(actor=alice, a=network.carol, b=network.paul, today=today)
    r = client_for(alice).post(f"/introductions/{intro.pk}/", {"status": "maybe"}, **HTMX)
    assert r.status_code == 400 and "unknown status" in r.content.decode()


def test_the_warm_path_form_shows_the_chain_and_errors_next_to_the_field(alice, network):
    c = client_for(alice)
    body = c.get("/intros/path/", {"to": "Chen"}).content.decode()
    assert body.index("Rita Referrer") < body.index("Bruno Buyer") < body.rindex("Chen Customer")
    r = c.get("/intros/path/", {"to": "nobody-like-this"})
    assert r.status_code == 400 and 'aria-invalid="true"' in r.content.decode()


def test_a_viewer_sees_the_page_but_cannot_accept(vera, network):
    c = client_for(vera)
    assert c.get("/intros/").status_code == 200
    r = c.post("/intros/accept/", {"a": network.carol.pk, "b": network.paul.pk}, **HTMX)
    assert r.status_code == 403 and not Introduction.objects.exists()


def test_another_workspace_gets_404_for_introductions_and_people(alice, mallory, network, today):
    intro = record_introduction(actor=alice, a=network.carol, b=network.paul, today=today)
    c = client_for(mallory)
    assert c.get(f"/introductions/{intro.pk}/").status_code == 404
    assert (
        c.post("/intros/accept/", {"a": network.carol.pk, "b": network.paul.pk}).status_code == 404
    )
    assert "Carol" not in c.get("/intros/").content.decode()
    api = Client()
    assert api.get(f"/api/v1/introductions/{intro.pk}", **bearer(mallory)).status_code == 404
    assert api.get(f"/api/v1/path/{network.chen.pk}", **bearer(mallory)).status_code == 404


def test_the_api_suggests_records_updates_and_finds_paths(alice, network):
    api = Client()
    auth = bearer(alice)
    found = api.get("/api/v1/intros", **auth).json()
    assert any(s["a"]["id"] == network.carol.pk and s["b"]["id"] == network.paul.pk for s in found)
    assert {"a", "b", "score", "need", "offer", "why", "shared_terms"} <= set(found[0])
    r = api.post(
        "/api/v1/introductions",
        data=json.dumps({"a": "carol@acme.test", "b": "paul@partners.test", "status": "asked"}),
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201
    intro_id = r.json()["id"]
    r = api.patch(
        f"/api/v1/introductions/{intro_id}",
        data=json.dumps({"status": "made", "outcome": "they met"}),
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200 and r.json()["status"] == "made"
    assert [i["id"] for i in api.get("/api/v1/introductions", **auth).json()] == [intro_id]
    path = api.get(f"/api/v1/path/{network.chen.pk}", **auth).json()
    assert [s["name"] for s in path["path"]][-1] == "Chen Customer" and path["strength"] > 0


def test_the_api_answers_bad_input_with_4xx_never_500(alice, network):
    api = Client()
    auth = bearer(alice)
    same = {"a": "carol@acme.test", "b": "carol@acme.test"}
    r = api.post(
        "/api/v1/introductions", data=json.dumps(same), content_type="application/json", **auth
    )
    assert r.status_code == 400 and "themself" in r.json()["detail"]
    bad = {"a": "carol@acme.test", "b": "paul@partners.test", "status": "maybe"}
    r = api.post(
        "/api/v1/introductions", data=json.dumps(bad), content_type="application/json", **auth
    )
    assert r.status_code == 400
    assert api.get("/api/v1/introductions/999999", **auth).status_code == 404
    read_only = bearer(alice, scope="read")
    ok = {"a": "carol@acme.test", "b": "paul@partners.test"}
    r = api.post(
        "/api/v1/introductions", data=json.dumps(ok), content_type="application/json", **read_only
    )
    assert r.status_code == 401 and not Introduction.objects.exists()


def test_made_introductions_due_for_follow_up_are_flagged_on_the_page(alice, network, today):
    record_introduction(
        actor=alice,
        a=network.carol,
        b=network.paul,
        today=today,
        status="made",
        date=today - dt.timedelta(days=20),
    )
    assert "follow up" in client_for(alice).get("/intros/").content.decode()


def test_the_page_shows_the_latest_recorded_introductions_and_a_link_to_all(alice, network, today):
    from goodwill.db.models import Person
    from goodwill.web.views.intros import RECORDED_SHOWN

    people = [
        Person.objects.create(
            workspace=alice.workspace, name=f"Intro Person {i}", created_on=today, stage_since=today
        )
        for i in range(RECORDED_SHOWN + 6)
    ]
    Introduction.objects.bulk_create(
        Introduction(
            workspace=alice.workspace,
            a=p,
            b=network.paul,
            reason=f"reason {i}",
            suggested_on=today - dt.timedelta(days=i),
            status="asked",
        )  # fmt: skip
        for i, p in enumerate(people)
    )
    c = client_for(alice)
    page = c.get("/intros/").content.decode()
    assert f"The latest {RECORDED_SHOWN} of {RECORDED_SHOWN + 6}" in page
    assert "Intro Person 0<" in page and f"Intro Person {RECORDED_SHOWN + 5}<" not in page
    every = c.get("/intros/?all=1").content.decode()
    assert f"Intro Person {RECORDED_SHOWN + 5}<" in every and "Show all" not in every
