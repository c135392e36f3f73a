"""The demo network: deterministic, realistic, consistent, and a bulk path."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.db.models import (
    Deal,
    EventMet,
    Favour,
    Interaction,
    Introduction,
    Person,
    Role,
    Source,
    Stage,
    StageChange,
    Tier,
)
from goodwill.services.context import scoped
from goodwill.services.demo import build_demo
from goodwill.services.errors import BadInput, Forbidden


def digest(actor: Any) -> str:
    """A fingerprint of a workspace's network that ignores where its ids start."""
    ws = actor.workspace
    people = list(scoped(Person, ws).order_by("id").values_list("id", flat=True))
    base = people[0] if people else 0

    def rel(value: int | None) -> int | None:
        return None if value is None else value - base

    h = hashlib.sha256()
    for row in scoped(Person, ws).order_by("id").values_list(
        "id", "name", "email", "role", "tier", "stage", "source", "introduced_by_id", "needs",
        "offers", "created_on", "stage_since", "last_contact", "touch_count",
    ):  # fmt: skip
        h.update(repr((rel(row[0]), *row[1:7], rel(row[7]), *row[8:])).encode())
    for i in (
        scoped(Interaction, ws)
        .order_by("id")
        .values_list("person_id", "kind", "date", "initiated_by", "note", "is_pitch")
    ):
        h.update(repr((rel(i[0]), *i[1:])).encode())
    for d in (
        scoped(Deal, ws)
        .order_by("id")
        .values_list("client_id", "amount", "currency", "status", "origin", "referrer_id", "date")
    ):
        h.update(repr((rel(d[0]), *d[1:5], rel(d[5]), d[6])).encode())
    return h.hexdigest()


def test_the_same_seed_builds_the_same_network_and_another_seed_another(
    alice: Any, mallory: Any, bob: Any, today: dt.date
) -> None:
    build_demo(actor=alice, today=today, people=150, seed=7)
    build_demo(actor=mallory, today=today, people=150, seed=7)
    assert digest(alice) == digest(mallory)
    from goodwill.services.accounts import create_user
    from goodwill.services.context import actor_for

    other = actor_for(create_user(email="olga@example.com", password="correct horse battery"))
    assert other is not None
    build_demo(actor=other, today=today, people=150, seed=8)
    assert digest(other) != digest(alice)


def test_every_role_stage_source_and_tier_is_present_at_500(alice: Any, today: dt.date) -> None:
    summary = build_demo(actor=alice, today=today, people=500, seed=1)
    people = scoped(Person, alice.workspace)
    assert summary.people == people.count() == 500
    for name, choices in (("role", Role), ("stage", Stage), ("source", Source), ("tier", Tier)):
        present = set(people.values_list(name, flat=True))
        assert present == set(choices.values), name
    assert people.exclude(birthday=None).exists()
    assert people.exclude(organization=None).values("organization__industry").distinct().count() > 5


def test_interactions_span_more_than_twelve_months_with_pitches_and_both_initiators(
    alice: Any, today: dt.date
) -> None:
    build_demo(actor=alice, today=today, people=400, seed=2)
    interactions = scoped(Interaction, alice.workspace)
    first = interactions.order_by("date").first()
    assert first is not None and (today - first.date).days > 365
    assert not interactions.filter(date__gt=today).exists()
    assert interactions.filter(is_pitch=True).exists()
    assert interactions.filter(is_pitch=False).count() > interactions.filter(is_pitch=True).count()
    assert {"me", "them"} == set(interactions.values_list("initiated_by", flat=True))


def test_inner_relationships_are_touched_more_often_than_the_wider_network(
    alice: Any, today: dt.date
) -> None:
    build_demo(actor=alice, today=today, people=600, seed=3)
    per_tier: dict[str, list[int]] = defaultdict(list)
    for tier, count in (
        scoped(Person, alice.workspace)
        .exclude(stage="identified")
        .values_list("tier", "touch_count")
    ):
        per_tier[tier].append(count)
    mean = {tier: sum(v) / len(v) for tier, v in per_tier.items()}
    assert mean["inner"] > mean["key"] > mean["network"]


def test_referral_chains_and_introduction_chains_exist(alice: Any, today: dt.date) -> None:
    build_demo(actor=alice, today=today, people=800, seed=1)
    ws = alice.workspace
    referred = scoped(Deal, ws).filter(status="won", origin="referral")
    assert referred.exclude(referrer=None).exists()
    # A referred B, and B (a client who was referred) referred C.
    referred_clients = set(referred.values_list("client_id", flat=True))
    assert referred.filter(referrer_id__in=referred_clients).exists()
    people = scoped(Person, ws)
    assert people.filter(introduced_by__introduced_by__isnull=False).exists()
    # Every referral deal's referrer is thanked by a favour received, linked to the deal.
    thanks = scoped(Favour, ws).filter(direction="received", kind="referral")
    favour_deals = set(thanks.values_list("deal_id", flat=True))
    assert set(referred.exclude(referrer=None).values_list("id", flat=True)) <= favour_deals


def test_deals_have_every_status_and_mostly_one_currency(alice: Any, today: dt.date) -> None:
    build_demo(actor=alice, today=today, people=1000, seed=4)
    deals = scoped(Deal, alice.workspace)
    assert set(deals.values_list("status", flat=True)) == {"open", "won", "lost"}
    assert deals.filter(currency="USD").count() > 10 * deals.exclude(currency="USD").count()
    assert {"referral", "repeat", "event"} <= set(deals.values_list("origin", flat=True))
    assert not deals.filter(origin="event", event=None).exists()


