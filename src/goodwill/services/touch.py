"""Keep the per-person summary columns current on every write.

Any touchpoint (an interaction of any kind, a favour, a deal, an introduction,
being met at an event) moves ``last_contact`` forward; other tools count only
some kinds, which makes neglect lists wrong.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, Max, Q, When

from goodwill.db.models import Deal, EventMet, Favour, Interaction, Introduction, Person


def touched(person: Person, date: dt.date) -> None:
    """Record a touchpoint with ``person`` on ``date`` (one UPDATE, no read)."""
    Person.objects.filter(pk=person.pk).update(
        touch_count=F("touch_count") + 1,
        last_contact=Case(
            When(last_contact__isnull=True, then=date),
            When(last_contact__lt=date, then=date),
            default=F("last_contact"),
        ),
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
