"""The overdue list a server keeps in memory (services/overdue.py) stays equal to
the list computed from scratch through any sequence of writes, made by services,
by the ORM or by raw SQL: the change-log triggers see them all.

These tests commit (``transaction=True``): inside a test's usual transaction the
list is always computed, never kept."""

from __future__ import annotations

import datetime as dt
import random
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections, transaction

from goodwill.db import models as m
from goodwill.services import overdue
from goodwill.services.interactions import log_interaction
from goodwill.services.people import PersonInput, add_person
from goodwill.services.plan import overdue_page

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ["client", "partner", "prospect", "peer", "referral_source", "vendor"]
TIERS = ["inner", "key", "network"]
STAGES = ["connected", "nurturing", "productive", "let_go"]


@pytest.fixture(autouse=True)
def _empty_memory():
    overdue.forget()
    yield
    overdue.forget()


@pytest.fixture
def computes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The ``ids`` of every computation of the list for keeping (None: the whole
    list), not those of :func:`_from_scratch`."""
    calls: list[Any] = []
    real = overdue.compute

    def recording(actor: Any, today: dt.date, ids: Any = None) -> Any:
        if not connection.in_atomic_block:
            calls.append(None if ids is None else sorted(ids))
        return real(actor, today, ids)

    monkeypatch.setattr(overdue, "compute", recording)
    return calls


def _columns(rows: overdue.Overdue) -> dict[int, tuple[Any, ...]]:
    """Each person's row of the list, by id (weights to 9 places)."""
    return {
        int(rows.ids[i]): (
            round(float(rows.weight[i]), 9),
            bool(rows.at_risk[i]),
            float(rows.days_since[i]),
            float(rows.cadence[i]),
            int(rows.tier[i]),
            int(rows.role[i]),
        )  # fmt: skip
        for i in range(len(rows))
    }


def _from_scratch(actor: Any, today: dt.date) -> Any:
    with transaction.atomic():  # inside a transaction the list is computed, not kept
        return overdue_page(actor=actor, today=today)


def _people(alice: Any, today: dt.date, rng: random.Random, n: int) -> list[Any]:
    people = []
    for i in range(n):
        p = add_person(
            actor=alice,
            data=PersonInput(
                name=f"Person {i}",
                role=rng.choice(ROLES),
                tier=rng.choice(TIERS),
                stage=rng.choice(STAGES[:3]),
            ),
            today=today - dt.timedelta(days=400),
        )
        log_interaction(
            actor=alice,
            person=p,
            kind="call",
            today=today,
            date=today - dt.timedelta(days=rng.randint(1, 300)),
        )
        people.append(p)
    return people


WRITES = ["log", "log_old", "tier", "role", "stage", "cadence", "raw_contact", "deal"]
WRITES += ["deal_won_lost", "deal_moved", "deal_delete", "referral", "delete", "add", "policy"]


