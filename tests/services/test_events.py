"""Events: plan, prep, capture, report, and follow-up signals for the plan."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.db.models import Deal, Event, EventMet, Person
from goodwill.services.errors import Ambiguous, BadInput, NotFound
from goodwill.services.events import (
    NewPerson,
    add_event,
    event_prep,
    event_report,
    list_events,
    record_met,
    resolve_event,
    signals,
)
from goodwill.services.interactions import log_interaction
from goodwill.services.people import PersonInput, add_person


def event(alice, today, **kw):
    kw.setdefault("name", "Fintech Summit")
    kw.setdefault("date", today - dt.timedelta(days=2))
    return add_event(actor=alice, today=today, **kw)


def test_prep_lists_named_targets_and_people_matching_the_criteria(alice, today, network):
    fiona = add_person(
        actor=alice,
        data=PersonInput(name="Fiona", industry="fintech", title="CFO", needs="help with my books"),
        today=today,
    )
    e = event(alice, today, targets=["Carol"], target_criteria="industry=fintech role=cfo")
    prep = event_prep(actor=alice, event=e)
    assert [t.person["name"] for t in prep.targets] == ["Carol Client"]
    assert [m.person["id"] for m in prep.matches] == [fiona.pk]
    talk = " ".join(prep.matches[0].talk_about)
    assert "help with my books" in talk
    assert "Paul Partner" in talk  # offers bookkeeping: someone to introduce


def test_bad_criteria_and_dates_write_nothing(alice, today):
    with pytest.raises(BadInput, match="'colour=red'"):
        event(alice, today, target_criteria="industry=fintech colour=red")
    with pytest.raises(BadInput, match="bad date"):
        event(alice, today, date="next tuesday")
    with pytest.raises(NotFound):
        event(alice, today, targets=["Nobody At All"])
    assert not Event.objects.exists()


def test_met_adds_new_people_from_the_event_and_marks_known_ones(alice, today, network):
    e = event(alice, today)
    result = record_met(
        actor=alice,
        today=today,
        event=e,
        people=["Carol"],
        new=[NewPerson(name="Dana Diaz", organization="Payco", q_interesting=True)],
    )
    assert [(r["name"], r["was_new"]) for r in result.recorded] == [
        ("Carol Client", False),
        ("Dana Diaz", True),
    ]
    dana = Person.objects.get(name="Dana Diaz")
    assert (dana.source, dana.stage, dana.q_interesting) == ("event", "connected", True)
    assert dana.last_contact == e.date
    again = record_met(actor=alice, today=today, event=e, people=["Dana"])
    assert again.already == [{"id": dana.pk, "name": "Dana Diaz"}]
    assert EventMet.objects.filter(event=e).count() == 2


def test_met_with_a_bad_person_writes_nothing(alice, today, network):
    e = event(alice, today)
    with pytest.raises(NotFound):
        record_met(actor=alice, today=today, event=e, people=["nobody"], new=[NewPerson("Eve")])
    assert not Person.objects.filter(name="Eve").exists()
    assert not EventMet.objects.exists()


def test_the_report_counts_new_follow_ups_productive_and_revenue(alice, today, network):
    e = event(alice, today, date=today - dt.timedelta(days=20))
    record_met(actor=alice, today=today, event=e, new=[NewPerson("Dana"), NewPerson("Eli")])
    dana = Person.objects.get(name="Dana")
    log_interaction(
        actor=alice, person=dana, kind="email", today=today, date=e.date + dt.timedelta(days=3)
    )
    Deal.objects.create(
        workspace=alice.workspace, client=dana, amount=1000, date=today, status="won"
    )
    Deal.objects.create(
        workspace=alice.workspace,
        client=network.carol,
        amount=250,
        date=today,
        status="won",
        event=e,
    )
    Deal.objects.create(
        workspace=alice.workspace, client=dana, amount=99, date=today, status="lost"
    )
    r = event_report(actor=alice, event=e)
    assert (r.met, r.new_people, r.known_people, r.followed_up) == (2, 2, 0, 1)
    assert r.revenue == 1250
    assert not r.warning


def test_the_report_warns_when_mostly_known_people_were_met(alice, today, network):
    e = event(alice, today)
    record_met(actor=alice, today=today, event=e, people=["Carol", "Paul"], new=[NewPerson("Dana")])
    r = event_report(actor=alice, event=e)
    assert (r.new_people, r.known_people) == (1, 2)
    assert "already known" in r.warning


def test_signals_ask_to_follow_up_with_people_met_and_stop_once_followed_up(alice, today, network):
    e = event(alice, today)
    record_met(actor=alice, today=today, event=e, new=[NewPerson("Dana Diaz"), NewPerson("Eli Ek")])
    found = {s.person_id: s for s in signals(actor=alice, today=today)}
    dana, eli = Person.objects.get(name="Dana Diaz"), Person.objects.get(name="Eli Ek")
    assert set(found) == {dana.pk, eli.pk}
    assert found[dana.pk].kind == "event_follow_up"
    assert "Fintech Summit" in found[dana.pk].reason and "Dana" in found[dana.pk].action
    log_interaction(actor=alice, person=dana, kind="email", today=today, date=today)
    assert {s.person_id for s in signals(actor=alice, today=today)} == {eli.pk}
    assert signals(actor=alice, today=today + dt.timedelta(days=20)) == []


def test_signals_use_one_query_whatever_the_number_of_people(
    alice, today, django_assert_max_num_queries
):
    e = event(alice, today)
    record_met(actor=alice, today=today, event=e, new=[NewPerson(f"P{i}") for i in range(25)])
    with django_assert_max_num_queries(1):
        assert len(signals(actor=alice, today=today)) == 25


def test_events_resolve_by_id_or_unique_fragment_within_the_workspace(alice, mallory, today):
    a = event(alice, today, name="Fintech Summit")
    event(alice, today, name="Fintech Drinks")
    assert resolve_event(actor=alice, ref=str(a.pk)) == a
    assert resolve_event(actor=alice, ref="summit") == a
    with pytest.raises(Ambiguous):
        resolve_event(actor=alice, ref="fintech")
    with pytest.raises(NotFound):
        resolve_event(actor=mallory, ref=str(a.pk))
    assert [s.name for s in list_events(actor=mallory)] == []


def test_viewers_cannot_add_events_or_record_people_met(alice, vera, today):
    with pytest.raises(BadInput):
        add_event(actor=vera, today=today, name="X", date=today)
    e = event(alice, today)
    with pytest.raises(BadInput):
        record_met(actor=vera, today=today, event=e, new=[NewPerson("Dana")])


def test_a_future_event_cannot_have_people_met_yet(alice, today):
    e = event(alice, today, date=today + dt.timedelta(days=5))
    with pytest.raises(BadInput, match="future"):
        record_met(actor=alice, today=today, event=e, new=[NewPerson("Dana")])


def test_event_revenue_in_several_currencies_is_never_added_together(alice, today):
    e = event(alice, today, date=today - dt.timedelta(days=20))
    record_met(actor=alice, today=today, event=e, new=[NewPerson("Dana")])
    dana = Person.objects.get(name="Dana")
    for amount, currency in ((700, "USD"), (300, "USD"), (900, "EUR")):
        Deal.objects.create(
            workspace=alice.workspace,
            client=dana,
            amount=amount,
            currency=currency,
            date=today,
            status="won",
        )
    r = event_report(actor=alice, event=e)
    assert (r.revenue, r.currency) == (1000, "USD")
    assert r.revenue_by_currency == {"USD": 1000, "EUR": 900}
