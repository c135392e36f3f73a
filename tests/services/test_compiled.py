"""Queries compiled once (services/compiled.py): rows_of gives the rows the ORM
gives, for any person, whichever person the query was first compiled for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from goodwill.db.models import Deal, Favour, Interaction
from goodwill.services.compiled import of_id, of_ids, rows_of
from goodwill.services.context import scoped


def test_rows_of_converts_values_as_the_orm_does_for_every_person(network, alice, today):
    ws = alice.workspace
    for i, person in enumerate([network.carol, network.paul]):
        Deal.objects.create(
            workspace=ws, client=person, title=f"deal {i}", amount=Decimal("1200.50") + i,
            date=today - dt.timedelta(days=i), status="won", origin="referral",
        )  # fmt: skip
        Favour.objects.create(
            workspace=ws, person=person, date=today, direction="gave", kind="intro",
            value=None if i else Decimal("75.00"),
        )  # fmt: skip
        Interaction.objects.create(
            workspace=ws, person=person, kind="call", date=today, is_pitch=bool(i), quality=4
        )

    for model, column, names in [
        (Deal, "client_id", ("id", "date", "amount", "status")),
        (Favour, "person_id", ("id", "date", "value", "direction")),
        (Interaction, "person_id", ("id", "date", "is_pitch", "quality", "note")),
    ]:
        for narrow, key in [(of_id, "one"), (of_ids, "many")]:
            for person in [network.carol, network.paul]:  # compiled for carol, run for paul
                rows = rows_of(
                    ("test", model.__name__, key, ws.pk),
                    lambda m=model, c=column, n=names, f=narrow: (
                        f(scoped(m, ws), m, c).order_by("id").values(*n)
                    ),
                    [person.pk],
                )
                orm = list(
                    scoped(model, ws).filter(**{column: person.pk}).order_by("id").values(*names)
                )
                assert rows == orm and rows
                assert [type(v) for r in rows for v in r.values()] == [
                    type(v) for r in orm for v in r.values()
                ]
