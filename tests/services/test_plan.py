"""Today's plan, acting on it, the overdue list, commitments, calendar and digest."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from goodwill.db.models import Interaction, Person, PlanEntry
from goodwill.services import signals
from goodwill.services.calendar import calendar_ics, create_feed, feed_actor, revoke_feeds
from goodwill.services.commitments import add_commitment, keep_commitment, list_commitments
from goodwill.services.digest import build_digest, send_digest
from goodwill.services.errors import BadInput, Forbidden
from goodwill.services.interactions import log_interaction
from goodwill.services.people import PersonInput, add_person, change_stage
from goodwill.services.plan import build_plan, done, overdue, skip, snooze, streak
from goodwill.services.signals import Signal


@pytest.fixture(autouse=True)
def no_other_providers(monkeypatch):
    """Other areas' providers are tested there; here only the ones a test installs."""
    monkeypatch.setattr(signals, "PROVIDERS", [])


def ids(plan):
    return [i.person.id for i in plan.items]


def test_a_key_client_silent_for_twice_their_cadence_comes_first_and_the_reason_says_so(
    network, alice, today
):
    plan = build_plan(actor=alice, today=today, count=3)
    first = plan.items[0]
    assert first.person.id == network.carol.pk
    assert any("silent for 60 days" in r and "twice" in r for r in first.reasons)
    assert "Carol" in first.action and "pitch" not in first.action.lower()


def test_the_plan_is_stable_through_the_day(network, alice, today):
    first = build_plan(actor=alice, today=today, count=2)
    log_interaction(actor=alice, person=network.pia, kind="email", today=today)
    assert ids(build_plan(actor=alice, today=today, count=2)) == ids(first)


def test_the_plan_is_deterministic_for_the_same_data_and_date(network, alice, today):
    a = build_plan(actor=alice, today=today, count=3, persist=False)
    b = build_plan(actor=alice, today=today, count=3, persist=False)
    assert a == b


def test_nobody_is_suggested_two_days_running(network, alice, today):
    yesterday = build_plan(actor=alice, today=today - dt.timedelta(days=1), count=2)
    plan = build_plan(actor=alice, today=today, count=2)
    assert not set(ids(plan)) & set(ids(yesterday))


def test_yesterdays_people_come_back_when_nobody_else_qualifies(alice, today):
    only = add_person(actor=alice, data=PersonInput(name="Only One", role="client"), today=today)
    build_plan(actor=alice, today=today - dt.timedelta(days=1))
    assert ids(build_plan(actor=alice, today=today)) == [only.pk]


def test_a_snoozed_person_stays_out_until_their_date(network, alice, today):
    carol = network.carol
    snooze(actor=alice, person=carol, today=today, days=5)
    for d in range(1, 5):
        day = today + dt.timedelta(days=d)
        assert carol.pk not in ids(build_plan(actor=alice, today=day, count=7, persist=False))
    back = build_plan(actor=alice, today=today + dt.timedelta(days=5), count=7, persist=False)
    assert carol.pk in ids(back)


def test_a_skipped_person_is_replaced_and_drops_for_a_few_days(network, alice, today):
    first = build_plan(actor=alice, today=today).items[0].person.id
    skip(actor=alice, person=Person.objects.get(pk=first), today=today)
    after = build_plan(actor=alice, today=today)
    assert first not in ids(after) and len(after.items) == 1
    tomorrow = build_plan(actor=alice, today=today + dt.timedelta(days=1), count=7, persist=False)
    assert first not in ids(tomorrow)


def test_the_plan_never_suggests_someone_let_go(network, alice, today):
    change_stage(actor=alice, person=network.carol, stage="let_go", reason="moved on", today=today)
    assert network.carol.pk not in ids(build_plan(actor=alice, today=today, count=7))


