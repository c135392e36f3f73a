"""The people count the database keeps (db.models.matches.PeopleCount, migration
0013) equals the number of people of each workspace, whatever added or deleted
them: the services, an import, a bulk demo load, a restore, a merge, raw SQL, a
workspace deleted; and the people list's total reads it."""

from __future__ import annotations

from django.db import connection

from goodwill.db.models import PeopleCount, Person, Workspace
from goodwill.services.backup import export_json, restore_json
from goodwill.services.demo import build_demo
from goodwill.services.directory import list_people, people_count
from goodwill.services.importing import import_file
from goodwill.services.merge import merge_people
from goodwill.services.people import PersonInput, add_person, delete_person
from tests.services.test_importing import linkedin


def kept() -> dict[int, int]:
    return {c.workspace_id: c.people for c in PeopleCount.objects.all() if c.people}


def actual() -> dict[int, int]:
    found: dict[int, int] = {}
    for ws in Person.objects.values_list("workspace_id", flat=True):
        found[ws] = found.get(ws, 0) + 1
    return found


def test_the_kept_count_follows_every_way_people_come_and_go(alice, mallory, today):
    assert people_count(alice) == 0
    one = add_person(actor=alice, data=PersonInput(name="Ann One"), today=today)
    two = add_person(actor=alice, data=PersonInput(name="Ann Two"), today=today)
    add_person(actor=mallory, data=PersonInput(name="Mal Lory"), today=today)
    assert kept() == actual() == {alice.workspace.pk: 2, mallory.workspace.pk: 1}

    import_file(actor=alice, today=today, kind="linkedin", data=linkedin(30))  # bulk, deferred
    assert kept() == actual()
    merge_people(actor=alice, keep=one, drop=two)
    delete_person(actor=alice, person_id=one.pk)
    Person.objects.filter(workspace=alice.workspace, name__startswith="Person1").delete()
    assert kept() == actual()
    with connection.cursor() as cur:  # whatever writes: raw SQL too
        cur.execute(
            "INSERT INTO goodwill_person (workspace_id, name, email, title, industry, location,"
            " role, tier, stage, stage_since, source, source_detail, needs, offers, goals,"
            " value_i_bring, work_on, personal, notes, created_on, touch_count)"
            " SELECT workspace_id, name || ' again', '', '', '', '', role, tier, stage,"
            " stage_since, source, '', '', '', '', '', '', '', '', created_on, 0"
            " FROM goodwill_person WHERE workspace_id = %s",
            [alice.workspace.pk],
        )
    assert kept() == actual()
    page = list_people(actor=alice, today=today, limit=5)
    assert page.total == Person.objects.filter(workspace=alice.workspace).count() > 5


def test_a_bulk_demo_load_and_a_restore_count_their_people(alice, mallory, today):
    build_demo(actor=alice, today=today, people=300, seed=3)
    assert kept() == actual() and people_count(alice) == 300
    exported = export_json(actor=alice)
    mallory.workspace.name = alice.workspace.name
    mallory.workspace.save()
    restore_json(actor=mallory, data=exported.encode())
    assert kept() == actual() and people_count(mallory) == 300
    Workspace.objects.filter(pk=mallory.workspace.pk).delete()
    assert kept() == actual() == {alice.workspace.pk: 300}
