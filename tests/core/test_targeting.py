"""Targeting: a planted rule is found with its lift; random outcomes find nothing."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goodwill.core.targeting import Example, learn, risk_ratio, score, top_criteria, wilson

INDUSTRIES = ["fintech", "retail", "health", "legal", "media"]
SOURCES = ["event", "linkedin", "referral", "cold"]
ROLES = ["client", "partner", "peer", "prospect"]


def person(rng: random.Random, pid: int) -> frozenset[tuple[str, str]]:
    return frozenset(
        {
            ("industry", rng.choice(INDUSTRIES)),
            ("source", rng.choice(SOURCES)),
            ("role", rng.choice(ROLES)),
            ("interesting", rng.choice(["yes", "no"])),
        }
    )


def network(seed: int, n: int, rate, planted=("industry", "fintech")) -> list[Example]:
    rng = random.Random(seed)
    people = []
    for pid in range(n):
        facts = person(rng, pid)
        people.append(Example(pid, facts, rng.random() < rate(planted in facts)))
    return people


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_planted_rule_comes_first_with_a_lift_near_the_planted_value(seed):
    # fintech people become productive three times as often as everyone else
    examples = network(seed, 1500, lambda planted: 0.45 if planted else 0.15)
    learned = learn(examples)
    first = learned.findings[0]
    assert (first.attribute, first.value) == ("industry", "fintech")
    assert first.significant
    assert 2.3 < first.lift < 3.9
    assert first.lift_low < 3 < first.lift_high
    assert first.support > 200


@pytest.mark.parametrize("seed", range(8))
def test_with_random_outcomes_nothing_is_reported_as_significant(seed):
    examples = network(seed, 800, lambda _: 0.3)
    learned = learn(examples)
    assert learned.enough_data
    assert not [f for f in learned.findings if f.significant]
    assert learned.message


def test_too_little_data_is_said_and_nothing_is_significant():
    examples = network(1, 12, lambda planted: planted)
    learned = learn(examples)
    assert not learned.enough_data
    assert "too little data" in learned.message
    assert not any(f.significant or f.enough_data for f in learned.findings)


def test_undecided_people_do_not_teach_but_are_scored_by_fit():
    decided = network(4, 1500, lambda planted: 0.45 if planted else 0.15)
    learned = learn(decided + [Example(9999, frozenset({("industry", "fintech")}), None)])
    assert learned.decided == 1500
    fits = score(
        [
            Example(1, frozenset({("industry", "fintech")}), None),
            Example(2, frozenset({("industry", "retail")}), None),
        ],
        learned,
    )
    assert [f.person_id for f in fits] == [1, 2]
    assert fits[0].fit > 1.5
    assert "industry=fintech" in fits[0].why[0]


def test_top_criteria_keep_one_value_per_allowed_attribute():
    learned = learn(network(5, 1500, lambda planted: 0.45 if planted else 0.15))
    top = top_criteria(learned, ["industry", "role"])
    assert [(f.attribute, f.value) for f in top] == [("industry", "fintech")]
    assert top_criteria(learned, ["role"]) == []


@settings(max_examples=200)
@given(st.integers(0, 60), st.integers(1, 60), st.integers(0, 60), st.integers(1, 60))
def test_intervals_contain_their_estimates(k, n, j, m):
    k, j = min(k, n), min(j, m)
    low, high = wilson(k, n, 1.96)
    assert 0 <= low <= k / n <= high <= 1
    rr, lo, hi = risk_ratio(k, n, j, m, 1.96)
    assert 0 < lo <= rr <= hi
