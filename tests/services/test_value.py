"""Favours, deals, the ledger, the yearly review and thank-yous, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.db.models import Commitment, Deal, Favour, Introduction, Person
from goodwill.services.deals import add_deal, deals_csv, list_deals, set_deal_status
from goodwill.services.errors import BadInput, Forbidden
from goodwill.services.favours import ledger, ledger_summary, record_favour
from goodwill.services.health import health_for
from goodwill.services.health_at import health_at
from goodwill.services.interactions import log_interaction
from goodwill.services.review import yearly_review
from goodwill.services.signals import collect
from goodwill.services.thanks import pending_thanks, signals


def deal(alice, today, client, amount, **kw):
    return add_deal(actor=alice, client=client, amount=amount, today=today, **kw)


def test_a_deal_is_a_touchpoint_for_its_client(alice, network, today):
    deal(alice, today, network.pia, "500")
    network.pia.refresh_from_db()
    assert network.pia.last_contact == today


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"origin": "telepathy"}, "origin"),
        ({"origin": "referral"}, "referrer"),
        ({"referrer": "Carol"}, "referrer"),
        ({"currency": "XYZ"}, "currency"),
        ({"status": "maybe"}, "status"),
        ({"origin": "event"}, "event"),
        ({"event": "no such event"}, "event"),
        ({"date": "2099-01-01"}, "date"),
    ],
)
def test_bad_deal_input_names_the_field_and_writes_nothing(alice, network, today, kw, field):
    args = {"amount": "100", **kw}
    before = (Deal.objects.count(), Favour.objects.count())
    with pytest.raises(BadInput) as exc:
        deal(alice, today, network.carol, **args)
    assert exc.value.field == field
    assert (Deal.objects.count(), Favour.objects.count()) == before


def test_a_viewer_cannot_add_a_deal_or_a_favour(vera, network, today):
    with pytest.raises(Forbidden):
        add_deal(actor=vera, client=network.carol, amount="1", today=today)
    with pytest.raises(Forbidden):
        record_favour(
            actor=vera, person=network.carol, direction="gave", kind="advice", today=today
        )


def test_a_referral_defaults_from_the_referrer_and_becomes_one_favour_received(
    alice, network, today
):
    d = deal(alice, today, network.bruno, "12000", referrer="Rita")
    assert d.origin == "referral"
    favours = list(Favour.objects.filter(deal=d))
    assert [(f.person_id, f.direction, f.kind) for f in favours] == [
        (network.rita.pk, "received", "referral")
    ]
    rows = {r.person["id"]: r for r in ledger(actor=alice, today=today)}
    assert rows[network.rita.pk].received == 1
    assert rows[network.rita.pk].referred == {"USD": Decimal("12000.00")}


def test_an_open_referral_is_no_favour_until_it_is_won_and_none_again_when_lost(
    alice, network, today
):
    d = deal(alice, today, network.bruno, "100", referrer="Rita", status="open")
    assert not Favour.objects.filter(deal=d).exists()
    set_deal_status(actor=alice, deal_id=d.pk, status="won", today=today)
    set_deal_status(actor=alice, deal_id=d.pk, status="won", today=today)
    assert Favour.objects.filter(deal=d).count() == 1
    set_deal_status(actor=alice, deal_id=d.pk, status="lost", today=today)
    assert not Favour.objects.filter(deal=d).exists()


def test_favours_made_by_introductions_count_once_in_the_ledger(alice, network, today):
    intro = Introduction.objects.create(
        workspace=alice.workspace, a=network.carol, b=network.paul, status="made",
        suggested_on=today, made_on=today,
    )  # fmt: skip
    for p in (network.carol, network.paul):
        Favour.objects.create(
            workspace=alice.workspace, person=p, direction="gave", kind="introduction",
            date=today, introduction=intro,
        )  # fmt: skip
    rows = {r.person["id"]: r for r in ledger(actor=alice, today=today)}
    assert rows[network.carol.pk].given == 1 and rows[network.paul.pk].given == 1


def test_the_ledger_flags_someone_i_only_take_from(alice, network, today):
    for _ in range(3):
        record_favour(
            actor=alice, person=network.peter, direction="received", kind="advice", today=today,
            value="50",
        )  # fmt: skip
    record_favour(actor=alice, person=network.paul, direction="gave", kind="time", today=today)
    rows = ledger(actor=alice, today=today)
    assert rows[0].person["id"] == network.peter.pk
    assert rows[0].only_taking and rows[0].received_value == Decimal("150.00")
    assert [r.person["id"] for r in ledger(actor=alice, today=today, flag="only_taking")] == [
        network.peter.pk
    ]


def test_a_favour_in_the_future_or_of_an_unknown_kind_is_refused(alice, network, today):
    with pytest.raises(BadInput):
        record_favour(
            actor=alice, person=network.carol, direction="gave", kind="bribe", today=today
        )
    with pytest.raises(BadInput):
        record_favour(
            actor=alice, person=network.carol, direction="gave", kind="advice", today=today,
            date=today + dt.timedelta(days=1),
        )  # fmt: skip


def test_help_given_is_returned_through_the_network_when_their_contact_buys(alice, network, today):
    # I helped Rita; later Bruno, whom Rita introduced, bought something.
    record_favour(
        actor=alice, person=network.rita, direction="gave", kind="advice", today=today,
        date=today - dt.timedelta(days=30),
    )  # fmt: skip
    deal(alice, today, network.bruno, "700", origin="repeat")
    net = ledger_summary(actor=alice, today=today).network
    assert net["returned_through_network"] == 1 and net["ratio"] == 1.0


def test_a_repeat_is_detected_while_the_stored_origin_stays(alice, network, today):
    deal(alice, today, network.carol, "100", date=today - dt.timedelta(days=90), origin="cold")
    second = deal(alice, today, network.carol, "300", origin="word_of_mouth")
    rows = {r.id: r for r in list_deals(actor=alice)}
    assert rows[second.pk].repeat and rows[second.pk].origin == "word_of_mouth"
    review = yearly_review(actor=alice, today=today)
    assert review.repeat_business["total"] == Decimal("300.00")
    assert review.by_origin["word_of_mouth"]["total"] == Decimal("300.00")


def test_the_review_adds_deals_exactly_and_keeps_currencies_apart(alice, network, today):
    deal(alice, today, network.carol, "0.10")
    deal(alice, today, network.carol, "0.20")
    deal(alice, today, network.paul, "1000", currency="eur")
    deal(alice, today, network.pia, "999", status="lost")
    deal(alice, today, network.peter, "5", date=dt.date(today.year - 1, 6, 1))
    review = yearly_review(actor=alice, today=today)
    assert review.totals == {"EUR": Decimal("1000.00"), "USD": Decimal("0.30")}
    assert review.currency == "EUR" and review.total == Decimal("1000.00")
    assert review.currencies["USD"] == {"total": Decimal("0.30"), "deals": 2}
    assert review.deals == 3
    assert review.by_origin["other"]["totals"] == {
        "EUR": Decimal("1000.00"),
        "USD": Decimal("0.30"),
    }


def test_the_review_credits_referrers_directly_and_through_the_chain(alice, network, today):
    # rita introduced bruno, bruno introduced chen (the fixture); chen buys via bruno.
    deal(alice, today, network.chen, "400", referrer="Bruno")
    deal(alice, today, network.bruno, "1000", referrer="Rita")
    review = yearly_review(actor=alice, today=today)
    by_id = {r["person"]["id"]: r for r in review.referrers}
    assert by_id[network.bruno.pk]["direct"] == {"USD": Decimal("400.00")}
    assert by_id[network.rita.pk]["direct"] == {"USD": Decimal("1000.00")}
    assert by_id[network.rita.pk]["chain"] == {"USD": Decimal("200.00")}
    assert review.referrers[0]["person"]["id"] == network.rita.pk


def test_the_biggest_deal_says_why(alice, network, today):
    deal(alice, today, network.bruno, "5000", referrer="Rita", title="Audit")
    top = yearly_review(actor=alice, today=today).biggest_deals[0]
    assert top["why"]["referrer"]["id"] == network.rita.pk
    assert top["why"]["how_we_met"] == "introduced by Rita Referrer"
    assert top["why"]["relationship_days"] == 400
    assert 0 <= top["why"]["health_at_close"] <= 100


def test_the_health_revenue_correlation_reports_its_n(alice, network, today):
    for p, amount in ((network.carol, "100"), (network.paul, "200"), (network.rita, "300")):
        deal(alice, today, p, amount)
    hr = yearly_review(actor=alice, today=today).health_revenue
    assert hr["n"] == 3 and len(hr["points"]) == 3
    assert hr["correlation"] is None or -1 <= hr["correlation"] <= 1


def test_a_won_referral_asks_for_a_thank_you_until_one_is_logged(alice, network, today):
    d = deal(alice, today, network.bruno, "800", referrer="Rita", date=today - dt.timedelta(days=3))
    found = signals(actor=alice, today=today)
    assert [(s.person_id, s.kind) for s in found] == [(network.rita.pk, "thank_referrer")]
    assert "Bruno Buyer" in found[0].reason and "Rita" in found[0].action
    assert any(s.kind == "thank_referrer" for s in collect(actor=alice, today=today))
    log_interaction(actor=alice, person=network.rita, kind="call", today=today, date=d.date)
    assert signals(actor=alice, today=today) == []


def test_their_own_call_on_the_deal_day_is_not_a_thank_you_but_a_favour_given_is(
    alice, network, today
):
    deal(alice, today, network.bruno, "800", referrer="Rita")
    log_interaction(actor=alice, person=network.rita, kind="call", today=today, by="them")
    assert len(pending_thanks(actor=alice, today=today)) == 1
    record_favour(actor=alice, person=network.rita, direction="gave", kind="time", today=today)
    assert pending_thanks(actor=alice, today=today) == []


def test_deals_csv_has_one_row_per_deal_with_exact_amounts(alice, network, today):
    deal(alice, today, network.carol, "1234.50", title='Big, "quoted"')
    text = deals_csv(actor=alice)
    lines = text.strip().splitlines()
    assert lines[0].startswith("id,date,client_id,client")
    assert "1234.50" in lines[1] and '"Big, ""quoted"""' in lines[1]


