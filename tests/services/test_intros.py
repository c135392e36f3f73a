"""Introduction services: suggestions ranked by relationship, the workflow, signals, paths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.db.models import Favour, Introduction, Person
from goodwill.services.errors import BadInput, Forbidden, NotFound
from goodwill.services.interactions import log_interaction
from goodwill.services.intros import (
    dismiss_suggestion,
    introduction,
    list_introductions,
    record_introduction,
    signals,
    suggestions,
    update_introduction,
    warm_path,
)
from goodwill.services.people import PersonInput, add_person, change_stage


def _pairs(found):
    return [(s.a.id, s.b.id) for s in found]


def test_carol_who_needs_help_with_her_books_is_offered_paul_the_bookkeeper(alice, network, today):
    found = suggestions(actor=alice, today=today)
    carol = [s for s in found if s.a.id == network.carol.pk]
    assert carol and carol[0].b.id == network.paul.pk
    assert "accounting" in carol[0].shared_terms
    assert "Carol Client" in carol[0].why and "Paul Partner" in carol[0].why
    assert 0 < carol[0].score <= carol[0].match <= 1


def test_suggestions_for_one_person_only_involve_that_person(alice, network, today):
    found = suggestions(actor=alice, today=today, person=network.paul)
    assert found and all(network.paul.pk in pair for pair in _pairs(found))


def test_a_let_go_person_is_never_suggested(alice, network, today):
    change_stage(actor=alice, person=network.paul, stage="let_go", reason="moved away", today=today)
    found = suggestions(actor=alice, today=today)
    assert all(network.paul.pk not in pair for pair in _pairs(found))


def test_a_pair_already_introduced_or_dismissed_is_not_suggested_again(alice, network, today):
    record_introduction(actor=alice, a=network.carol, b=network.paul, today=today, status="made")
    assert (network.carol.pk, network.paul.pk) not in _pairs(suggestions(actor=alice, today=today))
    add_person(
        actor=alice,
        data=PersonInput(name="Fay Founder", stage="nurturing", needs="raising a seed round"),
        today=today,
    )
    fay = Person.objects.get(name="Fay Founder")
    assert (fay.pk, network.peter.pk) in _pairs(suggestions(actor=alice, today=today))
    dismiss_suggestion(actor=alice, a=fay, b=network.peter, today=today)
    assert (fay.pk, network.peter.pk) not in _pairs(suggestions(actor=alice, today=today))
    assert all(r.a.id != fay.pk for r in list_introductions(actor=alice, today=today))


def test_a_provider_with_many_recent_introductions_is_given_a_rest(alice, network, today):
    for i in range(3):
        other = add_person(actor=alice, data=PersonInput(name=f"Other {i}"), today=today)
        record_introduction(actor=alice, a=other, b=network.paul, today=today, status="asked")
    pairs = _pairs(suggestions(actor=alice, today=today))
    assert (network.carol.pk, network.paul.pk) not in pairs


def test_a_warmer_relationship_ranks_a_match_higher(alice, today):
    def person(name, **kw):
        return add_person(
            actor=alice, data=PersonInput(name=name, stage="nurturing", **kw), today=today
        )

    cold = person("Cold Needer", needs="looking for investors")
    warm = person("Warm Needer", needs="looking for investors")
    person("Ivy Investor", offers="angel investor, seed rounds")
    for days in (3, 20, 40):
        log_interaction(
            actor=alice,
            person=warm,
            kind="coffee",
            today=today,
            date=today - dt.timedelta(days=days),
        )
    found = suggestions(actor=alice, today=today)
    order = [s.a.id for s in found]
    assert order.index(warm.pk) < order.index(cold.pk)
    assert found[order.index(warm.pk)].match == found[order.index(cold.pk)].match


def test_suggestions_use_a_bounded_number_of_queries(alice, today):
    def grow(n):
        for i in range(n):
            add_person(
                actor=alice,
                data=PersonInput(
                    name=f"P{n}-{i}",
                    stage="connected",
                    needs="need help with my books" if i % 2 else "",
                    offers="bookkeeping and tax returns" if i % 2 == 0 else "",
                ),
                today=today,
            )

    def count(**kw):
        with CaptureQueriesContext(connection) as queries:
            found = suggestions(actor=alice, today=today, **kw)
        return len(queries), found

    count()  # the first use creates the workspace's match index
    grow(4)
    rebuild_small, small = count()  # needs changed: the stored matches are rebuilt
    fresh_small, _ = count()
    grow(30)
    rebuild_big, big = count()
    fresh_big, _ = count()
    assert len(big) > len(small)
    assert rebuild_small == rebuild_big <= 20
    assert fresh_small == fresh_big <= 10 and fresh_big < rebuild_big


def test_an_introduction_made_is_a_favour_given_to_both_and_a_touchpoint(alice, network, today):
    intro = record_introduction(
        actor=alice, a=network.carol, b=network.paul, today=today, reason="books", status="asked"
    )
    assert intro.asked_on == today and not Favour.objects.filter(introduction=intro).exists()
    update_introduction(actor=alice, introduction_id=intro.pk, today=today, status="made")
    favours = Favour.objects.filter(introduction=intro)
    assert {f.person_id for f in favours} == {network.carol.pk, network.paul.pk}
    assert {(f.direction, f.kind) for f in favours} == {("gave", "introduction")}
    for p in (network.carol, network.paul):
        p.refresh_from_db()
        assert p.last_contact == today
    update_introduction(actor=alice, introduction_id=intro.pk, today=today, status="made")
    assert Favour.objects.filter(introduction=intro).count() == 2


def test_recording_a_pair_again_moves_the_same_introduction_on(alice, network, today):
    first = record_introduction(actor=alice, a=network.carol, b=network.paul, today=today)
    again = record_introduction(
        actor=alice, a=network.paul, b=network.carol, today=today, status="declined"
    )
    assert first.pk == again.pk and again.declined_on == today
    assert Introduction.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"status": "maybe"}, "unknown status"), ({"date": "2999-01-01"}, "future")],
)
def test_bad_status_or_date_is_refused_and_nothing_is_written(
    alice, network, today, kwargs, message
):
    with pytest.raises(BadInput, match=message):
        record_introduction(actor=alice, a=network.carol, b=network.paul, today=today, **kwargs)
    assert not Introduction.objects.exists()


def test_nobody_is_introduced_to_themself(alice, network, today):
    with pytest.raises(BadInput, match="themself"):
        record_introduction(actor=alice, a=network.carol, b=network.carol, today=today)


def test_a_viewer_cannot_record_introductions(vera, network, today):
    with pytest.raises(Forbidden):
        record_introduction(actor=vera, a=network.carol, b=network.paul, today=today)


def test_another_workspace_cannot_see_or_change_introductions(alice, mallory, network, today):
    intro = record_introduction(actor=alice, a=network.carol, b=network.paul, today=today)
    assert list_introductions(actor=mallory, today=today) == []
    with pytest.raises(NotFound):
        introduction(actor=mallory, introduction_id=intro.pk, today=today)
    with pytest.raises(NotFound):
        update_introduction(actor=mallory, introduction_id=intro.pk, today=today, status="made")
    assert suggestions(actor=mallory, today=today) == []


def test_a_made_introduction_without_follow_up_after_14_days_is_a_plan_signal(
    alice, network, today
):
    intro = record_introduction(
        actor=alice,
        a=network.carol,
        b=network.paul,
        today=today,
        status="made",
        date=today - dt.timedelta(days=15),
    )
    follow = [s for s in signals(actor=alice, today=today) if s.kind == "intro_follow_up"]
    assert [s.person_id for s in follow] == [network.carol.pk]
    assert "Paul Partner" in follow[0].action
    row = list_introductions(actor=alice, today=today)[0]
    assert row.needs_follow_up
    update_introduction(actor=alice, introduction_id=intro.pk, today=today, followed_up=True)
    assert not [s for s in signals(actor=alice, today=today) if s.kind == "intro_follow_up"]


def test_a_strong_match_for_someone_close_is_a_plan_signal(alice, network, today):
    found = [s for s in signals(actor=alice, today=today) if s.kind == "intro_meets_need"]
    for s in found:
        assert 0 < s.weight <= 1 and "introduction" in s.action
    needers = {s.person_id for s in found}
    assert needers <= {network.carol.pk}


def test_the_warm_path_to_chen_goes_through_the_referrer_chain(alice, network, today):
    result = warm_path(actor=alice, person=network.chen, today=today)
    names = [step.name for step in result.path]
    assert names[1:] == ["Rita Referrer", "Bruno Buyer", "Chen Customer"]
    assert result.path[0].kind == "me"
    hops = [s.strength for s in result.path[1:]]
    product = 1.0
    for h in hops:
        product *= h
    assert result.strength == pytest.approx(product, abs=0.01)
    assert len(result.path) - 1 <= 3


def test_a_shared_organization_opens_an_alternative_path(alice, network, today):
    add_person(
        actor=alice, data=PersonInput(name="Chen's Colleague", organization="Acme"), today=today
    )
    target = Person.objects.get(name="Chen's Colleague")
    result = warm_path(actor=alice, person=target, today=today)
    assert [s.name for s in result.path][1:] == ["Carol Client", "Chen's Colleague"]
    assert "both at Acme" in result.path[-1].reasons


def test_someone_unreachable_has_an_empty_path(alice, network, today):
    loner = add_person(actor=alice, data=PersonInput(name="Lone Wolf"), today=today)
    result = warm_path(actor=alice, person=loner, today=today)
    assert result.path == [] and result.strength == 0


def test_a_teammates_relationship_is_a_path_in_a_team_workspace(alice, bob, network, today):
    log_interaction(actor=bob, person=network.pia, kind="coffee", today=today)
    result = warm_path(actor=alice, person=network.pia, today=today)
    assert [s.kind for s in result.path] == ["me", "teammate", "person"]
    assert result.path[1].name == bob.user.username


def test_paths_use_a_bounded_number_of_queries(
    alice, network, today, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        warm_path(actor=alice, person=network.chen, today=today)
    for i in range(20):
        add_person(
            actor=alice, data=PersonInput(name=f"Acme {i}", organization="Acme"), today=today
        )
    with django_assert_max_num_queries(10):
        warm_path(actor=alice, person=network.chen, today=today)


def test_stopping_early_ranks_the_same_as_ranking_everything(alice, network, today, monkeypatch):
    from goodwill.services import intros, matches
    from goodwill.services.intros import _rank

    for i in range(40):
        p = add_person(
            actor=alice,
            data=PersonInput(
                name=f"Needer {i}",
                stage=("connected", "nurturing", "identified")[i % 3],
                needs=("help with my books", "looking for investors", "a new website")[i % 3],
                offers=("bookkeeping", "angel investor, seed rounds", "web design")[(i + 1) % 3],
            ),
            today=today,
        )
        for d in range(i % 4):
            log_interaction(
                actor=alice, person=p, kind="call", today=today, date=today - dt.timedelta(days=d)
            )
    everything = _rank(alice, today, matches.best_first(alice, per_person=3))
    assert len(everything) > 30
    monkeypatch.setattr(intros, "RANK_BATCH", 2)  # small steps, so that reading stops early
    with CaptureQueriesContext(connection) as all_read:
        _rank(alice, today, matches.best_first(alice, per_person=3))
    for limit in (1, 3, 7, 25):
        with CaptureQueriesContext(connection) as read:
            assert suggestions(actor=alice, today=today, limit=limit) == everything[:limit]
        if limit == 1:
            assert len(read) < len(all_read)