def test_done_logs_an_interaction_marks_the_plan_and_starts_a_streak(network, alice, today):
    plan = build_plan(actor=alice, today=today)
    person = Person.objects.get(pk=plan.items[0].person.id)
    done(actor=alice, person=person, today=today, kind="call", note="asked about the audit")
    entry = PlanEntry.objects.get(user=alice.user, person=person, date=today)
    assert entry.status == "done"
    assert Interaction.objects.filter(person=person, date=today, kind="call").exists()
    person.refresh_from_db()
    assert person.last_contact == today
    assert build_plan(actor=alice, today=today).items[0].status == "done"
    assert streak(actor=alice, today=today) >= 1


def test_the_streak_counts_outreach_beyond_regular_work_only(network, alice, today):
    for d in (1, 2, 3):
        log_interaction(
            actor=alice, person=network.peter, kind="email", today=today,
            date=today - dt.timedelta(days=d),
        )  # fmt: skip
    log_interaction(actor=alice, person=network.pia, kind="call", today=today, pitch=True)
    log_interaction(actor=alice, person=network.pia, kind="call", today=today, by="them")
    assert streak(actor=alice, today=today) == 3


@pytest.mark.parametrize(
    "active",
    [(), (0,), (1, 2, 3), (0, 1, 2, 4, 5), (1, 3), tuple(range(0, 30)), tuple(range(1, 12))],
)
def test_the_streak_walk_agrees_with_the_outreach_per_day(network, alice, bob, today, active):
    from goodwill.core import outreach
    from goodwill.services.plan import outreach_counts

    for d in active:
        day = today - dt.timedelta(days=d)
        if d % 3 == 2:  # a plan item done counts as outreach that day
            PlanEntry.objects.create(
                workspace=alice.workspace, user=alice.user, person=network.peter, date=day,
                score=1, status="done",
            )  # fmt: skip
        else:
            log_interaction(actor=alice, person=network.pia, kind="email", today=today, date=day)
    log_interaction(actor=bob, person=network.pia, kind="call", today=today,
                    date=today - dt.timedelta(days=len(active) + 1))  # fmt: skip
    counts = outreach_counts(actor=alice, today=today, days=60)
    expected = outreach.streak({d for d, n in counts.items() if n}, today)
    assert streak(actor=alice, today=today) == expected
    assert expected == next(i for i in range(60) if i + (0 not in active) not in active)


def test_each_member_has_their_own_plan(network, alice, bob, today):
    done(actor=alice, person=network.carol, today=today)
    assert not PlanEntry.objects.filter(user=bob.user).exists()
    build_plan(actor=bob, today=today)
    assert PlanEntry.objects.filter(user=bob.user, date=today).count() == 1


def test_a_viewer_sees_a_plan_but_nothing_is_saved_and_cannot_act(network, vera, today):
    assert build_plan(actor=vera, today=today).items
    assert not PlanEntry.objects.filter(user=vera.user).exists()
    with pytest.raises(Forbidden):
        done(actor=vera, person=network.carol, today=today)


@pytest.mark.parametrize("days", [0, -2, "x", "1.5"])
def test_snooze_days_must_be_a_positive_whole_number(network, alice, today, days):
    with pytest.raises(BadInput):
        snooze(actor=alice, person=network.carol, today=today, days=days)
    assert not PlanEntry.objects.exists()


@pytest.mark.parametrize("count", [0, -1])
def test_count_must_be_positive(alice, today, count):
    with pytest.raises(BadInput):
        build_plan(actor=alice, today=today, count=count)


def test_signals_from_other_areas_are_combined_with_our_own(network, alice, today, monkeypatch):
    import sys
    import types

    module = types.ModuleType("fake_provider")

    def provide(*, actor, today):
        return [
            Signal(
                network.rita.pk,
                "thank_referrer",
                1.0,
                "referred Bruno, not thanked yet",
                "Send Rita a thank-you note for Bruno.",
            ),  # fmt: skip
            Signal(
                network.carol.pk,
                "intro_meets_need",
                0.2,
                "Paul can help with her books",
                "Offer Carol an introduction to Paul.",
            ),  # fmt: skip
        ]

    module.signals = provide
    monkeypatch.setitem(sys.modules, "fake_provider", module)
    monkeypatch.setattr(signals, "PROVIDERS", ["fake_provider:signals"])
    add_commitment(
        actor=alice, person=network.paul, description="send the audit checklist", today=today,
        due=today - dt.timedelta(days=2),
    )  # fmt: skip
    plan = build_plan(actor=alice, today=today, count=3, persist=False)
    by_id = {i.person.id: i for i in plan.items}
    assert by_id[network.rita.pk].action == "Send Rita a thank-you note for Bruno."
    assert "referred Bruno, not thanked yet" in by_id[network.rita.pk].reasons
    assert "send the audit checklist" in by_id[network.paul.pk].action
    assert any("Paul can help" in r for r in by_id[network.carol.pk].reasons)


