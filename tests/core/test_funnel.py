"""Funnel math on hand-built histories, and the suggestion rules."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from goodwill.core.funnel import (
    STAGES,
    Change,
    Facts,
    by_group,
    spells,
    stage_rows,
    suggest,
)

D0 = dt.date(2026, 1, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def history(pid: int, *steps: tuple[int, str]) -> list:
    return spells(Change(pid, stage, day(n)) for n, stage in steps)


def hand_built() -> dict[int, list]:
    return {
        # identified 10 days, connected 20, nurturing 30, now productive
        1: history(1, (0, "identified"), (10, "connected"), (30, "nurturing"), (60, "productive")),
        # identified 4 days, connected 10 days, then let go
        2: history(2, (0, "identified"), (4, "connected"), (14, "let_go")),
        # identified 6 days, then let go
        3: history(3, (0, "identified"), (6, "let_go")),
        # still identified
        4: history(4, (0, "identified")),
        # added as connected, 40 days later nurturing
        5: history(5, (0, "connected"), (40, "nurturing")),
    }


def test_counts_conversion_and_median_days_match_a_hand_computation():
    rows = {r.stage: r for r in stage_rows(hand_built().values())}
    assert [rows[s].count for s in STAGES] == [1, 0, 1, 1, 2]
    # identified: 1, 2 and 3 left it; 1 and 2 moved on, 3 was let go -> 2/3
    assert rows["identified"].left == 3
    assert rows["identified"].conversion == 2 / 3
    assert rows["identified"].median_days == 6  # spells of 10, 4, 6 days
    # connected: 1, 2 and 5 left it; 1 and 5 moved on -> 2/3; spells 20, 10, 40
    assert rows["connected"].conversion == 2 / 3
    assert rows["connected"].median_days == 20
    # nurturing: only 1 left it, to productive
    assert rows["nurturing"].conversion == 1.0
    assert rows["nurturing"].median_days == 30
    # nobody has left productive; let_go is an exit
    assert rows["productive"].conversion is None
    assert rows["productive"].median_days is None
    assert rows["let_go"].conversion is None and rows["let_go"].median_days is None


def test_a_stage_nobody_has_left_has_no_conversion():
    rows = {r.stage: r for r in stage_rows([history(1, (0, "identified"))])}
    assert rows["identified"].conversion is None
    assert rows["identified"].count == 1


def test_groups_split_people_and_people_without_a_group_are_none():
    groups = by_group(hand_built(), {1: ["event"], 2: ["event"], 3: ["linkedin"]})
    assert set(groups) == {"event", "linkedin", "(none)"}
    assert sum(r.count for r in groups["event"]) == 2
    assert sum(r.count for r in groups["(none)"]) == 2


steps = st.lists(st.tuples(st.integers(0, 30), st.sampled_from(STAGES)), min_size=1, max_size=8)


@given(st.lists(steps, min_size=1, max_size=20))
def test_counts_add_up_and_conversions_are_proportions(raw):
    histories = []
    for pid, seq in enumerate(raw):
        n, changes = 0, []
        for gap, stage in seq:
            n += gap
            changes.append(Change(pid, stage, day(n)))
        histories.append(spells(changes))
    rows = stage_rows(histories)
    assert sum(r.count for r in rows) == len(histories)
    for r in rows:
        assert 0 <= r.advanced <= r.left <= len(histories)
        assert r.conversion is None or 0 <= r.conversion <= 1
        assert r.median_days is None or r.median_days >= 0


def facts(**kw) -> Facts:
    base = {
        "person_id": 1,
        "stage": "identified",
        "stage_since": day(0),
        "last_contact": day(0),
        "cadence_days": 30,
        "meets": 0,
        "touches_since_stage": 0,
        "referrals": 0,
        "won_deals": 0,
    }
    base.update(kw)
    return Facts(**base)


def test_someone_identified_and_met_twice_is_suggested_as_connected():
    move = suggest(facts(meets=2), day(5))
    assert move is not None and move.to_stage == "connected"
    assert "met 2 times" in move.reason


def test_a_referral_or_a_won_deal_suggests_productive():
    move = suggest(facts(stage="nurturing", referrals=1), day(5))
    assert move is not None and move.to_stage == "productive" and "referral" in move.reason
    move = suggest(facts(stage="connected", won_deals=2), day(5))
    assert move is not None and move.to_stage == "productive" and "2 won deals" in move.reason


def test_three_cadences_without_contact_suggest_letting_go_with_the_reason():
    assert suggest(facts(stage="nurturing"), day(89)) is None
    move = suggest(facts(stage="nurturing"), day(90))
    assert move is not None and move.to_stage == "let_go"
    assert "90 days" in move.reason and "30 days" in move.reason


def test_productive_and_let_go_people_get_no_suggestion():
    assert suggest(facts(stage="productive", referrals=3), day(400)) is None
    assert suggest(facts(stage="let_go", meets=5), day(400)) is None
