"""SQLite and PostgreSQL give the same answers: full-text search, JSON fields and
date functions. This module runs in both runs of `make test` (tests/services is
also run with GOODWILL_TEST_POSTGRES=1), with the same expectations."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth

from goodwill.db.models import Interaction, PlanEntry, Workspace
from goodwill.services.context import scoped
from goodwill.services.interactions import log_interaction
from goodwill.services.people import PersonInput, add_person
from goodwill.services.search import search_ids


def test_full_text_search_matches_words_prefixes_and_notes_alike(alice, today):
    ann = add_person(
        actor=alice, data=PersonInput(name="Ann Ödegaard", needs="bookkeeping help"), today=today
    )
    bo = add_person(
        actor=alice, data=PersonInput(name="Bo Berg", offers="tax returns"), today=today
    )
    log_interaction(
        actor=alice, person=bo, kind="call", today=today, note="Talked about Kubernetes"
    )
    assert search_ids(actor=alice, query="bookkeeping") == [ann.pk]
    assert search_ids(actor=alice, query="BOOKKEEP") == [ann.pk]  # prefix, any case
    assert search_ids(actor=alice, query="kubernetes") == [bo.pk]  # interaction notes
    assert search_ids(actor=alice, query="tax returns") == [bo.pk]  # every word
    assert search_ids(actor=alice, query="tax bookkeeping") == []
    assert search_ids(actor=alice, query="  ") == []


def test_search_never_crosses_workspaces(alice, mallory, today):
    add_person(actor=mallory, data=PersonInput(name="Secret Sam", needs="bookkeeping"), today=today)
    assert search_ids(actor=alice, query="bookkeeping") == []


def test_json_fields_round_trip_and_filter_by_key_alike(alice, network, today):
    ws = Workspace.objects.get(pk=alice.workspace.pk)
    ws.settings = {"cadence": {"inner": 14, "key": 30}, "names": ["Zoë", "<b>"], "on": True}
    ws.save()
    ws.refresh_from_db()
    assert ws.settings == {"cadence": {"inner": 14, "key": 30}, "names": ["Zoë", "<b>"], "on": True}
    assert Workspace.objects.filter(settings__cadence__inner=14).count() == 1
    assert Workspace.objects.filter(settings__has_key="cadence").count() == 1
    entry = PlanEntry.objects.create(
        workspace=alice.workspace,
        user=alice.user,
        person=network.carol,
        date=today,
        reasons=[{"code": "quiet", "days": 60}, "plain text"],
    )
    entry.refresh_from_db()
    assert entry.reasons == [{"code": "quiet", "days": 60}, "plain text"]


def test_date_functions_truncate_and_extract_alike(alice, network, today):
    for days in (0, 1, 40, 400):
        log_interaction(
            actor=alice,
            person=network.peter,
            kind="email",
            today=today,
            date=today - dt.timedelta(days=days),
        )
    rows = (
        scoped(Interaction, alice.workspace)
        .filter(person=network.peter)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    assert [(r["month"], r["n"]) for r in rows] == [
        (dt.date(2025, 10, 1), 1),
        (dt.date(2026, 10, 1), 1),
        (dt.date(2026, 11, 1), 2),
    ]
    years = (
        scoped(Interaction, alice.workspace)
        .filter(person=network.peter)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values_list("y", "m")
        .order_by("y", "m")
    )
    assert list(years) == [(2025, 10), (2026, 10), (2026, 11), (2026, 11)]
    recent = scoped(Interaction, alice.workspace).filter(
        person=network.peter, date__gte=today - dt.timedelta(days=30)
    )
    assert recent.count() == 2
    assert connection.vendor in ("sqlite", "postgresql")
