"""Queries compiled once (services/compiled.py): rows_of gives the rows the ORM
gives and instances_of the instances, for any person, whichever person the query
was first compiled for."""

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


def test_instances_of_makes_the_instances_the_orm_makes_with_their_related_rows(
    network, alice, mallory, today
):
    from django.forms.models import model_to_dict

    from goodwill.db.models import Organization, Person
    from goodwill.services.compiled import instances_of

    ws = alice.workspace
    acme = Organization.objects.create(workspace=ws, name="Acme Compiled")
    carol, paul = network.carol, network.paul
    carol.organization, carol.birthday = acme, dt.date(1980, 2, 29)
    carol.save()

    def build():
        return of_id(scoped(Person, ws).select_related("organization"), Person, "id")

    for person in [carol, paul, carol]:  # compiled for carol, run for paul
        (made,) = instances_of(("test person", ws.pk), build, [person.pk])
        orm = Person.objects.select_related("organization").get(pk=person.pk)
        assert model_to_dict(made) == model_to_dict(orm)
        assert made.birthday == orm.birthday and type(made.birthday) is type(orm.birthday)
        assert (made.organization and made.organization.name) == (
            orm.organization and orm.organization.name
        )
        assert not made._state.adding and made._state.db == orm._state.db
    assert made.organization.name == "Acme Compiled"
    # A saved instance updates its row: it is one the database gave.
    made.title = "CFO"
    made.save(update_fields=["title"])
    assert Person.objects.get(pk=carol.pk).title == "CFO"
    # Another workspace's person is not found through this workspace's query.
    theirs = Person.objects.filter(workspace=mallory.workspace).first() or Person.objects.create(
        workspace=mallory.workspace, name="Mal", created_on=today, stage_since=today
    )
    assert instances_of(("test person", ws.pk), build, [theirs.pk]) == []


def test_rows_of_all_gives_each_querys_rows_in_one_round_trip_on_postgresql(network, alice):
    """Several queries sent together (rows.fetch_all) give what each gives alone; on
    PostgreSQL every one of them runs inside one pipeline (psycopg's pipeline mode),
    and a failing one raises Django's DatabaseError, leaving the connection usable."""
    import pytest
    from django.db import DatabaseError, connection, transaction

    from goodwill.db.models import Channel, Person
    from goodwill.services.compiled import query_of, rows_of_all
    from goodwill.services.rows import fetch, fetch_all

    ws = alice.workspace
    queries = [
        query_of(
            ("test all", model.__name__, ws.pk),
            lambda m=model, c=column, n=names: of_id(scoped(m, ws), m, c).order_by("id").values(*n),
            [network.carol.pk],
        )
        for model, column, names in [
            (Person, "id", ("id", "name", "created_on")),
            (Channel, "person_id", ("kind", "value")),
            (Interaction, "person_id", ("id", "date", "is_pitch")),
        ]
    ]
    piped: list[bool] = []

    def spy(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if connection.vendor == "postgresql":
            from psycopg import pq

            piped.append(connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        together = rows_of_all(queries)
    alone = [q.rows(fetch(q.sql, q.params)) for q in queries]
    assert together == alone and all(together)
    assert together[0] == [
        {"id": network.carol.pk, "name": network.carol.name, "created_on": network.carol.created_on}
    ]
    assert piped == ([True] * 3 if connection.vendor == "postgresql" else [])
    with pytest.raises(DatabaseError), transaction.atomic():  # (a savepoint to go back to)
        fetch_all([("SELECT 1", []), ("SELECT * FROM no_such_table", []), ("SELECT 2", [])])
    assert fetch_all([("SELECT 3", [])]) == [(fetch("SELECT 3", [])[0], [(3,)])]
