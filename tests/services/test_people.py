"""People services: add, find, edit, stage, merge, search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.db.models import Channel, Interaction, Person, StageChange
from goodwill.services.errors import Ambiguous, BadInput, NotFound
from goodwill.services.interactions import log_interaction
from goodwill.services.merge import merge_people
from goodwill.services.people import (
    PersonInput,
    add_person,
    change_stage,
    resolve_person,
)
from goodwill.services.search import search_ids


def test_adding_a_person_records_the_first_stage_and_channels(alice, today):
    p = add_person(
        actor=alice,
        data=PersonInput(
            name="Ann Lee", email="Ann@X.test", phones=["+1 (555) 010-2000"], stage="connected"
        ),
        today=today,
    )
    assert p.stage == "connected"
    assert list(StageChange.objects.filter(person=p).values_list("to_stage", flat=True)) == [
        "connected"
    ]
    assert set(Channel.objects.filter(person=p).values_list("kind", "normalized")) == {
        ("email", "ann@x.test"),
        ("phone", "+15550102000"),
    }


@pytest.mark.parametrize(
    "data, field",
    [
        (PersonInput(name=""), "name"),
        (PersonInput(name="A", email="not-an-email"), "email"),
        (PersonInput(name="A", role="wizard"), "role"),
        (PersonInput(name="A", birthday="32/13/2020"), "birthday"),
        (PersonInput(name="A", cadence_days="-3"), "cadence"),
        (PersonInput(name="A", stage="let_go"), "stage"),
    ],
)
def test_bad_person_input_is_refused_and_nothing_is_written(alice, today, data, field):
    with pytest.raises(BadInput) as exc:
        add_person(actor=alice, data=data, today=today)
    assert exc.value.field == field
    assert Person.objects.count() == 0


def test_a_person_is_found_by_id_email_or_unique_fragment(network, alice):
    assert resolve_person(actor=alice, ref=str(network.carol.pk)) == network.carol
    assert resolve_person(actor=alice, ref="CAROL@acme.test") == network.carol
    assert resolve_person(actor=alice, ref="carol") == network.carol


def test_an_ambiguous_fragment_lists_the_candidates(network, alice):
    with pytest.raises(Ambiguous) as exc:
        resolve_person(actor=alice, ref="p")  # Paul, Pia, Peter, Carol Client, ...
    assert "Paul Partner" in exc.value.message and "Pia Prospect" in exc.value.message


def test_another_workspaces_people_are_never_found(network, mallory):
    with pytest.raises(NotFound):
        resolve_person(actor=mallory, ref=str(network.carol.pk))
    with pytest.raises(NotFound):
        resolve_person(actor=mallory, ref="carol@acme.test")


def test_letting_go_needs_a_reason(network, alice, today):
    with pytest.raises(BadInput):
        change_stage(actor=alice, person=network.pia, stage="let_go", today=today)
    change_stage(actor=alice, person=network.pia, stage="let_go", reason="no fit", today=today)
    assert Person.objects.get(pk=network.pia.pk).stage == "let_go"


def test_a_viewer_cannot_write(network, vera, today):
    with pytest.raises(BadInput):
        log_interaction(actor=vera, person=network.carol, kind="call", today=today)


def test_any_touchpoint_moves_last_contact_forward_never_back(network, alice, today):
    carol = network.carol
    log_interaction(
        actor=alice, person=carol, kind="email", today=today, date=today - dt.timedelta(days=3)
    )
    log_interaction(
        actor=alice, person=carol, kind="gift", today=today, date=today - dt.timedelta(days=30)
    )
    carol.refresh_from_db()
    assert carol.last_contact == today - dt.timedelta(days=3)


def test_merging_keeps_everything_of_both(network, alice, today):
    dup = add_person(
        actor=alice,
        data=PersonInput(name="C. Client", email="c@home.test", needs="a new office"),
        today=today,
    )
    log_interaction(actor=alice, person=dup, kind="call", today=today, note="from the dup")
    before = Interaction.objects.filter(person__in=[network.carol, dup]).count()
    kept = merge_people(actor=alice, keep=network.carol, drop=dup)
    assert not Person.objects.filter(pk=dup.pk).exists()
    assert Interaction.objects.filter(person=kept).count() == before
    assert {"carol@acme.test", "c@home.test"} <= set(
        Channel.objects.filter(person=kept).values_list("normalized", flat=True)
    )
    assert "a new office" in kept.needs and "audit" in kept.needs
    assert kept.last_contact == today


def test_search_finds_words_in_interaction_notes_and_needs(network, alice, today):
    log_interaction(
        actor=alice,
        person=network.pia,
        kind="event_chat",
        today=today,
        note="Talked about sailing in Croatia",
    )
    assert search_ids(actor=alice, query="croatia") == [network.pia.pk]
    assert search_ids(actor=alice, query="audi") == [network.carol.pk]  # prefix of "audit"
    assert search_ids(actor=alice, query="bookkeeping tax") == [network.paul.pk]


def test_search_never_crosses_workspaces(network, mallory):
    assert search_ids(actor=mallory, query="audit") == []


def test_the_people_list_search_joins_words_and_names_containing_the_text(
    network, alice, mallory, today
):
    from goodwill.services import people

    add_person(actor=mallory, data=PersonInput(name="Marola Other"), today=today)

    def found(text: str, **filters: str) -> list[str]:
        matches = people.search_matches(actor=alice, search=text)
        qs = people.filter_people(actor=alice, matches=matches, **filters)
        assert qs.count() == len(list(qs))
        return [p.name for p in qs]

    assert found("arol") == ["Carol Client"]  # inside a name, not at a word's start
    assert found("audit") == ["Carol Client"]  # a word of her needs
    everyone_with_er = [
        "Bruno Buyer",
        "Chen Customer",
        "Paul Partner",
        "Peter Peer",
        "Rita Referrer",
    ]
    assert found("er") == everyone_with_er  # by name, in name order
    assert found("p", role="client") == []
    assert found("b", role="client") == ["Bruno Buyer", "Carol Client"]  # Bruno; Carol's books


def test_an_edit_empties_the_fields_it_is_asked_to_clear_and_only_those(alice, network, today):
    from goodwill.services.people import CLEARABLE, edit_person

    paul = network.paul
    paul.cadence_days, paul.title = 30, "Partner"
    paul.save()
    edit_person(
        actor=alice, person=paul, data=PersonInput(clear=["offers", "cadence_days", "title"]),
        today=today,
    )  # fmt: skip
    paul.refresh_from_db()
    assert (paul.offers, paul.cadence_days, paul.title) == ("", None, "")
    assert paul.name == "Paul Partner" and paul.role == "partner"
    # A field given a value and listed to clear keeps the value.
    edit_person(
        actor=alice, person=paul, data=PersonInput(title="CFO", clear=["title"]), today=today
    )
    paul.refresh_from_db()
    assert paul.title == "CFO"
    with pytest.raises(BadInput, match="cannot clear 'name'"):
        edit_person(actor=alice, person=paul, data=PersonInput(clear=["name"]), today=today)
    assert "name" not in CLEARABLE


def test_a_search_matching_more_than_a_thousand_people_counts_and_pages_them_all(alice, today):
    from goodwill.services.directory import list_people

    Person.objects.bulk_create(
        Person(
            workspace=alice.workspace,
            name=f"Sailor {i:04d}",
            notes="loves sailing",
            created_on=today,
            stage_since=today,
        )
        for i in range(1200)
    )
    first = list_people(actor=alice, today=today, search="sailing", limit=50)
    assert first.total == 1200
    last = list_people(actor=alice, today=today, search="sailing", offset=1150, limit=50)
    assert [p.name for p in last.items] == [f"Sailor {i:04d}" for i in range(1150, 1200)]


NAME_CHARS = "abcAB é'\"-"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(NAME_CHARS, min_size=1, max_size=4),
    parts=st.lists(
        st.tuples(
            st.text(NAME_CHARS, max_size=4),
            st.booleans(),
            st.booleans(),
            st.text(NAME_CHARS, max_size=4),
        ),
        min_size=1,
        max_size=8,
    ),
    renamed=st.text(NAME_CHARS, min_size=1, max_size=10),
)
def test_a_name_is_found_by_any_part_of_it_in_any_case(alice, mallory, today, text, parts, renamed):
    """The list's search finds exactly the names containing the text, as Python's
    ``in`` does (the trigram index on SQLite from three characters, the database's
    own comparison below that and on PostgreSQL), besides the full-text matches
    (the text stripped: blank text is everyone); a rename and a delete are seen at
    once; another workspace never is."""
    from goodwill.db.search import list_matches

    def found(actor) -> set[int]:
        ids = list_matches(actor.workspace.pk, text)
        in_order = Person.objects.filter(pk__in=ids).order_by("name", "id")
        assert ids == [p.pk for p in in_order]  # the list's order, each once
        return set(ids)

    def expected() -> set[int]:
        people = Person.objects.filter(workspace=alice.workspace)
        by_words = set(search_ids(actor=alice, query=text, limit=None))
        return {p.pk for p in people if text.strip().lower() in p.name.lower()} | by_words

    # Names around the text (in its case or swapped) or without it, so that several match.
    # Only ASCII letters change case: SQLite's LIKE (under three characters) folds no
    # other, nor does PostgreSQL's upper() in the C locale; é stays é.
    def swapped(s: str) -> str:
        return "".join(c.swapcase() if c.isascii() else c for c in s)

    names = [
        before + ((swapped(text) if swap else text) if inside else "") + after
        for before, inside, swap, after in parts
    ]
    with transaction.atomic():
        made = [
            Person.objects.create(
                workspace=alice.workspace, name=n, created_on=today, stage_since=today
            )
            for n in names
        ]
        theirs = Person.objects.create(
            workspace=mallory.workspace, name=text * 2, created_on=today, stage_since=today
        )
        assert found(alice) == expected()
        made[0].name = renamed
        made[0].save(update_fields=["name"])
        made[-1].delete()
        assert found(alice) == expected()
        assert found(mallory) == {theirs.pk}
        transaction.set_rollback(True)


def test_pages_of_the_list_follow_name_then_id_to_the_last_person(alice, today):
    from goodwill.services.directory import list_people

    for i in range(23):
        org = f"Org {i % 3}" if i % 2 else ""
        add_person(
            actor=alice, data=PersonInput(name=f"Same {i % 4}", organization=org), today=today
        )
    everyone = sorted(
        Person.objects.filter(workspace=alice.workspace).select_related("organization"),
        key=lambda p: (p.name, p.pk),
    )
    pages = [list_people(actor=alice, today=today, offset=o, limit=7) for o in range(0, 28, 7)]
    assert {page.total for page in pages} == {len(everyone)}
    assert [p.id for page in pages for p in page.items] == [p.pk for p in everyone]
    shown = [
        (p.name, p.email, p.organization, p.role, p.stage, p.tier, p.last_contact)
        for page in pages
        for p in page.items
    ]
    assert shown == [
        (p.name, p.email, p.organization.name if p.organization else "", p.role, p.stage, p.tier,
         p.last_contact)
        for p in everyone
    ]  # fmt: skip
    assert {"Org 0", "Org 1", "Org 2", ""} <= {row[2] for row in shown}


def test_the_lists_matches_are_the_ranked_searchs_and_the_names_in_name_order(
    network, alice, mallory, today
):
    """The list reads its matches in one query of its own (people by id, sorted as
    the list is); they are all of the ranked search's and every name containing the
    text; blank text is everyone."""
    from goodwill.db.search import list_matches

    log_interaction(
        actor=alice, person=network.pia, kind="call", today=today, note="books and sailing"
    )
    add_person(actor=mallory, data=PersonInput(name="Mal Partner", needs="books"), today=today)
    queries = ["books", "boo", "sail", "audit", "partner", "nothing-here", "arol", "er", "-", " "]
    for query in queries:
        ranked = search_ids(actor=alice, query=query, limit=None)
        named = Person.objects.filter(workspace=alice.workspace, name__icontains=query.strip())
        expected = Person.objects.filter(pk__in={*ranked, *named.values_list("id", flat=True)})
        found = list_matches(alice.workspace.pk, query)
        assert found == [p.pk for p in expected.order_by("name", "id")], query
    everyone = Person.objects.filter(workspace=alice.workspace).count()
    assert len(list_matches(alice.workspace.pk, " ")) == everyone > 5
    # Carol's needs and Pia's note; not Paul's "bookkeeping" ("books" is no prefix of it).
    assert set(list_matches(alice.workspace.pk, "books")) == {network.carol.pk, network.pia.pk}