def test_birthdays_and_one_sided_relationships_are_reasons(alice, today):
    from goodwill.services.plan import own_boosts

    bday = add_person(
        actor=alice,
        data=PersonInput(name="Bea Birthday", birthday=(today.replace(year=1980)).isoformat()),
        today=today,
    )
    taker = add_person(actor=alice, data=PersonInput(name="Gus Giver"), today=today)
    from goodwill.db.models import Favour

    for _ in range(3):
        Favour.objects.create(
            workspace=alice.workspace, person=taker, direction="received", kind="advice", date=today
        )
    worded = own_boosts(alice, today)
    kinds = {(b.person_id, b.kind) for b in worded}
    assert (bday.pk, "birthday") in kinds and (taker.pk, "one_sided") in kinds
    assert all(b.reason and b.action for b in worded)
    # Ranking reads the weights alone; the words, for the picked people, are the same reasons.
    weights = sorted((b.person_id, b.kind, b.weight) for b in own_boosts(alice, today, words=False))
    assert weights == sorted((b.person_id, b.kind, b.weight) for b in worded)
    mine = own_boosts(alice, today, people=[taker.pk])
    assert mine == [b for b in worded if b.person_id == taker.pk]


def test_the_plan_takes_a_bounded_number_of_queries_whatever_the_network_size(
    alice, today, django_assert_max_num_queries
):
    def grow(n, start):
        for i in range(n):
            p = add_person(
                actor=alice, data=PersonInput(name=f"P{start + i}", role="client"), today=today
            )
            log_interaction(actor=alice, person=p, kind="call", today=today,
                            date=today - dt.timedelta(days=40 + i))  # fmt: skip
            add_commitment(actor=alice, person=p, description="x", today=today, due=today)

    grow(3, 0)
    with django_assert_max_num_queries(17) as small:
        build_plan(actor=alice, today=today, count=3)
    PlanEntry.objects.all().delete()
    grow(30, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        build_plan(actor=alice, today=today, count=3)
    with django_assert_max_num_queries(6):
        overdue(actor=alice, today=today)


def test_overdue_puts_clients_and_partners_going_quiet_first(network, alice, today):
    peer = add_person(actor=alice, data=PersonInput(name="Old Peer", role="peer", tier="inner"),
                      today=today - dt.timedelta(days=500))  # fmt: skip
    log_interaction(actor=alice, person=peer, kind="coffee", today=today,
                    date=today - dt.timedelta(days=300))  # fmt: skip
    items = overdue(actor=alice, today=today)
    names = [o.person.name for o in items]
    assert names[0] == "Carol Client"
    assert names.index("Carol Client") < names.index("Old Peer")
    carol = items[0]
    assert carol.days_since == 60 and carol.overdue_days == 60 - carol.cadence_days > 0


def test_overdue_counts_any_kind_of_touchpoint(network, alice, today):
    from goodwill.db.models import Favour
    from goodwill.services.touch import touched

    Favour.objects.create(
        workspace=alice.workspace,
        person=network.carol,
        direction="gave",
        kind="article",
        date=today,
    )
    touched(network.carol, today)
    assert network.carol.pk not in [o.person.id for o in overdue(actor=alice, today=today)]


def test_commitments_are_listed_kept_and_feed_health(network, alice, today):
    from goodwill.services.health import health_for

    c = add_commitment(actor=alice, person=network.paul, description="send deck", today=today,
                       due=today - dt.timedelta(days=1))  # fmt: skip
    rows = list_commitments(actor=alice, today=today)
    assert [(r.id, r.status) for r in rows] == [(c.pk, "overdue")]
    before = health_for(actor=alice, people=[network.paul], today=today)[network.paul.pk]
    keep_commitment(actor=alice, commitment_id=c.pk, today=today)
    after = health_for(actor=alice, people=[network.paul], today=today)[network.paul.pk]
    assert list_commitments(actor=alice, today=today) == []
    assert list_commitments(actor=alice, today=today, include_kept=True)[0].status == "late"
    assert after.score > before.score


def test_another_workspaces_commitment_is_not_found(network, alice, mallory, today):
    c = add_commitment(actor=alice, person=network.paul, description="x", today=today)
    with pytest.raises(BadInput):
        keep_commitment(actor=mallory, commitment_id=c.pk, today=today)


def test_the_calendar_is_valid_icalendar_with_follow_ups_commitments_and_plan(
    network, alice, today
):
    add_commitment(actor=alice, person=network.paul, description="send deck", today=today,
                   due=today + dt.timedelta(days=3))  # fmt: skip
    build_plan(actor=alice, today=today)
    cal = Calendar.from_ical(calendar_ics(actor=alice, today=today))
    summaries = [str(e.get("summary")) for e in cal.walk("VEVENT")]
    assert "Follow up with Carol Client" in summaries
    assert "Promise to Paul Partner: send deck" in summaries
    assert any(s.startswith("Reach out to") for s in summaries)
    uids = [str(e.get("uid")) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert all(e.get("dtstamp") for e in cal.walk("VEVENT"))


def test_a_feed_token_is_stored_hashed_and_can_be_revoked(alice, today):
    from goodwill.db.models import CalendarFeed

    feed = create_feed(actor=alice)
    assert not CalendarFeed.objects.filter(key_hash=feed.token).exists()
    assert feed_actor(feed.token).user == alice.user
    newer = create_feed(actor=alice)
    assert feed_actor(feed.token) is None and feed_actor(newer.token) is not None
    assert revoke_feeds(actor=alice) == 1
    assert feed_actor(newer.token) is None


def test_the_digest_has_the_plan_and_overdue_list_in_text_and_html(
    network, alice, today, mailoutbox
):
    d = build_digest(actor=alice, today=today)
    assert "Carol Client" in d.text and "Carol Client" in d.html
    send_digest(actor=alice, today=today)
    assert mailoutbox[0].to == ["alice@example.com"]
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_health_takes_three_queries_whatever_the_number_of_people(
    network, alice, today, django_assert_num_queries
):
    from goodwill.services.health import health_for

    people = list(Person.objects.all())
    with django_assert_num_queries(3):
        result = health_for(actor=alice, people=people, today=today)
    assert set(result) == {p.pk for p in people}
    assert result[network.paul.pk].score > result[network.pia.pk].score


def test_the_overdue_list_reads_only_the_overdue_and_ranks_them_as_the_whole_network(
    network, alice, today
):
    from goodwill.core import outreach
    from goodwill.services.plan import load_network, overdue_page

    for i in range(12):  # varied tiers, roles, own cadences and introducers
        p = add_person(
            actor=alice,
            data=PersonInput(
                name=f"Late {i}", role=("client", "peer", "partner", "vendor")[i % 4],
                tier=("inner", "key", "network")[i % 3], cadence_days=(None, 10, 45)[i % 3],
                introduced_by=str(network.rita.pk) if i % 2 else "",
            ),
            today=today - dt.timedelta(days=300),
        )  # fmt: skip
        log_interaction(actor=alice, person=p, kind="call", today=today,
                        date=today - dt.timedelta(days=20 + 9 * i))  # fmt: skip
    whole = load_network(alice, today)
    rows, weight = outreach.overdue_weight(whole.pool)
    order = outreach.overdue_order(whole.pool.ids[rows], weight, whole.pool.at_risk_role[rows])
    expected = whole.pool.ids[rows[order]].tolist()
    items, total = overdue_page(actor=alice, today=today, limit=5)
    assert total == len(expected) > 5
    assert [o.person.id for o in items] == expected[:5]
    everyone, _ = overdue_page(actor=alice, today=today)
    assert [o.person.id for o in everyone] == expected


def test_an_empty_network_has_an_empty_plan_and_no_reasons(alice, today):
    from goodwill.services.plan import own_boosts

    assert build_plan(actor=alice, today=today, count=3).items == []
    assert own_boosts(alice, today, people=[]) == []
    assert overdue(actor=alice, today=today) == []


@pytest.mark.django_db
def test_numeric_rows_read_as_one_value_come_back_exactly():
    """load_network's reader (one group_concat text on SQLite): REALs to the last bit,
    NULL as 0, every row."""
    from goodwill.services.compiled import numbers

    rows = numbers("SELECT 1.0 / 3, NULL, 7 UNION ALL SELECT 2, 5, -1", [], 3, real=(0,))
    assert rows.tolist() == [[1 / 3, 0.0, 7.0], [2.0, 5.0, -1.0]]
    assert numbers("SELECT 1, 2 WHERE 1 = 0", [], 2).shape == (0, 2)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_network_is_read_beside_and_the_plan_is_the_same(
    network, alice, today, monkeypatch
):
    import threading

    from django.db import transaction

    from goodwill.services import plan

    readers: list[int] = []
    real = plan.load_network

    def recording(*args, **kwargs):
        readers.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(plan, "load_network", recording)
    with transaction.atomic():  # inside a transaction: one connection, one thread
        inside = build_plan(actor=alice, today=today, count=3, persist=False)
    beside = build_plan(actor=alice, today=today, count=3, persist=False)
    assert beside == inside and len(beside.items) == 3
    assert readers[0] == threading.get_ident() != readers[1]


def _outreach_from_interactions(actor, today, days):
    """The heat map's counts straight from the interactions (what OutreachDay keeps)."""
    from django.db.models import Count, Q

    from goodwill.db.models import Party

    start = today - dt.timedelta(days=days - 1)
    return dict(
        Interaction.objects.filter(
            workspace=actor.workspace,
            date__gte=start,
            date__lte=today,
            initiated_by=Party.ME,
            is_pitch=False,
        )
        .filter(Q(member=actor.user) | Q(member__isnull=True))
        .values("date")
        .annotate(n=Count("id"))
        .values_list("date", "n")
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_outreach_kept_per_day_equals_the_interactions_through_random_writes(
    alice, bob, network, today, seed
):
    import random

    from django.db import connection

    from goodwill.services.plan import outreach_counts

    rng = random.Random(seed)
    people = [network.carol, network.paul, network.rita, network.pia]
    members = [None, alice.user, bob.user]
    kinds = ["add", "add", "delete", "save", "update", "raw"]
    for _ in range(60):
        kind = rng.choice(kinds)
        rows = list(Interaction.objects.filter(workspace=alice.workspace).order_by("id"))
        row = rng.choice(rows) if rows else None
        fields = {
            "date": today - dt.timedelta(days=rng.randint(0, 40)),
            "initiated_by": rng.choice(["me", "them"]),
            "is_pitch": rng.random() < 0.3,
            "member": rng.choice(members),
        }
        if kind == "add" or row is None:
            Interaction.objects.create(
                workspace=alice.workspace, person=rng.choice(people), kind="call", **fields
            )
        elif kind == "delete":
            row.delete()
        elif kind == "save":
            for key, value in fields.items():
                setattr(row, key, value)
            row.save()
        elif kind == "update":
            key = rng.choice(list(fields))
            Interaction.objects.filter(pk=row.pk).update(**{key: fields[key]})
        else:
            with connection.cursor() as cur:
                cur.execute(
                    "UPDATE goodwill_interaction SET date = %s WHERE id = %s",
                    [fields["date"], row.pk],
                )
        kept = outreach_counts(actor=alice, today=today, days=45)
        assert kept == _outreach_from_interactions(alice, today, 45), kind
