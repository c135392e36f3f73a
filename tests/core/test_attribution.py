"""Attribution of referral value: direct, through chains, exact, per currency, cycle-safe."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from goodwill.core.attribution import (
    DECAY,
    MAX_DEGREE,
    DealFact,
    attribute,
    bringers,
    chain,
    pearson,
    ranked,
)

A, B, C, D = 1, 2, 3, 4


def test_a_chain_a_b_c_gives_direct_value_to_b_and_half_to_a():
    # A referred B (B bought for 1000), B referred C (C bought for 400).
    deals = [
        DealFact(id=1, client_id=B, amount=Decimal("1000.00"), currency="USD", referrer_id=A),
        DealFact(id=2, client_id=C, amount=Decimal("400.00"), currency="USD", referrer_id=B),
    ]
    graph = bringers({}, [(B, A), (C, B)])
    credits = attribute(deals, graph)
    assert credits[A].direct == {"USD": Decimal("1000.00")}
    assert credits[A].chain == {"USD": Decimal("200.00")}  # 400 x 1/2
    assert credits[A].by_degree == {1: {"USD": Decimal("1000.00")}, 2: {"USD": Decimal("200.00")}}
    assert credits[B].direct == {"USD": Decimal("400.00")}
    assert credits[B].chain == {}
    assert C not in credits


def test_a_third_degree_referrer_gets_a_quarter():
    deals = [DealFact(id=1, client_id=D, amount=Decimal("800.00"), currency="EUR", referrer_id=C)]
    credits = attribute(deals, {C: B, B: A})
    assert credits[C].direct == {"EUR": Decimal("800.00")}
    assert credits[B].chain == {"EUR": Decimal("400.00")}
    assert credits[A].chain == {"EUR": Decimal("200.00")}
    assert credits[A].by_degree == {3: {"EUR": Decimal("200.00")}}


def test_a_deal_without_referrer_is_credited_to_whoever_brought_the_client():
    deals = [DealFact(id=1, client_id=C, amount=Decimal("90.00"), currency="USD")]
    credits = attribute(deals, bringers({C: B, B: A}, []))
    assert credits[B].direct == {"USD": Decimal("90.00")}
    assert credits[A].chain == {"USD": Decimal("45.00")}


def test_a_cycle_a_b_a_terminates_and_counts_each_deal_once():
    deals = [
        DealFact(id=1, client_id=B, amount=Decimal("100.00"), currency="USD", referrer_id=A),
        DealFact(id=2, client_id=A, amount=Decimal("60.00"), currency="USD", referrer_id=B),
    ]
    graph = bringers({}, [(B, A), (A, B)])
    credits = attribute(deals, graph)
    assert credits[A].direct == {"USD": Decimal("100.00")}
    assert credits[B].direct == {"USD": Decimal("60.00")}
    assert credits[A].chain == {} and credits[B].chain == {}
    assert credits[A].direct_deals + credits[B].direct_deals == 2


def test_a_longer_cycle_never_credits_anyone_twice_for_one_deal():
    graph = {A: C, C: B, B: A}  # A<-C<-B<-A
    deal = DealFact(id=1, client_id=D, amount=Decimal("10.00"), currency="USD", referrer_id=A)
    assert chain(deal, graph) == [A, C, B]


def test_nobody_is_credited_for_their_own_deal():
    deal = DealFact(id=1, client_id=A, amount=Decimal("10.00"), currency="USD", referrer_id=A)
    assert chain(deal, {}) == []
    assert bringers({A: A}, [(B, B)]) == {}


def test_amounts_in_one_currency_sum_exactly_without_floats():
    deals = [
        DealFact(id=i, client_id=10 + i, amount=Decimal("0.10"), currency="USD", referrer_id=A)
        for i in range(10)
    ]
    credit = attribute(deals, {})[A]
    assert credit.direct == {"USD": Decimal("1.00")}
    assert isinstance(credit.direct["USD"], Decimal)


def test_mixed_currencies_are_reported_per_currency_and_never_summed():
    deals = [
        DealFact(id=1, client_id=B, amount=Decimal("100.00"), currency="USD", referrer_id=A),
        DealFact(id=2, client_id=C, amount=Decimal("100.00"), currency="EUR", referrer_id=A),
    ]
    credit = attribute(deals, {})[A]
    assert credit.direct == {"USD": Decimal("100.00"), "EUR": Decimal("100.00")}
    assert credit.total() == {"USD": Decimal("100.00"), "EUR": Decimal("100.00")}


def test_ranking_uses_only_the_chosen_currency():
    deals = [
        DealFact(id=1, client_id=C, amount=Decimal("50.00"), currency="USD", referrer_id=A),
        DealFact(id=2, client_id=D, amount=Decimal("9000.00"), currency="JPY", referrer_id=B),
    ]
    order = [c.person_id for c in ranked(attribute(deals, {}), "USD")]
    assert order == [A, B]


ids = st.integers(min_value=1, max_value=12)
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(
    st.dictionaries(ids, ids, max_size=12),
    st.lists(st.tuples(ids, st.one_of(st.none(), ids), amounts), max_size=20),
)
def test_any_graph_terminates_and_credit_never_exceeds_the_decayed_series(graph, raw):
    deals = [
        DealFact(id=i, client_id=c, amount=a, currency="USD", referrer_id=r)
        for i, (c, r, a) in enumerate(raw)
    ]
    credits = attribute(deals, bringers(graph, []))
    total = sum((d.amount for d in deals), Decimal(0))
    for credit in credits.values():
        # each deal credits a person at most once: direct <= all deals, chain <= half of them
        assert credit.direct.get("USD", Decimal(0)) <= total
        assert credit.chain.get("USD", Decimal(0)) <= total * DECAY + Decimal("0.01")
        assert credit.direct_deals + credit.chain_deals <= len(deals)
        assert max(credit.by_degree, default=1) <= MAX_DEGREE
    for d in deals:
        people = chain(d, bringers(graph, []))
        assert len(people) == len(set(people)) and d.client_id not in people


def test_pearson_needs_three_points_and_some_spread():
    assert pearson([1, 2], [1, 2]) is None
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1, 2, 3], [2, 4, 6]) == 1.0
    assert pearson([1, 2, 3], [6, 4, 2]) == -1.0


def test_a_fact_standing_for_several_deals_credits_them_all_as_separate_deals_would():
    graph = bringers({}, [(B, A)])
    single = [
        DealFact(id=i, client_id=C, amount=Decimal(v), currency="USD", referrer_id=B)
        for i, v in enumerate(["100.10", "200.20", "300.30"])
    ]
    grouped = [
        DealFact(
            id=0, client_id=C, amount=Decimal("600.60"), currency="USD", referrer_id=B, deals=3
        )
    ]
    one, other = attribute(single, graph), attribute(grouped, graph)
    assert one == other
    assert other[B].direct == {"USD": Decimal("600.60")} and other[B].direct_deals == 3
    assert other[A].chain == {"USD": Decimal("300.30")} and other[A].chain_deals == 3