def test_another_workspace_sees_none_of_it(alice, mallory, network, today):
    deal(alice, today, network.bruno, "800", referrer="Rita")
    assert list_deals(actor=mallory) == []
    assert ledger(actor=mallory, today=today) == []
    assert yearly_review(actor=mallory, today=today).deals == 0
    assert signals(actor=mallory, today=today) == []
    with pytest.raises(BadInput):
        add_deal(actor=mallory, client=network.carol.pk, amount="1", today=today)


def _grow(alice, today, n):
    """n more clients, each introduced by the previous, with a referral deal and favours."""
    people = [
        Person(workspace=alice.workspace, name=f"Client {i}", created_on=today, stage_since=today)
        for i in range(n)
    ]
    Person.objects.bulk_create(people)
    prev = None
    for p in people:
        if prev is not None:
            Person.objects.filter(pk=p.pk).update(introduced_by=prev)
            Deal.objects.create(
                workspace=alice.workspace, client=p, amount=Decimal("10.00"), date=today,
                origin="referral", referrer=prev,
            )  # fmt: skip
        Favour.objects.create(
            workspace=alice.workspace, person=p, direction="gave", kind="advice", date=today
        )
        prev = p


@pytest.mark.parametrize("n", [5, 60])
def test_review_ledger_and_thanks_take_a_bounded_number_of_queries(
    alice, network, today, n, django_assert_max_num_queries
):
    _grow(alice, today, n)
    with django_assert_max_num_queries(40):
        yearly_review(actor=alice, today=today)
    with django_assert_max_num_queries(8):
        ledger_summary(actor=alice, today=today)
    with django_assert_max_num_queries(5):
        signals(actor=alice, today=today)
    with django_assert_max_num_queries(4):
        list_deals(actor=alice)


