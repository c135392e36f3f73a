"""The people list, adding and editing people, the person page, the quick log form."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from goodwill.db.models import Interaction, Person, StageChange
from goodwill.services.interactions import log_interaction
from goodwill.services.people import PersonInput, add_person

from .conftest import login

pytestmark = pytest.mark.usefixtures("web_today")


def _many(actor, n, today, prefix="Zed"):
    for i in range(n):
        add_person(actor=actor, data=PersonInput(name=f"{prefix} {i:03d}"), today=today)


# --- the list ----------------------------------------------------------------


def test_the_people_list_shows_names_roles_stages_and_health(alice, network):
    r = login(alice).get("/people/")
    page = r.content.decode()
    assert r.status_code == 200
    assert "Carol Client" in page and "Peter Peer" in page
    assert "productive" in page and "referral_source" in page
    assert f"/people/{network.carol.pk}/" in page


def test_searching_finds_people_by_what_they_need(alice, network):
    page = login(alice).get("/people/", {"q": "books"}).content.decode()
    assert "Carol Client" in page and "Peter Peer" not in page


def test_live_search_answers_htmx_with_only_the_results(alice, network):
    r = login(alice).get(
        "/people/", {"q": "Rita"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-results"
    )
    page = r.content.decode()
    assert "Rita Referrer" in page and "<html" not in page and "Carol" not in page


def test_filters_by_stage_role_and_tag(alice, network, today):
    add_person(actor=alice, data=PersonInput(name="Tina Tagged", tags=["golf"]), today=today)
    c = login(alice)
    clients = c.get("/people/", {"role": "client"}).content.decode()
    assert "Bruno Buyer" in clients and "Paul Partner" not in clients
    productive = c.get("/people/", {"stage": "productive"}).content.decode()
    assert "Rita Referrer" in productive and "Pia Prospect" not in productive
    tagged = c.get("/people/", {"tag": "golf"}).content.decode()
    assert "Tina Tagged" in tagged and "Carol" not in tagged


def test_an_unknown_stage_filter_is_a_400_with_the_message(alice, network):
    r = login(alice).get("/people/", {"stage": "bogus"})
    assert r.status_code == 400 and "unknown stage" in r.content.decode()


def test_the_list_is_paginated(alice, today):
    _many(alice, 60, today)
    c = login(alice)
    first = c.get("/people/").content.decode()
    assert "Zed 000" in first and "Zed 049" in first and "Zed 050" not in first
    assert "page 1 of 2" in first and 'rel="next"' in first
    second = c.get("/people/", {"page": "2"}).content.decode()
    assert "Zed 050" in second and "Zed 059" in second and "Zed 000" not in second


def test_the_list_page_does_not_query_more_with_more_people(
    alice, today, django_assert_max_num_queries
):
    _many(alice, 5, today, prefix="Few")
    c = login(alice)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get("/people/")
    _many(alice, 60, today, prefix="More")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get("/people/").status_code == 200


def test_logged_out_visitors_are_sent_to_log_in(db):
    from django.test import Client

    r = Client().get("/people/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


# --- adding and editing ----------------------------------------------------------


def test_adding_a_person_through_the_form_opens_their_page(alice):
    r = login(alice).post(
        "/people/new/",
        {"name": "Nora New", "email": "nora@new.test", "role": "prospect", "needs": "a CFO"},
    )
    nora = Person.objects.get(name="Nora New")
    assert r.status_code == 302 and r["Location"] == f"/people/{nora.pk}/"
    assert nora.workspace == alice.workspace and nora.role == "prospect"


def test_a_bad_email_is_shown_next_to_the_email_field_and_nothing_is_written(alice):
    r = login(alice).post("/people/new/", {"name": "Nora", "email": "not-an-email"})
    page = r.content.decode()
    assert r.status_code == 400
    assert 'id="email-error"' in page and "bad email" in page
    assert 'value="Nora"' in page  # what was typed is kept
    assert not Person.objects.exists()


def test_a_missing_name_is_shown_next_to_the_name_field(alice):
    r = login(alice).post("/people/new/", {"name": "  "})
    assert r.status_code == 400 and 'id="name-error"' in r.content.decode()


def test_editing_changes_the_given_fields(alice, network):
    c = login(alice)
    form = c.get(f"/people/{network.paul.pk}/edit/").content.decode()
    assert "Paul Partner" in form and "bookkeeping" in form
    r = c.post(
        f"/people/{network.paul.pk}/edit/",
        {"name": "Paul Partner", "title": "Senior partner", "tags": "tax, golf"},
    )
    assert r.status_code == 302
    page = c.get(f"/people/{network.paul.pk}/").content.decode()
    assert "Senior partner" in page and "#golf" in page


def test_emptying_a_field_in_the_edit_form_clears_it(alice, network):
    paul = network.paul
    paul.cadence_days, paul.title = 30, "Partner"
    paul.save()
    c = login(alice)
    form = {"name": paul.name, "title": "", "offers": "", "cadence_days": "", "notes": "kept"}
    assert c.post(f"/people/{paul.pk}/edit/", form).status_code == 302
    paul.refresh_from_db()
    assert (paul.title, paul.offers, paul.cadence_days, paul.notes) == ("", "", None, "kept")
    # A field the form does not send stays as it was.
    assert paul.name == "Paul Partner" and paul.role == "partner"


def test_the_api_empties_a_field_given_as_null_or_empty(alice, network):
    from django.test import Client as DjangoClient

    from .conftest import bearer

    paul = network.paul
    paul.cadence_days = 30
    paul.save()
    r = DjangoClient().patch(
        f"/api/v1/people/{paul.pk}",
        json.dumps({"offers": None, "cadence_days": None, "title": ""}),
        content_type="application/json",
        **bearer(alice),
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["offers"], body["cadence_days"], body["title"]) == ("", None, "")
    assert body["needs"] == paul.needs  # left out: unchanged


def test_a_bad_cadence_in_the_edit_form_is_shown_next_to_it(alice, network):
    r = login(alice).post(f"/people/{network.paul.pk}/edit/", {"cadence_days": "-4"})
    assert r.status_code == 400 and 'id="cadence_days-error"' in r.content.decode()


def test_deleting_a_person_removes_them_and_their_interactions(alice, network):
    r = login(alice).post(f"/people/{network.carol.pk}/delete/")
    assert r.status_code == 302 and r["Location"] == "/people/"
    assert not Person.objects.filter(pk=network.carol.pk).exists()
    assert not Interaction.objects.filter(person_id=network.carol.pk).exists()


# --- the person page ---------------------------------------------------------------


def test_the_person_page_shows_needs_health_components_and_timeline(alice, network):
    r = login(alice).get(f"/people/{network.carol.pk}/")
    page = r.content.decode()
    assert r.status_code == 200
    assert "need help with my books before the audit" in page
    assert "quarterly review" in page  # the timeline
    assert "Health" in page and "recency" in page
    assert f"/team/knows-best/{network.carol.pk}/" in page


def test_the_person_page_links_the_introducer(alice, network):
    page = login(alice).get(f"/people/{network.bruno.pk}/").content.decode()
    assert f'href="/people/{network.rita.pk}/"' in page and "Rita Referrer" in page


def test_an_unknown_person_is_a_404(alice, network):
    assert login(alice).get("/people/999999/").status_code == 404


def test_the_quick_log_form_appends_to_the_timeline_without_a_reload(alice, network, today):
    r = login(alice).post(
        f"/people/{network.pia.pk}/log/",
        {"kind": "coffee", "note": "talked about her hiring plans", "quality": "4"},
        HTTP_HX_REQUEST="true",
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert 'id="quick-log"' in page and 'hx-swap-oob="true"' in page
    assert "talked about her hiring plans" in page and "<html" not in page
    network.pia.refresh_from_db()
    assert network.pia.last_contact == today
    assert Interaction.objects.get(person=network.pia).quality == 4


def test_a_quick_log_with_a_future_date_shows_the_error_and_writes_nothing(alice, network, today):
    future = (today + dt.timedelta(days=3)).isoformat()
    r = login(alice).post(
        f"/people/{network.pia.pk}/log/", {"kind": "call", "date": future}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 400 and "in the future" in r.content.decode()
    assert "hx-swap-oob" not in r.content.decode()
    assert not Interaction.objects.filter(person=network.pia).exists()


def test_a_quick_log_without_htmx_redirects_back_to_the_person(alice, network):
    r = login(alice).post(f"/people/{network.pia.pk}/log/", {"kind": "email"})
    assert r.status_code == 302 and r["Location"] == f"/people/{network.pia.pk}/"


def test_each_interaction_on_the_timeline_links_to_its_own_delete(alice, network, today):
    from django.urls import reverse

    pia = network.pia
    for note in ("first", "second", "third"):
        log_interaction(actor=alice, person=pia, kind="call", today=today, note=note)
    page = login(alice).get(f"/people/{pia.pk}/").content.decode()
    ids = Interaction.objects.filter(person=pia).values_list("id", flat=True)
    assert len(ids) == 3
    for interaction_id in ids:
        url = reverse("interaction-delete", args=[pia.pk, interaction_id])
        assert page.count(f'action="{url}"') == page.count(f'hx-post="{url}"') == 1


def test_deleting_an_interaction_recomputes_the_last_contact(alice, network):
    carol = network.carol
    interaction = Interaction.objects.get(person=carol)
    r = login(alice).post(
        f"/people/{carol.pk}/interactions/{interaction.pk}/delete/", HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "quarterly review" not in r.content.decode()
    carol.refresh_from_db()
    assert carol.last_contact is None


def test_changing_the_stage_records_it_in_the_history(alice, network, today):
    r = login(alice).post(
        f"/people/{network.pia.pk}/stage/",
        {"stage": "connected", "reason": "met at the fair"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "met at the fair" in r.content.decode()
    change = StageChange.objects.filter(person=network.pia).latest("id")
    assert (change.from_stage, change.to_stage, change.date) == ("identified", "connected", today)


def test_letting_go_without_a_reason_is_refused_next_to_the_reason(alice, network):
    r = login(alice).post(
        f"/people/{network.pia.pk}/stage/", {"stage": "let_go"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 400 and "needs a reason" in r.content.decode()
    network.pia.refresh_from_db()
    assert network.pia.stage == "identified"


def test_a_viewer_sees_people_but_no_forms_and_cannot_write(alice, vera, network):
    c = login(vera)
    page = c.get(f"/people/{network.carol.pk}/").content.decode()
    assert "Carol Client" in page and "quick-log" not in page and "Delete" not in page
    assert c.post(f"/people/{network.carol.pk}/log/", {"kind": "call"}).status_code == 403
    assert c.post("/people/new/", {"name": "X"}).status_code == 403
    assert not Interaction.objects.filter(person=network.carol, kind="call").exists()


def test_staff_see_people_in_the_admin_and_members_do_not(alice, network):
    from django.test import Client

    assert login(alice).get("/admin/goodwill/person/").status_code == 302  # not staff
    alice.user.is_staff = alice.user.is_superuser = True
    alice.user.save()
    staff = Client()
    staff.force_login(alice.user, backend="goodwill.services.accounts.UserBackend")
    page = staff.get("/admin/goodwill/person/").content.decode()
    assert "Carol Client" in page
    change = staff.get(f"/admin/goodwill/person/{network.carol.pk}/change/")
    assert change.status_code == 200
    assert staff.get("/admin/goodwill/apitoken/add/").content.decode().count("key_hash") == 0