def _random_write(alice: Any, today: dt.date, rng: random.Random, what: str) -> None:
    """One write of kind ``what``, half the time to someone on the overdue list."""
    ws = alice.workspace
    alive = list(m.Person.objects.filter(workspace=ws).values_list("id", flat=True))
    listed = [i.person.id for i in _from_scratch(alice, today)[0]]
    pid = rng.choice(listed if listed and rng.random() < 0.5 else alive)
    person = m.Person.objects.get(pk=pid)
    if what in ("log", "log_old"):
        days = 0 if what == "log" else rng.randint(1, 200)
        log_interaction(
            actor=alice, person=person, kind="email", today=today, date=today - dt.timedelta(days)
        )
    elif what == "tier":
        m.Person.objects.filter(pk=pid).update(tier=rng.choice(TIERS))
    elif what == "role":
        person.role = rng.choice(ROLES)
        person.save()
    elif what == "stage":
        m.Person.objects.filter(pk=pid).update(stage=rng.choice(STAGES))
    elif what == "cadence":
        m.Person.objects.filter(pk=pid).update(cadence_days=rng.choice([None, 3, 30, 365]))
    elif what == "raw_contact":
        day = today - dt.timedelta(days=rng.randint(0, 400))
        with connection.cursor() as cur:
            cur.execute("UPDATE goodwill_person SET last_contact = %s WHERE id = %s", [day, pid])
    elif what == "deal":
        m.Deal.objects.create(
            workspace=ws,
            client=person,
            amount=Decimal(rng.choice([500, 50_000, 2_000_000])),
            status=rng.choice(["won", "open", "lost"]),
            date=today - dt.timedelta(days=rng.randint(0, 500)),
            origin="referral",
            referrer_id=rng.choice(alive),
        )
    elif what in ("deal_won_lost", "deal_moved"):
        deals = m.Deal.objects.filter(workspace=ws).order_by("?")
        deal = deals.filter(client_id__in=listed).first() or deals.first()
        if deal is None:
            return
        if what == "deal_won_lost":  # the client's revenue
            deal.status = "lost" if deal.status == "won" else "won"
            deal.amount = Decimal(rng.choice([10, 90_000]))
        else:  # the old and new client's revenue, the referrers' referrals
            deal.referrer_id = rng.choice([None, *alive])
            deal.client_id = rng.choice(alive)
        deal.save()
    elif what == "deal_delete":
        m.Deal.objects.filter(workspace=ws, pk__in=m.Deal.objects.filter(workspace=ws)[:1]).delete()
    elif what == "referral":
        m.Person.objects.filter(pk=pid).update(introduced_by_id=rng.choice([None, *alive]))
    elif what == "delete" and len(alive) > 5:
        person.delete()
    elif what == "add":
        new = add_person(
            actor=alice,
            data=PersonInput(name="Newcomer", role=rng.choice(ROLES), tier=rng.choice(TIERS)),
            today=today - dt.timedelta(days=300),
        )
        m.Person.objects.filter(pk=new.pk).update(
            last_contact=today - dt.timedelta(days=rng.randint(1, 300)),
            introduced_by_id=rng.choice([None, *alive]),
        )
    elif what == "policy":
        ws.settings = {**(ws.settings or {}), "cadence": {"key": rng.choice([10, 30, 90])}}
        ws.save()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_list_equals_the_list_from_scratch_through_random_writes(
    alice, today, seed, computes
):
    rng = random.Random(seed)
    _people(alice, today, rng, 14)
    first = overdue_page(actor=alice, today=today)
    assert first == _from_scratch(alice, today)
    assert first[1] > 0 and computes == [None]
    patched = 0
    writes = WRITES * 4  # every kind of write, four times, in a random order
    rng.shuffle(writes)
    for what in writes:
        computes.clear()
        _random_write(alice, today, rng, what)
        alice.workspace.refresh_from_db()
        kept = overdue_page(actor=alice, today=today)
        assert kept == _from_scratch(alice, today), what
        with transaction.atomic():
            scratch = _columns(overdue.compute(alice, today))
        assert _columns(overdue.current(alice, today)) == scratch, what
        if what != "policy":  # a new cadence policy is a new list; the rest are patches
            assert None not in computes[:1], what
            patched += bool(computes)
    assert patched >= len(writes) // 2  # most writes were patches, not recomputations


def test_nothing_changed_is_one_query_for_the_list(
    alice, today, network, django_assert_num_queries
):
    overdue.current(alice, today)
    with django_assert_num_queries(1):
        rows = overdue.current(alice, today)
    assert [int(i) for i in rows.ids[rows.order()]] == [network.carol.pk]


def test_a_contact_takes_someone_off_the_kept_list(alice, today, network, computes):
    assert [i.person.id for i in overdue_page(actor=alice, today=today)[0]] == [network.carol.pk]
    log_interaction(actor=alice, person=network.carol, kind="call", today=today)
    assert overdue_page(actor=alice, today=today) == ([], 0)
    assert computes == [None, [network.carol.pk]]


def test_another_day_or_workspace_is_another_list(alice, mallory, today, network, computes):
    overdue.current(alice, today)
    overdue.current(alice, today + dt.timedelta(days=1))
    assert len(overdue.current(mallory, today)) == 0
    assert computes == [None, None, None]


def test_many_changes_at_once_recompute_the_whole_list(
    alice, today, network, computes, monkeypatch
):
    monkeypatch.setattr(overdue, "PATCH_LIMIT", 3)
    overdue.current(alice, today)
    for p in (network.paul, network.rita, network.bruno, network.chen):
        m.Person.objects.filter(pk=p.pk).update(last_contact=today - dt.timedelta(days=200))
    got = overdue_page(actor=alice, today=today)
    assert got == _from_scratch(alice, today)
    assert computes == [None, None]


@pytest.mark.postgres_only("SQLite runs one writer at a time: its log ids commit in order")
def test_a_change_committed_after_a_later_one_still_reaches_the_kept_list(
    alice, today, network, computes
):
    """PostgreSQL hands out log ids before commit: an open transaction's row can
    commit after rows with higher ids were read. The mark (the oldest open
    transaction) makes the next read see it."""
    overdue.current(alice, today)
    started, go, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                m.Person.objects.filter(pk=network.carol.pk).update(last_contact=today)
                started.set()
                go.wait(30)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert started.wait(30)
    m.Person.objects.filter(pk=network.paul.pk).update(last_contact=today - dt.timedelta(days=300))
    during = overdue_page(actor=alice, today=today)  # carol's change is not committed yet
    assert network.carol.pk in [i.person.id for i in during[0]]
    go.set()
    assert done.wait(30) and not errors
    thread.join()
    after = overdue_page(actor=alice, today=today)
    assert after == _from_scratch(alice, today)
    assert network.carol.pk not in [i.person.id for i in after[0]]
    assert None not in computes[1:]  # patched, not recomputed
