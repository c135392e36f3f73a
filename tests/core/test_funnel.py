"""Funnel math on hand-built histories, against a plain per-person reference
(hypothesis), and the suggestion rules."""

from __future__ import annotations

import datetime as dt
import statistics

from hypothesis import given
from hypothesis import strategies as st

from goodwill.core.funnel import (
    FUNNEL,
    STAGES,
    Change,
    Facts,
    Histories,
    StageRow,
    by_group,
    stage_rows,
    suggest,
)

D0 = dt.date(2026, 1, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def history(pid: int, *steps: tuple[int, str]) -> list[Change]:
    return [Change(pid, stage, day(n)) for n, stage in steps]


def hand_built() -> list[Change]:
    return [
        # identified 10 days, connected 20, nurturing 30, now productive
        *history(1, (0, "identified"), (10, "connected"), (30, "nurturing"), (60, "productive")),
        # identified 4 days, connected 10 days, then let go
        *history(2, (0, "identified"), (4, "connected"), (14, "let_go")),
        # identified 6 days, then let go
        *history(3, (0, "identified"), (6, "let_go")),
        # still identified
        *history(4, (0, "identified")),
        # added as connected, 40 days later nurturing
        *history(5, (0, "connected"), (40, "nurturing")),
    ]


def reference_rows(people: list[list[Change]], still: list[str]) -> list[StageRow]:
    """The module docstring's definitions, person by person, spell by spell."""
    count = dict.fromkeys(STAGES, 0)
    left, advanced = dict.fromkeys(STAGES, 0), dict.fromkeys(STAGES, 0)
    durations: dict[str, list[int]] = {s: [] for s in STAGES}
    for stage in still:
        if stage in count:
            count[stage] += 1
    for changes in people:
        spells, current = [], None  # (stage, start, end, next stage)
        for c in changes:
            if current is not None and c.to_stage == current[0]:
                continue  # already in that stage
            if current is not None:
                spells.append((current[0], current[1], c.date, c.to_stage))
            current = (c.to_stage, c.date)
        if current is None:
            continue
        if current[0] in count:
            count[current[0]] += 1
        exited, moved_on = set(), set()
        for stage, start, end, then in spells:
            if stage not in count:
                continue
            exited.add(stage)
            durations[stage].append((end - start).days)
            if stage in FUNNEL and then in FUNNEL and FUNNEL.index(then) > FUNNEL.index(stage):
                moved_on.add(stage)
        for stage in exited:
            left[stage] += 1
        for stage in moved_on:
            advanced[stage] += 1
    return [
        StageRow(
            stage=s,
            count=count[s],
            left=left[s],
            advanced=advanced[s],
            conversion=advanced[s] / left[s] if s in FUNNEL[:-1] and left[s] else None,
            median_days=(
                float(statistics.median(durations[s])) if durations[s] and s != "let_go" else None
            ),
        )
        for s in STAGES
    ]


def test_counts_conversion_and_median_days_match_a_hand_computation():
    rows = {r.stage: r for r in stage_rows(Histories.of(hand_built()))}
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
    rows = {r.stage: r for r in stage_rows(Histories.of(history(1, (0, "identified"))))}
    assert rows["identified"].conversion is None
    assert rows["identified"].count == 1


def test_people_without_a_recorded_change_count_where_they_are():
    rows = stage_rows(Histories.of(history(1, (0, "identified")), {7: "productive", 8: "odd"}))
    assert [r.count for r in rows] == [1, 0, 0, 1, 0]
    assert stage_rows(Histories.of([])) == reference_rows([], [])


def test_groups_split_people_and_people_without_a_group_are_none():
    groups = by_group(Histories.of(hand_built()), {1: ["event"], 2: ["event"], 3: ["linkedin"]})
    assert set(groups) == {"event", "linkedin", "(none)"}
    assert sum(r.count for r in groups["event"]) == 2
    assert sum(r.count for r in groups["(none)"]) == 2


def test_someone_in_a_group_twice_counts_once():
    """Two events of the same name met by one person: one person in that group."""
    groups = by_group(Histories.of(hand_built()), {1: ["Expo", "Expo"]})
    assert sum(r.count for r in groups["Expo"]) == 1


steps = st.lists(
    st.tuples(st.integers(0, 30), st.sampled_from([*STAGES, "unknown"])), min_size=1, max_size=8
)


@given(
    st.lists(steps, max_size=20),
    st.lists(st.sampled_from([*STAGES, "unknown"]), max_size=5),
    st.dictionaries(st.integers(0, 30), st.lists(st.sampled_from("abc"), max_size=2)),
)
def test_the_columns_give_the_reference_figures_for_everyone_and_per_group(raw, still, groups):
    people = []
    for pid, seq in enumerate(raw):
        n, changes = 0, []
        for gap, stage in seq:
            n += gap
            changes.append(Change(pid, stage, day(n)))
        people.append(changes)
    quiet = {100 + i: stage for i, stage in enumerate(still)}
    histories = Histories.of([c for changes in people for c in changes], quiet)
    rows = stage_rows(histories)
    assert rows == reference_rows(people, still)
    assert (
        sum(r.count for r in rows)
        == sum(1 for s in [*(p[-1].to_stage for p in people if p), *still] if s in STAGES)
        or not people
    )
    for r in rows:
        assert 0 <= r.advanced <= r.left <= len(people)
        assert r.conversion is None or 0 <= r.conversion <= 1
    for key, grouped in by_group(histories, groups).items():
        members = {
            pid for pid in [*range(len(people)), *quiet] if key in (groups.get(pid) or ["(none)"])
        }
        expected = reference_rows(
            [p for pid, p in enumerate(people) if pid in members],
            [s for pid, s in quiet.items() if pid in members],
        )
        assert grouped == expected, key


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
