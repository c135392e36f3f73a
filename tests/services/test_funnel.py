"""Funnel services: the report from recorded stage changes, groups, suggested moves."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.db.models import Deal, Person, StageChange
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.events import add_event, record_met
from goodwill.services.funnel import apply_move, funnel_report, suggest_moves
from goodwill.services.interactions import log_interaction
from goodwill.services.people import PersonInput, add_person, change_stage


def add(actor, name, day, **kw):
    return add_person(actor=actor, data=PersonInput(name=name, **kw), today=day)


def test_the_report_counts_each_stage_and_measures_conversion_and_days(alice, today):
    start = today - dt.timedelta(days=100)
    ann = add(alice, "Ann", start)
    ben = add(alice, "Ben", start)
    add(alice, "Cid", start)
    change_stage(actor=alice, person=ann, stage="connected", today=start + dt.timedelta(days=10))
    change_stage(
        actor=alice,
        person=ben,
        stage="let_go",
        reason="no fit",
        today=start + dt.timedelta(days=30),
    )
    stages = {s.stage: s for s in funnel_report(actor=alice, today=today).stages}
    assert (stages["identified"].count, stages["connected"].count, stages["let_go"].count) == (
        1,
        1,
        1,
    )
    assert stages["identified"].conversion == 0.5
    assert stages["identified"].median_days == 20  # 10 and 30 days


def test_groups_by_source_and_cohort_cover_everyone(alice, today, network):
    report = funnel_report(actor=alice, today=today, by="source")
    assert sum(s.count for rows in report.groups.values() for s in rows) == report.total
    assert "introduction" in report.groups and "event" in report.groups
    cohorts = funnel_report(actor=alice, today=today, by="cohort").groups
    assert list(cohorts) == [(today - dt.timedelta(days=400)).strftime("%Y-%m")]


def test_grouping_by_event_puts_people_under_the_events_they_met_at(alice, today, network):
    event = add_event(actor=alice, today=today, name="Expo", date=today - dt.timedelta(days=3))
    record_met(actor=alice, today=today, event=event, people=["Pia"])
    groups = funnel_report(actor=alice, today=today, by="event").groups
    assert sum(s.count for s in groups["Expo"]) == 1


def test_an_unknown_group_field_is_bad_input(alice, today):
    with pytest.raises(BadInput, match="unknown by"):
        funnel_report(actor=alice, today=today, by="colour")


def test_the_report_reads_a_bounded_number_of_queries(alice, today, django_assert_max_num_queries):
    for i in range(30):
        add(alice, f"Person {i}", today - dt.timedelta(days=i), source="event")
    with django_assert_max_num_queries(3):
        funnel_report(actor=alice, today=today, by="event")


def test_suggestions_explain_connect_productive_and_let_go(alice, today, network):
    log_interaction(actor=alice, person=network.pia, kind="coffee", today=today, date=today)
    log_interaction(actor=alice, person=network.pia, kind="meeting", today=today, date=today)
    Deal.objects.create(
        workspace=alice.workspace, client=network.chen, amount=500, date=today, status="won"
    )
    moves = {m.person["name"]: m for m in suggest_moves(actor=alice, today=today)}
    assert moves["Pia Prospect"].to_stage == "connected"
    assert "met 2 times" in moves["Pia Prospect"].reason
    assert moves["Chen Customer"].to_stage == "productive"
    # Peter Peer: never contacted since being added 400 days ago
    assert moves["Peter Peer"].to_stage == "let_go"
    assert "cadences" in moves["Peter Peer"].reason
    assert "Carol Client" not in moves  # productive people are kept


def test_nothing_is_applied_until_the_user_applies_a_move(alice, today, network):
    suggest_moves(actor=alice, today=today)
    assert Person.objects.get(pk=network.peter.pk).stage == "connected"
    apply_move(actor=alice, person_id=network.peter.pk, stage="let_go", reason="quiet", today=today)
    assert Person.objects.get(pk=network.peter.pk).stage == "let_go"
    assert StageChange.objects.filter(person=network.peter, reason="quiet").exists()


def test_suggestions_do_not_grow_queries_with_the_network(
    alice, today, django_assert_max_num_queries
):
    for i in range(40):
        add(alice, f"Quiet {i}", today - dt.timedelta(days=400))
    with django_assert_max_num_queries(7):
        assert len(suggest_moves(actor=alice, today=today)) == 40


def test_moves_cannot_touch_another_workspace_nor_be_made_by_viewers(
    alice, vera, mallory, today, network
):
    with pytest.raises(NotFound):
        apply_move(
            actor=mallory, person_id=network.peter.pk, stage="connected", reason="", today=today
        )
    with pytest.raises(BadInput):
        apply_move(
            actor=vera, person_id=network.peter.pk, stage="nurturing", reason="", today=today
        )
    with pytest.raises(BadInput, match="reason"):
        apply_move(actor=alice, person_id=network.peter.pk, stage="let_go", reason=" ", today=today)
    assert Person.objects.get(pk=network.peter.pk).stage == "connected"
