"""Bulk services (exports, ledger, targets, digest, calendar, backup) run the same
number of queries whatever the size of the network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.services import exporting, favours, targeting
from goodwill.services.calendar import calendar_ics
from goodwill.services.digest import build_digest
from goodwill.services.funnel import funnel_report
from goodwill.services.review import yearly_review
from tests.web.test_query_growth import grow


def _export(fmt: str) -> Callable[[Any, Any], object]:
    return lambda a, t: exporting.export(actor=a, today=t, format=fmt)


BULK: dict[str, Callable[[Any, Any], object]] = {
    **{f"export {fmt}": _export(fmt) for fmt in exporting.FORMATS},
    "ledger": lambda a, t: favours.ledger(actor=a, today=t),
    "ledger summary": lambda a, t: favours.ledger_summary(actor=a, today=t),
    "targets": lambda a, t: targeting.targets(actor=a),
    "digest": lambda a, t: build_digest(actor=a, today=t),
    "calendar": lambda a, t: calendar_ics(actor=a, today=t),
    "funnel": lambda a, t: funnel_report(actor=a, today=t),
    "review": lambda a, t: yearly_review(actor=a, today=t, year=t.year),
}


def _count(fn: Callable[[], object]) -> int:
    fn()  # warm: a plan saved for the day, …
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


@pytest.mark.parametrize("name", sorted(BULK))
def test_a_bulk_service_does_not_query_more_with_a_bigger_network(alice, network, today, name):
    run = BULK[name]
    grow(alice, today, network.carol, 3, "a")
    small = _count(lambda: run(alice, today))
    grow(alice, today, network.carol, 15, "b")
    assert _count(lambda: run(alice, today)) == small
