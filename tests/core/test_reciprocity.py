"""Reciprocity: balances, one-sided flags both ways, dormant, network-level returns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from goodwill.core.money import CURRENCIES, main_currency, total
from goodwill.core.reciprocity import (
    DORMANT_DAYS,
    FavourFact,
    balances,
    network_reciprocity,
    sort_key,
)

TODAY = dt.date(2026, 11, 23)
RECENT = TODAY - dt.timedelta(days=10)


def facts(person: int, gave: int, received: int, date: dt.date = RECENT) -> list[FavourFact]:
    return [FavourFact(person, True, date)] * gave + [FavourFact(person, False, date)] * received


def test_someone_who_only_receives_from_me_is_flagged_only_giving_and_the_mirror_only_taking():
    got = balances(facts(1, gave=3, received=0) + facts(2, gave=0, received=3), TODAY)
    assert got[1].flags == ["only_giving"] and got[1].balance == 3
    assert got[2].flags == ["only_taking"] and got[2].balance == -3


def test_a_balanced_relationship_has_no_flag():
    got = balances(facts(1, gave=4, received=3), TODAY)
    assert got[1].flags == []


def test_one_favour_either_way_is_not_yet_one_sided():
    assert balances(facts(1, gave=0, received=1), TODAY)[1].flags == []


def test_nothing_either_way_for_a_year_is_dormant():
    old = TODAY - dt.timedelta(days=DORMANT_DAYS)
    got = balances(facts(1, gave=1, received=1, date=old), TODAY)
    assert got[1].flags == ["dormant"]


def test_values_are_summed_exactly_per_direction():
    got = balances(
        [
            FavourFact(1, True, RECENT, Decimal("0.10")),
            FavourFact(1, True, RECENT, Decimal("0.20")),
            FavourFact(1, False, RECENT, None),
        ],
        TODAY,
    )[1]
    assert got.given_value == Decimal("0.30") and got.received_value == 0


def test_only_taking_sorts_first():
    got = balances(facts(1, gave=9, received=0) + facts(2, gave=0, received=2), TODAY)
    assert [b.person_id for b in sorted(got.values(), key=sort_key)] == [2, 1]


@given(st.integers(0, 30), st.integers(0, 30))
def test_a_relationship_is_never_flagged_one_sided_both_ways(gave, received):
    flags = balances(facts(1, gave, received), TODAY).get(1)
    if flags is not None:
        assert not {"only_taking", "only_giving"} <= set(flags.flags)


def test_help_returned_by_the_same_person_counts_directly():
    net = network_reciprocity([(1, RECENT)], {1: TODAY}, {}, {})
    assert (net.given, net.returned_directly, net.returned_through_network) == (1, 1, 0)
    assert net.ratio == 1.0


def test_business_from_someone_they_brought_later_counts_as_returned_through_the_network():
    # I helped 1; later 5 (whom 1 introduced) bought something.
    net = network_reciprocity([(1, RECENT)], {}, {5: TODAY}, {5: 1})
    assert net.returned_through_network == 1 and net.not_returned == 0


def test_business_before_the_favour_does_not_count_as_returned():
    net = network_reciprocity([(1, TODAY)], {1: RECENT}, {5: RECENT}, {5: 1})
    assert net.not_returned == 1 and net.ratio == 0.0


def test_nothing_given_has_a_ratio_of_zero():
    assert network_reciprocity([], {}, {}, {}).ratio == 0.0


def test_totals_are_per_currency_and_the_main_currency_is_the_largest():
    t = total([("USD", Decimal("1.10")), ("EUR", Decimal("5.00")), ("USD", Decimal("2.20"))])
    assert t == {"USD": Decimal("3.30"), "EUR": Decimal("5.00")}
    assert main_currency(t) == "EUR"
    assert main_currency({}) == "USD"
    assert {"USD", "EUR", "JPY", "GBP"} <= CURRENCIES and "XYZ" not in CURRENCIES