def test_repeats_count_a_deal_of_last_year_and_not_two_deals_on_the_first_day(
    alice, network, today
):
    deal(alice, today, network.carol, "50", date=dt.date(today.year - 1, 12, 30))
    deal(alice, today, network.carol, "100", date=dt.date(today.year, 3, 1))
    deal(alice, today, network.paul, "10", date=dt.date(today.year, 2, 1))
    deal(alice, today, network.paul, "20", date=dt.date(today.year, 2, 1), currency="EUR")
    deal(alice, today, network.paul, "40", date=dt.date(today.year, 5, 1))
    review = yearly_review(actor=alice, today=today)
    assert review.repeat_business["totals"] == {"USD": Decimal("140.00")}
    assert review.repeat_business["deals"] == 2
    repeats = {(d["client"]["id"], d["amount"]): d["repeat"] for d in review.biggest_deals}
    assert repeats == {
        (network.carol.pk, Decimal("100.00")): True,
        (network.paul.pk, Decimal("40.00")): True,
        (network.paul.pk, Decimal("10.00")): False,
        (network.paul.pk, Decimal("20.00")): False,
    }
    top = {(c["person"]["id"], c["currency"]): c for c in review.top_clients}
    assert top[(network.paul.pk, "USD")]["totals"] == {
        "USD": Decimal("50.00"),
        "EUR": Decimal("20.00"),
    }
    assert top[(network.paul.pk, "USD")]["deals"] == 3


