"""Stored matches: rebuilt whenever a change can alter a match, whatever made it."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from goodwill.core import matching
from goodwill.db.models import MatchIndex, NeedMatch, Person
from goodwill.services import matches
from goodwill.services.backup import export_json
from goodwill.services.people import (
    PersonInput,
    add_person,
    change_stage,
    delete_person,
    edit_person,
)


def _version(actor) -> int:
    return MatchIndex.objects.get(workspace=actor.workspace).version


def _built(actor) -> bool:
    index = MatchIndex.objects.get(workspace=actor.workspace)
    return index.built_version == index.version


def _pairs(actor) -> set[tuple[int, int]]:
    return {(m.need_id, m.offer_id) for m in matches.stored(actor)}


@pytest.fixture
def built(alice, network):
    matches.ensure(alice)
    assert _built(alice)
    return network


def test_the_stored_matches_are_what_the_matcher_finds(alice, built):
    profiles = [
        matching.Profile(pid, needs=n, offers=o)
        for pid, n, o in Person.objects.filter(workspace=alice.workspace)
        .exclude(stage="let_go")
        .values_list("id", "needs", "offers")
    ]
    expected = matching.Matcher(profiles).match_all(
        per_person=matches.STORED_PER_PERSON, min_score=matches.STORED_MIN_SCORE
    )
    assert expected
    assert matches.stored(alice) == expected


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda a, n, t: _edit(a, n.carol, t, needs="raising a seed round"), id="needs"
        ),
        pytest.param(lambda a, n, t: _edit(a, n.paul, t, offers="gardening"), id="offers"),
        pytest.param(
            lambda a, n, t: change_stage(
                actor=a, person=n.paul, stage="let_go", reason="moved", today=t
            ),
            id="let-go",
        ),
        pytest.param(lambda a, n, t: delete_person(actor=a, person_id=n.paul.pk), id="delete"),
        pytest.param(
            lambda a, n, t: add_person(
                actor=a, data=PersonInput(name="New One", offers="tax returns"), today=t
            ),
            id="add",
        ),
        pytest.param(
            lambda a, n, t: Person.objects.filter(pk=n.carol.pk).update(needs="a new website"),
            id="raw-sql",
        ),
    ],
)
def test_a_change_that_can_alter_a_match_marks_them_stale(alice, built, today, change):
    before = _version(alice)
    change(alice, built, today)
    assert _version(alice) > before and not _built(alice)
    matches.ensure(alice)
    assert _built(alice)


def _edit(actor, person, today, **values):
    current = {f: getattr(person, f) for f in ("name", "needs", "offers", "stage")}
    edit_person(actor=actor, person=person, data=PersonInput(**{**current, **values}), today=today)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a, n, t: _edit(a, n.carol, t, name="Carol C. Client"), id="rename"),
        pytest.param(
            lambda a, n, t: change_stage(actor=a, person=n.carol, stage="productive", today=t),
            id="stage",
        ),
    ],
)
def test_a_change_that_cannot_alter_a_match_keeps_them(alice, built, today, change):
    before = _version(alice)
    change(alice, built, today)
    assert _version(alice) == before and _built(alice)


def test_a_new_need_is_matched_on_the_next_read(alice, built, today):
    assert _pairs(alice)
    fay = add_person(
        actor=alice,
        data=PersonInput(name="Fay Founder", stage="nurturing", needs="looking for investors"),
        today=today,
    )
    assert (fay.pk, built.peter.pk) in _pairs(alice)
    edit_person(
        actor=alice,
        person=fay,
        data=PersonInput(name="Fay Founder", stage="nurturing", needs="a new website"),
        today=today,
    )
    assert all(need != fay.pk or offer != built.peter.pk for need, offer in _pairs(alice))


def test_a_change_made_during_a_rebuild_leaves_the_index_stale(alice, built, monkeypatch):
    real = matching.Matcher

    def meanwhile(profiles):
        with connection.cursor() as cur:  # another writer, while the matcher runs
            cur.execute(
                "UPDATE goodwill_person SET needs = 'a lawyer' WHERE id = %s", [built.carol.pk]
            )
        return real(profiles)

    Person.objects.filter(pk=built.carol.pk).update(needs="an accountant")
    monkeypatch.setattr(matching, "Matcher", meanwhile)
    matches.ensure(alice)
    assert not _built(alice)
    monkeypatch.setattr(matching, "Matcher", real)
    matches.ensure(alice)
    assert _built(alice)


def test_a_changed_matcher_rebuilds(alice, built, monkeypatch):
    NeedMatch.objects.filter(workspace=alice.workspace).delete()
    assert not matches.stored(alice)  # current: nothing is recomputed
    monkeypatch.setattr(matching, "fingerprint", lambda: "another matcher")
    assert matches.stored(alice)


def test_stored_matches_stay_in_their_workspace(alice, built, today):
    from tests.conftest import _user_actor

    zed = _user_actor("zed@example.com")

    def person(name, **kw):
        return add_person(actor=zed, data=PersonInput(name=name, **kw), today=today).pk

    needer = person("Zed Needer", needs="help with my books")
    keeper = person("Zed Keeper", offers="bookkeeping and tax returns")
    assert _pairs(zed) == {(needer, keeper)}
    mine = {p for pair in _pairs(alice) for p in pair}
    assert mine and not mine & {needer, keeper}
    assert (built.carol.pk, built.paul.pk) in _pairs(alice)


def test_derived_rows_are_not_exported(alice, built):
    assert NeedMatch.objects.filter(workspace=alice.workspace).exists()
    tables = json.loads(export_json(actor=alice))["tables"]
    assert "person" in tables and "needmatch" not in tables
