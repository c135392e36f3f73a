"""Funnel, events and targets pages and API: rendering, htmx writes, viewers, isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from goodwill.db.models import Event, EventMet, Person
from goodwill.services.events import NewPerson, add_event, record_met
from goodwill.services.interactions import log_interaction
from goodwill.services.team import create_token


@pytest.fixture(autouse=True)
def pinned(monkeypatch, today):
    for module in ("goodwill.web.views.funnel", "goodwill.web.api.funnel"):
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


def an_event(alice, today, **kw):
    kw.setdefault("name", "Fintech Summit")
    kw.setdefault("date", today - dt.timedelta(days=1))
    return add_event(actor=alice, today=today, **kw)


def test_the_funnel_page_draws_an_svg_funnel_with_a_table_and_suggested_moves(alice, network):
    page = client_for(alice).get("/funnel/?by=role").content.decode()
    assert "<svg" in page and "funnel-bar" in page
    assert "conversion to next" in page
    assert "role = client" in page
    assert "Peter Peer" in page and "Apply" in page  # quiet for 400 days: consider letting go
    assert "style=" not in page  # the CSP forbids inline styles


def test_applying_a_move_with_htmx_changes_the_stage_and_answers_the_row(alice, network):
    r = client_for(alice).post(
        "/funnel/apply/",
        {"person_id": network.peter.pk, "stage": "let_go", "reason": "quiet for a year"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert "moved to" in r.content.decode()
    assert Person.objects.get(pk=network.peter.pk).stage == "let_go"


def test_a_move_without_a_reason_to_let_go_shows_the_error_and_changes_nothing(alice, network):
    r = client_for(alice).post(
        "/funnel/apply/",
        {"person_id": network.peter.pk, "stage": "let_go", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 400 and "needs a reason" in r.content.decode()
    assert Person.objects.get(pk=network.peter.pk).stage == "connected"


def test_viewers_see_pages_but_cannot_apply_add_or_capture(alice, vera, network, today):
    e = an_event(alice, today)
    c = client_for(vera)
    for url in ("/funnel/", "/events/", f"/events/{e.pk}/", "/targets/"):
        assert c.get(url).status_code == 200, url
    assert "Apply" not in c.get("/funnel/").content.decode()
    assert (
        c.post("/funnel/apply/", {"person_id": network.peter.pk, "stage": "nurturing"}).status_code
        == 403
    )
    assert c.post("/events/", {"name": "X", "date": "2026-11-01"}).status_code == 403
    assert c.post(f"/events/{e.pk}/met/", {"name": "Dana"}).status_code == 403
    assert Event.objects.count() == 1 and not EventMet.objects.exists()


def test_other_workspaces_get_404_for_events_and_moves(alice, mallory, network, today):
    e = an_event(alice, today)
    c = client_for(mallory)
    assert c.get(f"/events/{e.pk}/").status_code == 404
    assert c.post(f"/events/{e.pk}/met/", {"name": "Dana"}).status_code == 404
    assert (
        c.post("/funnel/apply/", {"person_id": network.peter.pk, "stage": "nurturing"}).status_code
        == 404
    )
    assert "Fintech Summit" not in c.get("/events/").content.decode()


def test_adding_an_event_redirects_to_it_and_errors_show_next_to_the_field(alice, network):
    c = client_for(alice)
    r = c.post(
        "/events/", {"name": "Expo", "date": "2026-12-01", "target_criteria": "industry=x bad"}
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "field-error" in page and "&#x27;bad&#x27;" in page
    assert 'value="Expo"' in page  # what was typed is kept
    r = c.post("/events/", {"name": "Expo", "date": "2026-12-01", "targets": "Carol; Paul"})
    event = Event.objects.get()
    assert r.status_code == 302 and r.url == f"/events/{event.pk}/"
    page = c.get(r.url).content.decode()
    assert "Carol Client" in page and "Paul Partner" in page


def test_capturing_a_new_person_at_the_event_takes_one_post(alice, network, today):
    e = an_event(alice, today)
    c = client_for(alice)
    r = c.post(
        f"/events/{e.pk}/met/",
        {"name": "Dana Diaz", "organization": "Payco", "q_interesting": "yes", "q_enjoy": "no"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert "Saved Dana Diaz" in r.content.decode()
    dana = Person.objects.get(name="Dana Diaz")
    assert (dana.source, dana.q_interesting, dana.q_enjoy, dana.q_mutual_business) == (
        "event",
        True,
        False,
        None,
    )
    r = c.post(f"/events/{e.pk}/met/", {"existing": "Carol"}, HTTP_HX_REQUEST="true")
    assert "Saved Carol Client" in r.content.decode()
    r = c.post(f"/events/{e.pk}/met/", {"existing": "nobody"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "field-error" in r.content.decode()
    assert EventMet.objects.filter(event=e).count() == 2


def test_the_event_page_shows_prep_and_the_report(alice, network, today):
    e = an_event(alice, today, targets=["Carol"])
    record_met(actor=alice, today=today, event=e, people=["Paul"], new=[NewPerson("Dana")])
    page = client_for(alice).get(f"/events/{e.pk}/").content.decode()
    assert "Carol Client" in page and "help with my books" in page
    assert "Met <strong>2</strong>" in page


def test_the_targets_page_says_when_there_is_too_little_data(alice, network):
    page = client_for(alice).get("/targets/").content.decode()
    assert "too little data" in page and "Pia Prospect" in page


def test_the_api_reports_the_funnel_and_targets(alice, network):
    c = Client()
    r = c.get("/api/v1/funnel?by=source&suggest=true", **bearer(alice, "read"))
    assert r.status_code == 200
    body = r.json()
    assert [s["stage"] for s in body["stages"]][0] == "identified"
    assert "introduction" in body["groups"] and body["suggestions"]
    t = c.get("/api/v1/targets", **bearer(alice, "read")).json()
    assert set(t) >= {"criteria", "prospects", "message"}
    assert c.get("/api/v1/funnel?by=colour", **bearer(alice, "read")).status_code == 400


def test_the_api_plans_an_event_records_people_met_and_reports(alice, network, today):
    c = Client()
    auth = bearer(alice)
    r = c.post(
        "/api/v1/events",
        {"name": "Expo", "date": "2026-11-20", "target_criteria": "role=client"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201, r.content
    event_id = r.json()["id"]
    r = c.post(
        f"/api/v1/events/{event_id}/met",
        {"people": ["Carol"], "new": [{"name": "Dana Diaz", "q_mutual_business": True}]},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201, r.content
    report = c.get(f"/api/v1/events/{event_id}/report", **auth).json()
    assert (report["met"], report["new_people"]) == (2, 1)
    detail = c.get(f"/api/v1/events/{event_id}", **auth).json()
    assert {m["person"]["name"] for m in detail["prep"]["matches"]} >= {"Bruno Buyer"}
    bad = c.post(
        "/api/v1/events", {"name": "X", "date": "someday"}, content_type="application/json", **auth
    )
    assert bad.status_code == 400 and "bad date" in bad.json()["detail"]
    r = c.post(
        "/api/v1/funnel/moves",
        {"person_id": network.peter.pk, "stage": "let_go"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400
    assert c.get("/api/v1/events", **bearer(alice, "read")).status_code == 200


def test_the_api_hides_other_workspaces_events(alice, mallory, today):
    e = an_event(alice, today)
    c = Client()
    assert c.get(f"/api/v1/events/{e.pk}", **bearer(mallory)).status_code == 404
    r = c.post(
        f"/api/v1/events/{e.pk}/met",
        {"new": [{"name": "X"}]},
        content_type="application/json",
        **bearer(mallory),
    )
    assert r.status_code == 404
    assert c.get("/api/v1/events", **bearer(mallory)).json() == []


def test_a_read_token_cannot_write(alice, today):
    r = Client().post(
        "/api/v1/events",
        {"name": "X", "date": "2026-11-20"},
        content_type="application/json",
        **bearer(alice, "read"),
    )
    assert r.status_code in (401, 403)
    assert not Event.objects.exists()


def test_the_event_page_works_even_with_a_follow_up_logged(alice, network, today):
    e = an_event(alice, today)
    record_met(actor=alice, today=today, event=e, new=[NewPerson("Dana")])
    log_interaction(actor=alice, person=Person.objects.get(name="Dana"), kind="email", today=today)
    page = client_for(alice).get(f"/events/{e.pk}/").content.decode()
    assert "followed up within a week: 1" in page
