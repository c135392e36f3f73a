"""Keep the per-person summary columns current on every write.

Any touchpoint (an interaction of any kind, a favour, a deal, an introduction,
being met at an event) moves ``last_contact`` forward; other tools count only
some kinds, which makes neglect lists wrong.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Max, Q

from goodwill.db.models import Deal, EventMet, Favour, Interaction, Introduction, Person


def touched(person: Person, date: dt.date) -> None:
    """Record a touchpoint with ``person`` on ``date`` (one UPDATE, no read; written
    as SQL: the ORM's CASE took most of logging an interaction to build)."""
    day = connection.ops.adapt_datefield_value(date)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Person._meta.db_table} SET touch_count = touch_count + 1, "
            "last_contact = CASE WHEN last_contact IS NULL OR last_contact < %s THEN %s "
            "ELSE last_contact END WHERE id = %s",
            [day, day, person.pk],
        )
    if person.last_contact is None or person.last_contact < date:
        person.last_contact = date
    person.touch_count += 1


def recompute(person: Person) -> None:
    """Recompute the summary columns from the interactions (after a merge or delete)."""
    dates = [
        Interaction.objects.filter(person=person).aggregate(m=Max("date"))["m"],
        Favour.objects.filter(person=person).aggregate(m=Max("date"))["m"],
        Deal.objects.filter(client=person).aggregate(m=Max("date"))["m"],
        EventMet.objects.filter(person=person).aggregate(m=Max("event__date"))["m"],
        Introduction.objects.filter(Q(a=person) | Q(b=person), made_on__isnull=False).aggregate(
            m=Max("made_on")
        )["m"],
    ]
    known = [d for d in dates if d is not None]
    person.last_contact = max(known) if known else None
    person.touch_count = Interaction.objects.filter(person=person).count()
    Person.objects.filter(pk=person.pk).update(
        last_contact=person.last_contact, touch_count=person.touch_count
    )