def test_summary_columns_count_every_kind_of_touchpoint(alice: Any, today: dt.date) -> None:
    build_demo(actor=alice, today=today, people=300, seed=5)
    ws = alice.workspace
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for pid, date in scoped(Interaction, ws).values_list("person_id", "date"):
        dates[pid].append(date)
    for pid, date in scoped(Favour, ws).values_list("person_id", "date"):
        dates[pid].append(date)
    for pid, date in scoped(Deal, ws).values_list("client_id", "date"):
        dates[pid].append(date)
    for pid, date in scoped(EventMet, ws).values_list("person_id", "event__date"):
        dates[pid].append(date)
    for person in scoped(Person, ws):
        seen = dates.get(person.pk, [])
        assert person.last_contact == (max(seen) if seen else None), person.name
        assert person.touch_count == len(seen), person.name
        assert person.last_contact is None or person.last_contact <= today


def test_stage_history_leads_to_the_current_stage(alice: Any, today: dt.date) -> None:
    build_demo(actor=alice, today=today, people=300, seed=6)
    history: dict[int, list[Any]] = defaultdict(list)
    for change in scoped(StageChange, alice.workspace).order_by("date", "id"):
        history[change.person_id].append(change)
    for person in scoped(Person, alice.workspace):
        changes = history[person.pk]
        assert changes[0].from_stage == "" and changes[0].date == person.created_on
        assert changes[-1].to_stage == person.stage and changes[-1].date == person.stage_since
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_stage == before.to_stage
        if person.stage == "let_go":
            assert changes[-1].reason


def test_made_introductions_are_favours_given_to_both_people(alice: Any, today: dt.date) -> None:
    build_demo(actor=alice, today=today, people=600, seed=1)
    intros = scoped(Introduction, alice.workspace)
    assert {"suggested", "asked", "made", "declined"} == set(
        intros.values_list("status", flat=True)
    )
    for intro in intros.filter(status="made"):
        given = scoped(Favour, alice.workspace).filter(
            introduction=intro, direction="gave", kind="introduction"
        )
        assert sorted(given.values_list("person_id", flat=True)) == sorted([intro.a_id, intro.b_id])
        assert intro.made_on is not None


def test_needs_and_offers_are_written_in_many_ways(alice: Any, today: dt.date) -> None:
    build_demo(actor=alice, today=today, people=800, seed=1)
    people = scoped(Person, alice.workspace)
    assert people.exclude(needs="").values("needs").distinct().count() > 60
    assert people.exclude(offers="").values("offers").distinct().count() > 60


def test_search_finds_demo_needs_and_notes_and_stays_current_afterwards(
    alice: Any, today: dt.date
) -> None:
    from goodwill.services.interactions import log_interaction
    from goodwill.services.search import search_ids

    build_demo(actor=alice, today=today, people=400, seed=1)
    ws = alice.workspace
    someone = scoped(Person, ws).exclude(needs="").order_by("id").first()
    assert someone is not None
    word = max(someone.needs.split(), key=len).strip(";,")
    assert someone.pk in search_ids(actor=alice, query=word, limit=1000)
    noted = scoped(Interaction, ws).exclude(note="").order_by("id").first()
    assert noted is not None
    # The indexing triggers are back: a new note is found at once.
    log_interaction(actor=alice, person=someone, kind="call", today=today, note="zanzibar plans")
    assert search_ids(actor=alice, query="zanzibar", limit=10) == [someone.pk]
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM goodwill_fts WHERE workspace_id = %s", [ws.pk])
            indexed = cur.fetchone()[0]
        notes = scoped(Interaction, ws).exclude(note="").count()
        assert indexed == scoped(Person, ws).count() + notes
        # The names' trigram index has every person (written in one statement too).
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM goodwill_name_trgm_docsize")
            assert cur.fetchone()[0] == Person.objects.count()
            cur.execute(
                "INSERT INTO goodwill_name_trgm(goodwill_name_trgm) VALUES ('integrity-check')"
            )
    from goodwill.services.people import filter_people, search_matches

    inside = someone.name[1:-1]  # a part of the name that starts no word
    found = filter_people(actor=alice, matches=search_matches(actor=alice, search=inside))
    assert someone.pk in found.values_list("id", flat=True)


def test_a_workspace_with_people_is_refused_and_nothing_is_written(
    network: Any, alice: Any, today: dt.date
) -> None:
    before = scoped(Person, alice.workspace).count()
    with pytest.raises(BadInput, match="already has"):
        build_demo(actor=alice, today=today, people=50, seed=1)
    assert scoped(Person, alice.workspace).count() == before


def test_a_viewer_cannot_build_a_demo(vera: Any, today: dt.date) -> None:
    with pytest.raises(Forbidden):
        build_demo(actor=vera, today=today, people=50, seed=1)


@pytest.mark.parametrize("people", [0, -5, 10_000_000])
def test_an_impossible_size_is_bad_input(alice: Any, today: dt.date, people: int) -> None:
    with pytest.raises(BadInput, match="between"):
        build_demo(actor=alice, today=today, people=people, seed=1)


def test_the_number_of_queries_does_not_grow_with_the_network(
    alice: Any, mallory: Any, today: dt.date
) -> None:
    with CaptureQueriesContext(connection) as small:
        build_demo(actor=alice, today=today, people=60, seed=1)
    with CaptureQueriesContext(connection) as large:
        build_demo(actor=mallory, today=today, people=900, seed=1)
    assert len(large.captured_queries) == len(small.captured_queries) < 40
