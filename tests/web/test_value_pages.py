"""Web pages and API routes of the value area: ledger, deals, review, favours."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from goodwill.db.models import Deal, Favour
from goodwill.services.deals import add_deal
from goodwill.services.team import create_token


def login(actor) -> Client:
    c = Client()
    c.force_login(actor.user, backend="goodwill.services.accounts.UserBackend")
    s = c.session
    s["workspace_id"] = actor.workspace.pk
    s.save()
    return c


@pytest.fixture
def deals(alice, network):
    today = dt.date.today()
    add_deal(actor=alice, client=network.bruno, amount="1200", referrer="Rita", today=today)
    add_deal(actor=alice, client=network.carol, amount="300", origin="repeat", today=today)
    return network


def test_the_review_page_shows_totals_and_svg_charts(alice, deals):
    r = login(alice).get("/review/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "1500.00 USD" in html and "<svg" in html and 'class="bar"' in html
    assert "Rita Referrer" in html and "Not thanked yet" in html


def test_the_deals_page_lists_deals_and_the_add_form_shows_errors_next_to_fields(alice, deals):
    c = login(alice)
    assert "Bruno Buyer" in c.get("/deals/").content.decode()
    before = Deal.objects.count()
    r = c.post("/deals/add/", {"client": "Carol", "amount": "12", "origin": "referral"})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'name="referrer" value="" placeholder="who referred it" aria-invalid="true"' in html
    assert "needs a referrer" in html
    assert Deal.objects.count() == before
    r = c.post("/deals/add/", {"client": "Carol", "amount": "12.50", "currency": "GBP"})
    assert r.status_code == 302 and Deal.objects.filter(currency="GBP").count() == 1


def test_marking_a_deal_lost_from_the_deals_page_removes_its_referral_favour(alice, deals):
    d = Deal.objects.get(referrer=deals.rita)
    r = login(alice).post(f"/deals/{d.pk}/status/", {"status": "lost"})
    assert r.status_code == 302 and not Favour.objects.filter(deal=d).exists()


def test_the_ledger_page_records_a_favour_and_shows_errors(alice, deals):
    c = login(alice)
    assert "Rita Referrer" in c.get("/ledger/").content.decode()
    r = c.post("/ledger/favours/", {"person": "Nobody", "direction": "gave", "kind": "advice"})
    assert r.status_code == 400 and "no person matches" in r.content.decode()
    r = c.post("/ledger/favours/", {"person": "Paul", "direction": "gave", "kind": "advice"})
    assert r.status_code == 302
    assert "Paul Partner" in c.get("/ledger/").content.decode()


def test_a_viewer_sees_the_pages_but_cannot_add(vera, deals):
    c = login(vera)
    assert c.get("/deals/").status_code == 200
    assert "Add a deal" not in c.get("/deals/").content.decode()
    assert c.post("/deals/add/", {"client": "Carol", "amount": "1"}).status_code == 403


def test_another_workspace_gets_404_for_a_deal(mallory, deals):
    d = Deal.objects.first()
    assert login(mallory).post(f"/deals/{d.pk}/status/", {"status": "won"}).status_code == 404
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(actor=mallory, scope='write').raw}")
    assert api.get(f"/api/v1/deals/{d.pk}").status_code == 404


def test_the_api_adds_deals_and_answers_bad_input_with_4xx_json(alice, deals):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(actor=alice, scope='write').raw}")
    ok = api.post(
        "/api/v1/deals", {"client": "Chen", "amount": "400", "referrer": "Bruno"},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 201 and ok.json()["repeat"] is False
    for body, field in (
        ({"client": "Chen", "amount": "-1"}, "amount"),
        ({"client": "Chen", "amount": "1", "currency": "ZZZ"}, "currency"),
        ({"client": "Chen", "amount": "1", "origin": "referral"}, "referrer"),
        ({"client": "Chen", "amount": "1", "referrer": "Chen"}, "referrer"),
    ):
        r = api.post("/api/v1/deals", body, content_type="application/json")
        assert r.status_code == 400 and r.json()["field"] == field, body
    assert api.post("/api/v1/deals", {}, content_type="application/json").status_code == 422
    review = api.get("/api/v1/review").json()
    assert review["total"] == 1900 and review["by_origin"]["referral"]["total"] == 1600
    assert api.get("/api/v1/review?year=5").status_code == 400
    assert api.get("/api/v1/ledger").json()[0]["person"]["name"]
    assert "network" in api.get("/api/v1/ledger/summary").json()
    assert api.get("/api/v1/thanks").json()[0]["referrer"]["name"]
    csv = api.get("/api/v1/deals.csv")
    assert csv["Content-Type"].startswith("text/csv") and csv.content.count(b"\n") == 4
    fav = api.post(
        "/api/v1/favours", {"person": "Paul", "direction": "gave", "kind": "advice"},
        content_type="application/json",
    )  # fmt: skip
    assert fav.status_code == 201


def test_a_read_token_cannot_write_through_the_value_api(alice, deals):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(actor=alice, scope='read').raw}")
    r = api.post(
        "/api/v1/deals", {"client": "Chen", "amount": "1"}, content_type="application/json"
    )
    assert r.status_code == 401
    assert api.get("/api/v1/deals").status_code == 200


def test_the_ledger_is_shown_a_page_of_people_at_a_time(alice, today):
    from goodwill.db.models import Favour, Person
    from goodwill.web.views.value import LEDGER_PAGE

    people = Person.objects.bulk_create(
        Person(workspace=alice.workspace, name=f"Giver {i:03}", created_on=today, stage_since=today)
        for i in range(LEDGER_PAGE + 5)
    )
    Favour.objects.bulk_create(
        Favour(workspace=alice.workspace, person=p, direction="received", kind="advice", date=today)
        for p in people
        for _ in range(3)
    )
    c = login(alice)
    first = c.get("/ledger/").content.decode()
    assert f"people 1–{LEDGER_PAGE} of {LEDGER_PAGE + 5}" in first and "page=2" in first
    second = c.get("/ledger/?page=2&flag=only_taking").content.decode()
    assert f"people {LEDGER_PAGE + 1}–{LEDGER_PAGE + 5} of {LEDGER_PAGE + 5}" in second
    assert "page=1" in second and "flag=only_taking" in second
    assert c.get("/ledger/?page=zzz").status_code == 200
