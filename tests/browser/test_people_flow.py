"""Log in, add a person, log an interaction through the quick form, see it on the timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from goodwill.db.models import Interaction, Person

pytestmark = pytest.mark.browser


def test_adding_a_person_and_logging_an_interaction_shows_it_on_the_timeline(
    live_server, logged_in
):
    page = logged_in
    page.goto(f"{live_server.url}/people/new/")
    page.fill("input[name=name]", "Nora Network")
    page.fill("input[name=email]", "nora@network.test")
    page.fill("input[name=organization]", "Northwind")
    page.select_option("select[name=role]", "prospect")
    page.fill("textarea[name=needs]", "looking for a bookkeeper before the audit")
    page.click("text=Add person")
    expect(page.locator("h2")).to_have_text("Nora Network")
    nora = Person.objects.get(name="Nora Network")
    assert page.url.endswith(f"/people/{nora.pk}/")

    page.evaluate("window.notReloaded = true")
    page.select_option("#quick-log select[name=kind]", "coffee")
    page.select_option("#quick-log select[name=quality]", "4")
    page.fill("#quick-log input[name=note]", "Talked about her hiring plans")
    page.click("#quick-log button[type=submit]")
    expect(page.locator("#timeline")).to_contain_text("Talked about her hiring plans")
    expect(page.locator("#timeline")).to_contain_text("coffee")
    assert page.evaluate("window.notReloaded") is True  # htmx, no reload
    expect(page.locator("#quick-log input[name=note]")).to_have_value("")  # ready for the next
    assert Interaction.objects.get(person=nora).quality == 4
    page.screenshot(path="/tmp/goodwill-person-page.png", full_page=True)


def test_a_bad_date_in_the_quick_form_is_shown_next_to_it(live_server, logged_in, network):
    page = logged_in
    page.goto(f"{live_server.url}/people/{network.pia.pk}/")
    page.fill("#quick-log input[name=date]", "31/12/2020")
    page.click("#quick-log button[type=submit]")
    expect(page.locator("#quick-log .field-error")).to_contain_text("bad date")
    expect(page.locator("#quick-log input[name=date]")).to_have_value("31/12/2020")
    assert not Interaction.objects.filter(person=network.pia).exists()


def test_live_search_narrows_the_people_list_as_you_type(live_server, logged_in, network):
    page = logged_in
    page.goto(f"{live_server.url}/people/")
    expect(page.locator("#people-results")).to_contain_text("Carol Client")
    page.fill("input[name=q]", "bookkeeping")
    expect(page.locator("#people-results")).not_to_contain_text("Carol Client")
    expect(page.locator("#people-results")).to_contain_text("Paul Partner")
    assert re.search(r"q=bookkeeping", page.url)  # the search is in the address bar
    page.screenshot(path="/tmp/goodwill-people-list.png", full_page=True)
