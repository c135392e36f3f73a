"""JSON export and restore (every table equal), and SQLite whole-database backup/restore."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection

from goodwill.db import models as m
from goodwill.services.backup import (
    backup_database,
    export_json,
    owned_models,
    restore_file,
    restore_json,
)
from goodwill.services.errors import BadInput


@pytest.fixture
def everything(alice, bob, network, today):
    """One row in every kind of table, with foreign keys between them."""
    ws = alice.workspace
    carol, rita, bruno = network.carol, network.rita, network.bruno
    event = m.Event.objects.create(workspace=ws, name="Summit", date=today, hours=Decimal("3.50"))
    m.EventMet.objects.create(workspace=ws, event=event, person=carol, note="hi")
    m.EventTarget.objects.create(workspace=ws, event=event, person=rita)
    deal = m.Deal.objects.create(
        workspace=ws,
        client=bruno,
        amount=Decimal("1200.50"),
        date=today,
        origin="referral",
        referrer=rita,
        event=event,
    )
    intro = m.Introduction.objects.create(
        workspace=ws, a=carol, b=network.paul, suggested_on=today, reason="books"
    )
    m.Favour.objects.create(
        workspace=ws, person=rita, direction="received", kind="referral", date=today, deal=deal
    )
    m.Favour.objects.create(
        workspace=ws,
        person=carol,
        direction="gave",
        kind="introduction",
        date=today,
        introduction=intro,
    )
    m.Commitment.objects.create(
        workspace=ws, person=carol, description="send deck", created_on=today, due_date=today
    )
    m.PlanEntry.objects.create(
        workspace=ws, user=bob.user, person=carol, date=today, reasons=["quiet"], score=1.5
    )
    tag = m.Tag.objects.create(workspace=ws, name="vip")
    m.PersonTag.objects.create(workspace=ws, person=carol, tag=tag)
    m.Interaction.objects.create(
        workspace=ws, person=carol, kind="call", date=today, member=bob.user, note="x"
    )
    ws.settings = {"cadence": {"inner": 10}}
    ws.save()
    return network


def canonical(text: str) -> dict:
    """The export with ids replaced by their position, so two workspaces compare equal."""
    doc = json.loads(text)
    positions = {
        name: {row["id"]: i for i, row in enumerate(rows)} for name, rows in doc["tables"].items()
    }
    targets = {}
    for model in owned_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.name != "workspace" and f.related_model in owned_models():
                targets[(model._meta.model_name, f.attname)] = f.related_model._meta.model_name
    users = doc["workspace"].pop("users")
    out = {}
    for name, rows in doc["tables"].items():
        fixed = []
        for row in rows:
            row = dict(row)
            row["id"] = positions[name][row["id"]]
            for key, value in row.items():
                if (name, key) in targets and value is not None:
                    row[key] = positions[targets[(name, key)]][value]
                elif key in ("user_id", "member_id") and value is not None:
                    row[key] = users[str(value)]
            fixed.append(row)
        out[name] = fixed
    return {"workspace": doc["workspace"], "tables": out}


def test_export_json_is_versioned_and_holds_every_workspace_table(alice, everything):
    doc = json.loads(export_json(actor=alice))
    assert doc["format"] == "goodwill" and doc["version"] == 1
    assert {name for name, rows in doc["tables"].items() if rows} == {
        mod._meta.model_name
        for mod in owned_models()
        if mod.objects.filter(workspace=alice.workspace).exists()
    }


def test_restore_into_an_empty_workspace_makes_every_table_equal(alice, mallory, everything):
    exported = export_json(actor=alice)
    mallory.workspace.name = alice.workspace.name
    mallory.workspace.save()
    restore_json(actor=mallory, data=exported.encode())
    assert canonical(export_json(actor=mallory)) == canonical(exported)


def test_restore_refuses_a_workspace_that_has_data(alice, everything):
    with pytest.raises(BadInput, match="empty workspace"):
        restore_json(actor=alice, data=export_json(actor=alice).encode())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b"[]",
        b'{"format": "other"}',
        b'{"format": "goodwill", "version": 99, "tables": {}}',
        b'{"format": "goodwill", "version": 1, "tables": {"person": '
        b'[{"id": 1, "name": "x", "birthday": "nope"}]}}',
    ],
)
def test_restore_of_a_bad_file_is_bad_input_and_writes_nothing(mallory, data):
    with pytest.raises(BadInput):
        restore_file(actor=mallory, data=data)
    assert not m.Person.objects.filter(workspace=mallory.workspace).exists()


def test_only_an_owner_may_restore(bob, mallory, alice, network):
    exported = export_json(actor=alice).encode()
    with pytest.raises(BadInput):
        restore_json(actor=bob, data=exported)


@pytest.mark.sqlite_only("SQLite's online backup API; PostgreSQL answers with pg_dump advice")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_is_a_consistent_copy_that_restores(alice, tmp_path, today):
    m.Person.objects.create(
        workspace=alice.workspace, name="Kept", created_on=today, stage_since=today
    )
    target = tmp_path / "copy.sqlite3"
    backup_database(path=target)
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    m.Person.objects.create(
        workspace=alice.workspace, name="Later", created_on=today, stage_since=today
    )
    restore_file(actor=alice, data=target.read_bytes())
    assert list(m.Person.objects.values_list("name", flat=True)) == ["Kept"]


def test_backup_on_postgresql_gives_pg_dump_advice(monkeypatch, tmp_path):
    if connection.vendor == "sqlite":  # the PostgreSQL run asks the real thing
        monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(BadInput, match="pg_dump"):
        backup_database(path=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_restoring_a_sqlite_file_that_is_not_a_goodwill_backup_is_bad_input(alice, tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    # PostgreSQL restores no SQLite file at all: it points to pg_restore instead.
    why = "not a goodwill backup" if connection.vendor == "sqlite" else "pg_dump"
    with pytest.raises(BadInput, match=why):
        restore_file(actor=alice, data=other.read_bytes())
    assert not m.Person.objects.exists()
