"""The event scenario through the CLI: plan with criteria, prep, meet, follow up, report."""

from __future__ import annotations

from goodwill.db.models import Event, EventMet, Person


def test_an_event_from_criteria_to_report(cli, alice):
    assert cli("add", "Fiona Fintech", "--industry", "fintech", "--title", "CFO").code == 0
    assert cli("add", "Rob Retail", "--industry", "retail", "--title", "CFO").code == 0
    r = cli(
        "event", "add", "Fintech Summit", "--date", "2026-11-20",
        "--location", "Hall 4", "--target-criteria", "industry=fintech role=cfo", "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    event_id = r.json["id"]

    prep = cli("event", "prep", "summit", "--json").json
    assert [m["person"]["name"] for m in prep["matches"]] == ["Fiona Fintech"]

    r = cli(
        "event", "met", str(event_id), "--new", "Dana Diaz, Payco, CFO", "--new", "Eli Ek",
        "--interesting", "yes", "--mutual", "no", "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert [p["was_new"] for p in r.json["recorded"]] == [True, True]
    dana = Person.objects.get(name="Dana Diaz")
    assert (dana.source, dana.organization.name, dana.title) == ("event", "Payco", "CFO")
    assert (dana.q_interesting, dana.q_mutual_business, dana.q_enjoy) == (True, False, None)

    # the plan's event provider asks to follow up with both new people
    from goodwill.services.context import local_actor
    from goodwill.services.events import signals

    follow = {s.person_id for s in signals(actor=local_actor(), today=Event.objects.get().date)}
    assert follow == {dana.pk, Person.objects.get(name="Eli Ek").pk}

    report = cli("event", "report", "Fintech", "--json").json
    assert set(report) >= {"event", "met", "new_people", "followed_up", "productive", "revenue"}
    assert (report["met"], report["new_people"], report["followed_up"]) == (2, 2, 0)
    assert report["event"]["name"] == "Fintech Summit"

    listed = cli("event", "list", "--json").json
    assert [(e["name"], e["met"]) for e in listed] == [("Fintech Summit", 2)]
    assert "Dana Diaz" in cli("event", "report", "Fintech").out


def test_met_records_existing_people_by_reference(cli):
    cli("add", "Carol Client", "--email", "carol@acme.test")
    cli("log", "Carol", "meeting", "--date", "2026-10-01")
    cli("event", "add", "Expo", "--date", "2026-11-21")
    r = cli("event", "met", "Expo", "carol@acme.test", "--json")
    assert r.code == 0, r.err
    assert r.json["recorded"][0]["was_new"] is False
    assert "already known" in cli("event", "report", "Expo", "--json").json["warning"]


def test_bad_event_input_exits_2_with_one_line_and_writes_nothing(cli):
    cases = [
        ("event", "add", "X", "--date", "soonish"),
        ("event", "add", "X", "--date", "2026-11-01", "--target-criteria", "industry=fintech cfo"),
        ("event", "add", "X", "--date", "2026-11-01", "--target", "nobody"),
    ]
    for args in cases:
        r = cli(*args)
        assert r.code == 2, args
        assert len(r.err.strip().splitlines()) == 1
    assert "'cfo'" in cli(*cases[1]).err
    assert not Event.objects.exists()
    cli("event", "add", "Expo", "--date", "2026-11-01")
    r = cli("event", "met", "Expo", "--new", "Dana", "--interesting", "maybe")
    assert r.code == 2 and "--interesting" in r.err
    assert cli("event", "met", "Nope", "--new", "Dana").code == 2
    assert cli("event", "met", "Expo").code == 2
    assert not EventMet.objects.exists() and not Person.objects.exists()
