"""Ranking today's outreach: properties (hypothesis) and the words of a suggestion."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from goodwill.core import outreach
from goodwill.core.outreach import Boost, Facts, Pool

ROLES = list(outreach.ROLE_WEIGHT)
TIERS = list(outreach.TIER_WEIGHT)
STAGES = list(outreach.STAGE_WEIGHT)

person = st.fixed_dictionaries(
    {
        "days": st.integers(0, 1000),
        "contacted": st.booleans(),
        "cadence": st.integers(1, 180),
        "tier": st.sampled_from(TIERS),
        "role": st.sampled_from(ROLES),
        "stage": st.sampled_from(STAGES),
        "revenue": st.floats(0, 1e6),
        "referrals": st.integers(0, 5),
    }
)


def make_pool(people):
    n = len(people)
    return Pool(
        ids=np.arange(1, n + 1, dtype=np.int64),
        days_since=np.array([p["days"] for p in people], dtype=np.float64),
        contacted=np.array([p["contacted"] for p in people], dtype=np.bool_),
        cadence=np.array([p["cadence"] for p in people], dtype=np.float64),
        tier_w=np.array([outreach.TIER_WEIGHT[p["tier"]] for p in people]),
        role_w=np.array([outreach.ROLE_WEIGHT[p["role"]] for p in people]),
        stage_w=np.array([outreach.STAGE_WEIGHT[p["stage"]] for p in people]),
        revenue=np.array([p["revenue"] for p in people], dtype=np.float64),
        referrals=np.array([p["referrals"] for p in people], dtype=np.float64),
        at_risk_role=np.array([p["role"] in outreach.AT_RISK_ROLES for p in people], dtype=bool),
        active=np.array([p["stage"] != "let_go" for p in people], dtype=np.bool_),
    )


networks = st.lists(person, min_size=1, max_size=40)


@given(networks, st.integers(1, 10))
def test_the_plan_is_deterministic(people, count):
    first = outreach.rank(make_pool(people), [], count=count)
    again = outreach.rank(make_pool(list(people)), [], count=count)
    assert first == again


@given(networks, st.integers(1, 10))
def test_the_plan_never_suggests_someone_let_go(people, count):
    pool = make_pool(people)
    boosts = [Boost(int(i), "x", 1.0, "r", "a") for i in pool.ids]
    for pick in outreach.rank(pool, boosts, count=count):
        assert people[pick.person_id - 1]["stage"] != "let_go"


@given(networks, st.integers(1, 10), st.data())
def test_blocked_people_never_appear(people, count, data):
    pool = make_pool(people)
    blocked = data.draw(st.sets(st.sampled_from([int(i) for i in pool.ids])))
    picked = {p.person_id for p in outreach.rank(pool, [], count=count, blocked=blocked)}
    assert not picked & blocked


@given(networks, st.integers(1, 5), st.data())
def test_yesterdays_people_come_only_when_nobody_else_qualifies(people, count, data):
    pool = make_pool(people)
    yesterday = data.draw(st.sets(st.sampled_from([int(i) for i in pool.ids])))
    picks = outreach.rank(pool, [], count=count, yesterday=yesterday)
    fresh_available = [
        i for i in outreach.rank(pool, [], count=len(pool)) if i.person_id not in yesterday
    ]
    repeated = [p for p in picks if p.person_id in yesterday]
    if repeated:
        assert len(fresh_available) < count
    assert len(picks) == min(count, len(outreach.rank(pool, [], count=len(pool))))


@given(networks)
def test_picks_come_best_first(people):
    picks = outreach.rank(make_pool(people), [], count=len(people))
    assert [p.score for p in picks] == sorted((p.score for p in picks), reverse=True)


def test_a_boost_lifts_a_person_above_an_equal_one():
    same = {"days": 10, "contacted": True, "cadence": 30, "tier": "key", "role": "peer",
            "stage": "connected", "revenue": 0.0, "referrals": 0}  # fmt: skip
    pool = make_pool([same, same])
    picks = outreach.rank(pool, [Boost(2, "thank_referrer", 0.8, "why", "what")], count=1)
    assert picks[0].person_id == 2 and picks[0].boosts[0].kind == "thank_referrer"


def test_an_overdue_key_client_outranks_a_recent_peer():
    client = {"days": 60, "contacted": True, "cadence": 22, "tier": "key", "role": "client",
              "stage": "productive", "revenue": 0.0, "referrals": 0}  # fmt: skip
    peer = {**client, "days": 5, "role": "peer", "tier": "network", "cadence": 112}
    assert outreach.rank(make_pool([peer, client]), [], count=1)[0].person_id == 2


def test_overdue_lists_clients_and_partners_first():
    peer = {"days": 400, "contacted": True, "cadence": 30, "tier": "inner", "role": "peer",
            "stage": "productive", "revenue": 0.0, "referrals": 0}  # fmt: skip
    client = {**peer, "days": 31, "role": "client", "tier": "network"}
    fine = {**peer, "days": 3}
    pool = make_pool([peer, client, fine])
    rows, weight = outreach.overdue_weight(pool)
    order = outreach.overdue_order(pool.ids[rows], weight, pool.at_risk_role[rows])
    assert pool.ids[rows[order]].tolist() == [2, 1]


def test_the_action_is_concrete_and_never_a_pitch():
    facts = Facts(name="Carol Client", role="client", tier="key", organization="Acme",
                  needs="need help with my books", days_since=60, cadence=22)  # fmt: skip
    reasons, action = outreach.explain(facts, [])
    assert "Carol" in action and "books" in action
    assert "pitch" not in action.lower() and "sell" not in action.lower()
    assert any("silent for 60 days" in r and "twice" in r for r in reasons)


def test_a_boosts_action_is_used_when_there_is_one():
    facts = Facts(name="Rita Referrer", role="referral_source", tier="key")
    boost = Boost(1, "thank_referrer", 0.9, "referred Bruno", "Send Rita a thank-you note.")
    assert outreach.explain(facts, [boost]) == (["referred Bruno"], "Send Rita a thank-you note.")


@given(st.sets(st.integers(0, 30)), st.integers(0, 30))
def test_the_streak_counts_consecutive_days_back_from_today_or_yesterday(offsets, gap):
    today = dt.date(2026, 11, 23)
    days = {today - dt.timedelta(days=o) for o in offsets}
    n = outreach.streak(days, today)
    start = today if today in days else today - dt.timedelta(days=1)
    assert all(start - dt.timedelta(days=k) in days for k in range(n))
    assert start - dt.timedelta(days=n) not in days


def test_the_heatmap_has_twelve_weeks_ending_today():
    today = dt.date(2026, 11, 23)
    cols = outreach.heatmap({today: 3, today - dt.timedelta(days=1): 1}, today, 12)
    assert len(cols) == 12
    assert cols[-1][-1].date == today and cols[-1][-1].level == 4
    assert all(
        c.level == 0 for col in cols[:-1] for c in col if c.date < today - dt.timedelta(days=1)
    )


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([0.5, 1.0, 1.0000000001, 2.0, 3.25]), st.booleans()),
        max_size=40,
    ),
    first=st.integers(0, 45),
)
def test_the_first_rows_of_the_overdue_list_are_those_of_the_whole_order(rows, first):
    """Weights with ties (and a difference under the 9 decimals the order rounds to),
    ids in any order: the first ``first`` are the whole order's first ones."""
    ids = np.array([7 * i % 41 for i in range(len(rows))], dtype=np.int64)
    weight = np.array([w for w, _ in rows], dtype=np.float64)
    at_risk = np.array([r for _, r in rows], dtype=bool)
    whole = outreach.overdue_order(ids, weight, at_risk)
    assert outreach.overdue_order(ids, weight, at_risk, first).tolist() == whole[:first].tolist()
