"""Health: components, each explained, and properties of the formulas."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from goodwill.core.health import WEIGHTS, HealthInput, recency, score

TODAY = dt.date(2026, 11, 23)
BASE = HealthInput(
    last_contact=TODAY - dt.timedelta(days=10),
    cadence=30,
    known_since=TODAY - dt.timedelta(days=400),
)

days = st.integers(min_value=0, max_value=2000)
cadences = st.integers(min_value=1, max_value=365)
counts = st.integers(min_value=0, max_value=50)


@given(days, days, cadences)
def test_more_recent_contact_never_lowers_recency(a, b, cadence):
    newer, older = sorted((a, b))
    assert recency(TODAY - dt.timedelta(days=newer), cadence, TODAY) >= recency(
        TODAY - dt.timedelta(days=older), cadence, TODAY
    )


@given(cadences)
def test_recency_decays_instead_of_falling_off_a_cliff(cadence):
    just_late = recency(TODAY - dt.timedelta(days=cadence + 1), cadence, TODAY)
    assert 0.5 <= just_late < 1
    assert recency(TODAY - dt.timedelta(days=2 * cadence), cadence, TODAY) == 0.5


@given(
    last=st.one_of(st.none(), days),
    cadence=cadences,
    me=counts,
    them=counts,
    given_=counts,
    received=counts,
    interactions=counts,
    helping=counts,
    pitches=counts,
    kept=counts,
    late=counts,
    broken=counts,
    recent=counts,
    previous=counts,
    quality=st.one_of(st.none(), st.floats(min_value=1, max_value=5)),
)
def test_score_is_between_0_and_100_and_every_component_is_explained(
    last,
    cadence,
    me,
    them,
    given_,
    received,
    interactions,
    helping,
    pitches,
    kept,
    late,
    broken,
    recent,
    previous,
    quality,
):
    helping = min(helping, interactions)
    pitches = min(pitches, interactions - helping)
    h = score(
        HealthInput(
            last_contact=None if last is None else TODAY - dt.timedelta(days=last),
            cadence=cadence,
            known_since=TODAY - dt.timedelta(days=500),
            touches=recent + previous,
            by_me=me,
            by_them=them,
            favours_given=given_,
            favours_received=received,
            kinds=min(interactions, 13),
            interactions=interactions,
            helping=helping,
            pitches=pitches,
            quality_mean=quality,
            kept_on_time=kept,
            kept_late=late,
            broken=broken,
            recent=recent,
            previous=previous,
        ),
        TODAY,
    )
    assert 0 <= h.score <= 100
    assert [c.name for c in h.components] == list(WEIGHTS)
    for c in h.components:
        assert 0 <= c.value <= 1
        assert c.explanation


def _value(inp, name):
    return next(c.value for c in score(inp, TODAY).components if c.name == name)


def test_one_way_contact_weighs_less_than_give_and_take():
    one_way = replace(BASE, by_me=6, by_them=0)
    mutual = replace(BASE, by_me=3, by_them=3)
    assert _value(one_way, "reciprocity") < 0.2 < _value(mutual, "reciprocity")


def test_helping_counts_more_than_pitching():
    pitching = replace(BASE, interactions=4, kinds=1, pitches=4)
    helping = replace(BASE, interactions=4, kinds=1, helping=4)
    assert _value(helping, "depth") > _value(pitching, "depth")


def test_broken_promises_lower_the_commitments_component():
    assert _value(replace(BASE, kept_on_time=2), "commitments") == 1
    assert _value(replace(BASE, kept_on_time=1, broken=1), "commitments") < 1


def test_a_warming_relationship_trends_up_and_a_cooling_one_down():
    assert _value(replace(BASE, recent=4, previous=1), "trend") > 0.5
    assert _value(replace(BASE, recent=1, previous=4), "trend") < 0.5


def test_a_relationship_never_contacted_scores_low():
    assert score(replace(BASE, last_contact=None), TODAY).score < 30