def test_health_at_close_is_health_as_it_was_that_day(alice, network, today):
    carol, day = network.carol, today - dt.timedelta(days=30)
    for back, kind, by, quality in [
        (200, "call", "me", 4),
        (120, "introduction", "them", None),
        (45, "meeting", "me", 2),
    ]:
        log_interaction(
            actor=alice, person=carol, kind=kind, today=today, by=by, quality=quality,
            date=today - dt.timedelta(days=back),
        )  # fmt: skip
    record_favour(actor=alice, person=carol, direction="gave", kind="advice", today=today,
                  date=today - dt.timedelta(days=100))  # fmt: skip
    record_favour(actor=alice, person=carol, direction="received", kind="referral", today=today,
                  date=today - dt.timedelta(days=300))  # fmt: skip
    for made, due, kept in [(300, 250, 240), (200, 150, 140), (100, 60, None)]:
        Commitment.objects.create(
            workspace=alice.workspace, person=carol, description="send the deck",
            created_on=today - dt.timedelta(days=made), due_date=today - dt.timedelta(days=due),
            kept_on=None if kept is None else today - dt.timedelta(days=kept),
        )  # fmt: skip
    then = Person.objects.get(pk=carol.pk)
    then.last_contact = day  # the deal closing that day
    expected = health_for(actor=alice, people=[then], today=day)[carol.pk].score
    assert health_at(actor=alice, wanted=[(carol, day)]) == {(carol.pk, day): expected}
    # What happened after that day does not change it.
    log_interaction(actor=alice, person=carol, kind="gift", today=today)
    record_favour(actor=alice, person=carol, direction="gave", kind="time", today=today)
    Commitment.objects.create(
        workspace=alice.workspace, person=carol, description="later", created_on=today,
        due_date=today - dt.timedelta(days=1),
    )  # fmt: skip
    assert health_at(actor=alice, wanted=[(carol, day)]) == {(carol.pk, day): expected}


def _year_of_business(alice, today, n):
    """n more clients, each introduced by the previous one, with a won deal last year,
    and this year won deals on their own days in two currencies (referrals, repeats),
    interactions, favours and commitments."""
    ws = alice.workspace
    start = dt.date(today.year, 1, 1)
    people = [
        Person(workspace=ws, name=f"Client {i}", role="client", created_on=start,
               stage_since=start)
        for i in range(n)
    ]  # fmt: skip
    Person.objects.bulk_create(people)
    prev = None
    for i, p in enumerate(people):
        day = start + dt.timedelta(days=i % 300)
        if prev is not None:
            Person.objects.filter(pk=p.pk).update(introduced_by=prev)
        Deal.objects.bulk_create(
            [
                Deal(workspace=ws, client=p, amount=Decimal("5.00"),
                     date=day.replace(year=today.year - 1)),
                Deal(workspace=ws, client=p, amount=Decimal(f"{100 + i}.25"), date=day,
                     origin="referral" if prev else "cold", referrer=prev),
                Deal(workspace=ws, client=p, amount=Decimal(f"{50 + i}.50"), currency="EUR",
                     date=day + dt.timedelta(days=7), origin="repeat"),
                Deal(workspace=ws, client=p, amount=Decimal("9.00"), status="lost", date=day),
            ]
        )  # fmt: skip
        Favour.objects.create(workspace=ws, person=p, direction="gave", kind="advice", date=day)
        Commitment.objects.create(
            workspace=ws, person=p, description="call back", created_on=day, due_date=day
        )
        prev = p


def test_the_review_takes_as_many_queries_for_60_clients_as_for_5(alice, network, today):
    counts = []
    for n in (5, 55):
        _year_of_business(alice, today, n)
        with CaptureQueriesContext(connection) as queries:
            review = yearly_review(actor=alice, today=today)
        counts.append(len(queries))
    assert review.deals == 120 and len(review.biggest_deals) == 20
    assert counts[0] == counts[1] <= 30
