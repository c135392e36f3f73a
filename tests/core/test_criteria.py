"""Criteria strings: parsing, errors that name the bad token, matching."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goodwill.core.criteria import (
    FIELDS,
    CriteriaError,
    Criterion,
    format_criteria,
    matches,
    parse_criteria,
    profile,
)


def test_a_criteria_string_parses_into_lower_cased_field_value_pairs():
    assert parse_criteria("Industry=FinTech role=cfo") == [
        Criterion("industry", "fintech"),
        Criterion("role", "cfo"),
    ]


def test_quoted_values_may_contain_spaces():
    assert parse_criteria('industry="financial services"') == [
        Criterion("industry", "financial services")
    ]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("industry=fintech colour=blue", "colour=blue"),
        ("industry=fintech cfo", "cfo"),
        ("role=", "role="),
        ("=x", "=x"),
    ],
)
def test_a_malformed_criterion_is_an_error_naming_the_bad_token(text, token):
    with pytest.raises(CriteriaError) as info:
        parse_criteria(text)
    assert info.value.token == token
    assert repr(token) in str(info.value)


def test_an_unbalanced_quote_is_an_error():
    with pytest.raises(CriteriaError):
        parse_criteria('industry="fintech')


values = st.text(alphabet="abcdefghij xyz", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(st.tuples(st.sampled_from(FIELDS), values), min_size=1, max_size=5))
def test_formatting_and_parsing_again_gives_the_same_criteria(pairs):
    criteria = [Criterion(f, v) for f, v in pairs]
    unique = list(dict.fromkeys(criteria))
    assert parse_criteria(format_criteria(unique)) == unique


def test_every_field_must_match_but_values_of_one_field_are_alternatives():
    cfo = profile(industry="Fintech", title="CFO", role="prospect")
    assert matches(parse_criteria("industry=fintech role=cfo"), cfo)
    assert matches(parse_criteria("role=ceo role=cfo"), cfo)
    assert not matches(parse_criteria("industry=fintech role=ceo"), cfo)
    assert matches(parse_criteria("role=prospect"), cfo)


def test_title_organization_and_location_match_as_substrings():
    p = profile(title="Head of Finance", organization="Acme Payments Ltd", location="London, UK")
    assert matches(parse_criteria('title=finance organization="acme pay" location=london'), p)
    assert not matches(parse_criteria("organization=globex"), p)


def test_industry_matches_the_organizations_industry_and_tags_match_any_tag():
    p = profile(org_industry="fintech", tags=["VIP", "Golf"])
    assert matches(parse_criteria("industry=fintech tag=golf"), p)
    assert not matches(parse_criteria("tag=chess"), p)


def test_no_criteria_match_nobody():
    assert not matches([], profile(industry="fintech"))
