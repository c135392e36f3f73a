"""The Jinja2 environment (goodwill/web/jinja.py) prints what DTL printed: the same
snippet rendered by both backends gives the same text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import engines
from django.test import RequestFactory

CONTEXT = {
    "text": 'O\'Brien & "Sons" <b>',
    "day": dt.date(2026, 11, 23),
    "moment": dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC),
    "amount": Decimal("1234.50"),
    "ratio": 0.4567,
    "count": 2,
    "none": None,
    "flag": True,
    "lines": "one\ntwo <i>",
    "words": ["a'b", "<c>"],
    "row": {"items": "a key, not the method", "id": 7},
}

# (DTL, Jinja2) pairs that must render alike.
PAIRS = [
    ("{{ text }}", "{{ text }}"),
    ("{{ day }} {{ moment }}", "{{ day }} {{ moment }}"),
    (
        "{{ amount }} {{ ratio }} {{ count }} {{ none }} {{ flag }}",
        "{{ amount }} {{ ratio }} {{ count }} {{ none }} {{ flag }}",
    ),
    (
        '{{ day|date:"D j M" }} {{ moment|date:"Y-m-d H:i" }} {{ day|date:"l j F Y" }}',
        '{{ day|date("D j M") }} {{ moment|date("Y-m-d H:i") }} {{ day|date("l j F Y") }}',
    ),
    (
        "{{ missing }}|{{ missing.deeper }}|{{ missing|date:'Y' }}|{{ missing|default:'x' }}",
        "{{ missing }}|{{ missing.deeper }}|{{ missing|date('Y') }}|{{ missing|default('x') }}",
    ),
    (
        "{{ count }} item{{ count|pluralize }}; {{ lines|linebreaksbr }}",
        "{{ count }} item{{ count|pluralize }}; {{ lines|linebreaksbr }}",
    ),
    (
        '{{ ratio|floatformat:2 }} {{ words|join:", " }} {{ text|urlencode }}',
        '{{ ratio|floatformat(2) }} {{ words|join(", ") }} {{ text|urlencode }}',
    ),
    (
        "{% widthratio ratio 1 100 %} {% widthratio ratio 0 100 %} {% widthratio none 1 100 %}",
        "{{ widthratio(ratio, 1, 100) }} {{ widthratio(ratio, 0, 100) }} "
        "{{ widthratio(none, 1, 100) }}",
    ),
    ("{{ row.items }} {{ row.id }}", "{{ row.items }} {{ row.id }}"),
    (
        "{% autoescape off %}{{ text }} {{ day }}{% endautoescape %}",
        "{% autoescape false %}{{ text }} {{ day }}{% endautoescape %}",
    ),
]


@pytest.mark.parametrize(("dtl", "jinja"), PAIRS)
def test_jinja2_prints_what_dtl_printed(dtl, jinja, settings):
    settings.TIME_ZONE = "Europe/Berlin"  # 23:30 UTC prints as 24 Nov, 00:30
    expected = engines["django"].from_string(dtl).render(CONTEXT)
    assert engines["jinja2"].from_string(jinja).render(CONTEXT) == expected


@pytest.mark.parametrize("grouped", [True, False])
def test_whole_numbers_follow_the_thousand_separator_setting_as_under_dtl(settings, grouped):
    settings.USE_THOUSAND_SEPARATOR = grouped
    context = {"big": 1234567, "small": 12}
    expected = engines["django"].from_string("{{ big }} {{ small }}").render(context)
    assert expected == ("1,234,567 12" if grouped else "1234567 12")
    assert engines["jinja2"].from_string("{{ big }} {{ small }}").render(context) == expected


def test_the_csrf_token_is_masked_once_per_response():
    request = RequestFactory().get("/")
    page = (
        engines["jinja2"]
        .from_string("{{ csrf_token }}|{{ csrf_input }}|{{ csrf_input }}")
        .render({}, request)
    )
    token, first, second = page.split("|")
    assert first == second == (f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')
