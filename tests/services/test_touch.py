"""touched(): one UPDATE moves a person's last contact forward (never back) and
counts the touchpoint, in the database and on the instance alike."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.db.models import Person
from goodwill.services.touch import touched

DAYS = st.integers(min_value=-400, max_value=0)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.one_of(st.none(), DAYS), touches=st.lists(DAYS, max_size=6))
def test_touched_keeps_the_latest_date_and_counts_every_touch(alice, today, start, touches):
    with transaction.atomic():
        first = None if start is None else today + dt.timedelta(days=start)
        person = Person.objects.create(
            workspace=alice.workspace, name="Touched", created_on=today, stage_since=today,
            last_contact=first, touch_count=3,
        )  # fmt: skip
        other = Person.objects.create(
            workspace=alice.workspace, name="Untouched", created_on=today, stage_since=today
        )
        dates = [today + dt.timedelta(days=d) for d in touches]
        for date in dates:
            touched(person, date)
        known = [d for d in [first, *dates] if d is not None]
        expected = (max(known) if known else None, 3 + len(dates))
        stored = Person.objects.get(pk=person.pk)
        assert (stored.last_contact, stored.touch_count) == expected
        assert (person.last_contact, person.touch_count) == expected
        assert Person.objects.get(pk=other.pk).touch_count == 0
        transaction.set_rollback(True)
