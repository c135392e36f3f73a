"""The dashboard, one-click done/skip/snooze, the overdue page, the calendar feed, the plan API."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from icalendar import Calendar

from goodwill.db.models import Commitment, PlanEntry
from goodwill.services import signals
from goodwill.services.calendar import create_feed, revoke_feeds
from goodwill.services.team import create_token


@pytest.fixture(autouse=True)
def pinned(monkeypatch, today, settings):
    """Fix the web's today and leave other areas' signal providers out."""
    monkeypatch.setattr("goodwill.web.views.plan.web_today", lambda: today)
    monkeypatch.setattr("goodwill.web.api.plan.web_today", lambda: today)
    monkeypatch.setattr(signals, "PROVIDERS", [])


def _client(actor) -> Client:
    c = Client()
    c.force_login(actor.user, backend="goodwill.services.accounts.UserBackend")
    session = c.session
    session["workspace_id"] = actor.workspace.pk
    session.save()
    return c


def _bearer(actor, scope="write") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(actor=actor, scope=scope).raw}"}


def test_the_dashboard_shows_todays_plan_streak_heat_map_and_who_is_going_quiet(network, alice):
    page = _client(alice).get("/").content.decode()
    assert "Reach out today" in page and "Carol Client" in page
    assert "silent for 60 days" in page
    assert page.count("<rect") >= 7 * 11 and "streak" in page.lower()
    assert "Going quiet" in page and "at risk" in page


def test_the_dashboard_needs_a_login(db):
    assert Client().get("/").status_code == 302


def test_done_from_the_dashboard_answers_htmx_with_the_updated_plan(network, alice):
    c = _client(alice)
    c.get("/")
    r = c.post(f"/plan/{network.carol.pk}/done/", {"note": "called"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert 'id="plan"' in r.content.decode() and "<html" not in r.content.decode()
    assert PlanEntry.objects.get(person=network.carol).status == "done"


def test_skip_replaces_the_suggestion(network, alice):
    c = _client(alice)
    c.get("/")
    first = PlanEntry.objects.get().person_id
    r = c.post(f"/plan/{first}/skip/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    suggested = PlanEntry.objects.filter(status="suggested").values_list("person_id", flat=True)
    assert list(suggested) and first not in suggested


def test_a_bad_snooze_shows_the_error_and_changes_nothing(network, alice):
    r = _client(alice).post(
        f"/plan/{network.carol.pk}/snooze/", {"days": "-3"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 400 and "positive whole number" in r.content.decode()
    assert not PlanEntry.objects.filter(status="snoozed").exists()


def test_without_htmx_an_action_redirects_to_the_dashboard(network, alice):
    r = _client(alice).post(f"/plan/{network.carol.pk}/snooze/", {"days": "3"})
    assert r.status_code == 302 and PlanEntry.objects.get().status == "snoozed"


def test_a_viewer_sees_the_plan_without_buttons_and_cannot_act(network, vera):
    c = _client(vera)
    page = c.get("/").content.decode()
    assert "Carol Client" in page and "/done/" not in page
    assert c.post(f"/plan/{network.carol.pk}/done/").status_code == 403


def test_another_workspaces_person_is_not_found(network, mallory):
    assert _client(mallory).post(f"/plan/{network.carol.pk}/skip/").status_code == 404


def test_the_overdue_page_lists_clients_first(network, alice):
    page = _client(alice).get("/overdue/").content.decode()
    assert "Carol Client" in page and "Overdue" in page


def test_the_calendar_feed_serves_icalendar_until_revoked(network, alice):
    feed = create_feed(actor=alice)
    r = Client().get(feed.path)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    assert any("Carol Client" in str(e.get("summary")) for e in cal.walk("VEVENT"))
    revoke_feeds(actor=alice)
    assert Client().get(feed.path).status_code == 404
    assert Client().get("/calendar/cal_nonsense.ics").status_code == 404


def test_the_api_gives_todays_plan_in_the_contract_shape(network, alice):
    r = Client().get("/api/v1/plan/today?count=2", **_bearer(alice, "read"))
    body = r.json()
    assert r.status_code == 200 and set(body) >= {"date", "streak", "items"}
    item = body["items"][0]
    assert set(item) >= {"person", "score", "reasons", "action"}
    assert set(item["person"]) >= {"id", "name"}


@pytest.mark.parametrize("query", ["count=0", "count=x", "date=tomorrowish"])
def test_the_api_refuses_bad_plan_queries_with_4xx(alice, query):
    r = Client().get(f"/api/v1/plan/today?{query}", **_bearer(alice, "read"))
    assert 400 <= r.status_code < 500 and "detail" in r.json()


def test_the_api_acts_on_the_plan(network, alice):
    c, auth = Client(), _bearer(alice)
    post = lambda url, body: c.post(url, json.dumps(body), content_type="application/json", **auth)  # noqa: E731
    assert post("/api/v1/plan/done", {"person": "Carol", "kind": "call"}).json() == {"ok": True}
    assert post("/api/v1/plan/skip", {"person": "paul@partners.test"}).status_code == 200
    assert post("/api/v1/plan/snooze", {"person": "Rita", "days": "0"}).status_code == 400
    assert post("/api/v1/plan/snooze", {"person": "Rita", "days": "4"}).status_code == 200
    assert post("/api/v1/plan/skip", {"person": "nobody at all"}).status_code == 404


def test_a_read_token_cannot_act(network, alice):
    r = Client().post(
        "/api/v1/plan/done", json.dumps({"person": "Carol"}), content_type="application/json",
        **_bearer(alice, "read"),
    )  # fmt: skip
    assert r.status_code == 401


def test_the_api_lists_overdue_and_handles_commitments(network, alice, mallory):
    c, auth = Client(), _bearer(alice)
    late = c.get("/api/v1/overdue", **auth).json()
    assert late[0]["person"]["name"] == "Carol Client"
    assert set(late[0]) >= {"person", "role", "days_since", "cadence_days", "overdue_days"}
    r = c.post(
        "/api/v1/commitments",
        json.dumps({"person": "Paul", "description": "send deck", "due": "2026-11-20"}),
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201
    cid = r.json()["id"]
    assert c.get("/api/v1/commitments", **auth).json()[0]["status"] == "overdue"
    kept = c.post(f"/api/v1/commitments/{cid}/keep", "{}", content_type="application/json", **auth)
    assert kept.json()["status"] == "late"
    other = c.post(
        f"/api/v1/commitments/{cid}/keep", "{}", content_type="application/json",
        **_bearer(mallory),
    )  # fmt: skip
    assert other.status_code == 404
    assert Commitment.objects.get().kept_on is not None
