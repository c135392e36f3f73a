"""Duplicate detection across the network, and merging that keeps everything."""

from __future__ import annotations

import pytest

from goodwill.db.models import Channel, Interaction, Person, StageChange
from goodwill.services.duplicates import NameIndex, block_keys, find_duplicates, fold
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.interactions import log_interaction
from goodwill.services.merge import merge_by_ref
from goodwill.services.people import PersonInput, add_person


def add(actor, today, name, **kw):
    return add_person(actor=actor, data=PersonInput(name=name, **kw), today=today)


def pairs(actor):
    return {(p.a.id, p.b.id): p for p in find_duplicates(actor=actor)}


def test_the_same_email_in_any_case_is_a_duplicate(alice, today):
    a = add(alice, today, "Jane Doe", email="jane@x.test")
    b = add(alice, today, "Janie", emails=["JANE@X.test"])
    assert "same email jane@x.test" in pairs(alice)[(a.pk, b.pk)].reasons


def test_the_same_profile_url_with_or_without_scheme_is_a_duplicate(alice, today):
    a = add(alice, today, "Sam Lee", urls=["https://www.linkedin.com/in/samlee/"])
    b = add(alice, today, "Samuel Lee", urls=["linkedin.com/in/samlee"])
    assert (a.pk, b.pk) in pairs(alice)


def test_a_typo_in_a_name_at_the_same_organization_is_a_candidate(alice, today):
    a = add(alice, today, "Jonathan Smith", organization="Acme Corp")
    b = add(alice, today, "Jonathon Smith", organization="ACME Corp.")
    c = add(alice, today, "Jonathan Smith", organization="Globex")
    found = pairs(alice)
    assert (a.pk, b.pk) in found
    assert (a.pk, c.pk) not in found  # same name, different organization


def test_people_of_another_workspace_are_never_candidates(alice, mallory, today):
    add(alice, today, "Jane Doe", email="jane@x.test")
    add(mallory, today, "Jane Doe", email="jane@x.test")
    assert find_duplicates(actor=alice) == []


def test_blocking_puts_typos_in_either_half_of_a_name_in_a_shared_block():
    assert set(block_keys("John Smith")) & set(block_keys("Jon Smith"))
    assert set(block_keys("John Smith")) & set(block_keys("John Smtih"))
    assert fold("José  Núñez-García") == "jose nunez garcia"


def test_name_index_finds_the_best_match_only_with_an_agreeing_organization():
    index = NameIndex()
    index.add(1, "Ada Lovelace", "Analytical Engines")
    index.add(2, "Ada Lovelace", "Other Co")
    assert index.best("Ada Lovelase", "Analytical Engines Ltd")[0] == 1
    assert index.best("Bob Stone", "Analytical Engines") is None


def test_finding_duplicates_takes_a_fixed_number_of_queries(
    alice, today, django_assert_max_num_queries
):
    for i in range(30):
        add(alice, today, f"Person {i} Smith", organization="Acme")
    with django_assert_max_num_queries(3):
        find_duplicates(actor=alice)


def test_merge_keeps_interactions_channels_and_history_of_both(alice, network, today):
    dup = add(alice, today, "Carol C.", email="carol.private@home.test", phones=["+1 555 0100"])
    log_interaction(actor=alice, person=dup, kind="call", today=today, note="from the duplicate")
    before = Interaction.objects.filter(person__in=[network.carol, dup]).count()
    kept, dropped = merge_by_ref(actor=alice, keep=network.carol.pk, drop=dup.pk)
    assert dropped == dup.pk and not Person.objects.filter(pk=dup.pk).exists()
    assert Interaction.objects.filter(person=kept).count() == before
    assert set(Channel.objects.filter(person=kept).values_list("normalized", flat=True)) >= {
        "carol@acme.test", "carol.private@home.test", "+15550100"
    }  # fmt: skip
    assert StageChange.objects.filter(person=kept).count() == 2
    kept.refresh_from_db()
    assert kept.last_contact == today


def test_merging_a_person_with_themself_or_someone_elsewhere_is_refused(
    alice, mallory, network, today
):
    with pytest.raises(BadInput, match="themself"):
        merge_by_ref(actor=alice, keep=network.carol.pk, drop=network.carol.pk)
    stranger = add(mallory, today, "Stranger")
    with pytest.raises(NotFound):
        merge_by_ref(actor=alice, keep=network.carol.pk, drop=stranger.pk)
