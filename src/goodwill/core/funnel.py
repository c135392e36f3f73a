"""The relationship funnel: identified → connected → nurturing → productive,
with let_go as a deliberate exit from any stage.

Inputs are stage histories (every change with its date, oldest first). A
person's history is cut into *spells*: time spent in one stage, from the date
they entered it to the date they left it (open if they are still there).

Per stage S (computed over a set of people, the whole network or one group)::

    count(S)       = people whose current stage is S
    left(S)        = people with at least one finished spell in S
    advanced(S)    = people in left(S) who, on some exit from S, moved to a
                     later funnel stage (skipping stages counts; let_go does not)
    conversion(S)  = advanced(S) / left(S)      (None when nobody has left S;
                                                 None for productive and let_go)
    median_days(S) = median length in days of the finished spells in S
                     (people still in S are not counted: their time is not over)

Suggested moves (applied only by the user), first rule that applies wins:

* reached productive: someone not yet productive who sent a referral or is the
  client of a won deal;
* connected: someone identified who has been met (meeting, coffee, event chat,
  an event) at least twice;
* nurturing: someone connected with at least 3 touchpoints since connecting;
* consider letting go: someone identified, connected or nurturing with no
  contact for 3 cadences (counted from their last contact, or from when they
  entered the stage if never contacted).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STAGES = ("identified", "connected", "nurturing", "productive", "let_go")
FUNNEL = STAGES[:4]  # the ordered stages; let_go is an exit
MEETS_TO_CONNECT = 2
TOUCHES_TO_NURTURE = 3
CADENCES_TO_LET_GO = 3


@dataclass(frozen=True)
class Change:
    person_id: int
    to_stage: str
    date: dt.date


@dataclass(frozen=True)
class Spell:
    stage: str
    start: dt.date
    end: dt.date | None  # None: still in this stage
    next_stage: str | None


@dataclass(frozen=True)
class StageRow:
    stage: str
    count: int
    left: int
    advanced: int
    conversion: float | None
    median_days: float | None


def spells(changes: Iterable[Change]) -> list[Spell]:
    """One person's changes (oldest first) as spells; a change to the same stage is ignored."""
    result: list[Spell] = []
    current: tuple[str, dt.date] | None = None
    for c in changes:
        if current is not None:
            if c.to_stage == current[0]:
                continue
            result.append(Spell(current[0], current[1], c.date, c.to_stage))
        current = (c.to_stage, c.date)
    if current is not None:
        result.append(Spell(current[0], current[1], None, None))
    return result


def _later(stage: str, than: str) -> bool:
    return stage in FUNNEL and than in FUNNEL and FUNNEL.index(stage) > FUNNEL.index(than)


def stage_rows(histories: Iterable[list[Spell]]) -> list[StageRow]:
    """The funnel table over a set of people (see the module docstring)."""
    count = dict.fromkeys(STAGES, 0)
    left = dict.fromkeys(STAGES, 0)
    advanced = dict.fromkeys(STAGES, 0)
    durations: dict[str, list[int]] = {s: [] for s in STAGES}
    for person in histories:
        if not person:
            continue
        if person[-1].stage in count:
            count[person[-1].stage] += 1
        exited: set[str] = set()
        moved_on: set[str] = set()
        for s in person:
            if s.end is None or s.stage not in count:
                continue
            exited.add(s.stage)
            durations[s.stage].append((s.end - s.start).days)
            if s.next_stage is not None and _later(s.next_stage, s.stage):
                moved_on.add(s.stage)
        for stage in exited:
            left[stage] += 1
        for stage in moved_on:
            advanced[stage] += 1
    rows = []
    for stage in STAGES:
        converts = stage in FUNNEL[:-1] and left[stage] > 0
        rows.append(
            StageRow(
                stage=stage,
                count=count[stage],
                left=left[stage],
                advanced=advanced[stage],
                conversion=advanced[stage] / left[stage] if converts else None,
                median_days=(
                    float(statistics.median(durations[stage]))
                    if durations[stage] and stage != "let_go"
                    else None
                ),
            )
        )
    return rows


def by_group(
    histories: Mapping[int, list[Spell]], groups: Mapping[int, Iterable[str]]
) -> dict[str, list[StageRow]]:
    """The funnel table per group value; a person may be in several groups
    (e.g. several events) or none ("(none)")."""
    members: dict[str, list[list[Spell]]] = {}
    for pid, history in histories.items():
        keys = list(groups.get(pid, ())) or ["(none)"]
        for key in keys:
            members.setdefault(key or "(none)", []).append(history)
    return {key: stage_rows(members[key]) for key in sorted(members)}


@dataclass(frozen=True)
class Facts:
    """What the suggestion rules look at for one person."""

    person_id: int
    stage: str
    stage_since: dt.date
    last_contact: dt.date | None
    cadence_days: int
    meets: int  # in-person meetings since entering the stage (incl. events)
    touches_since_stage: int
    referrals: int  # referrals they sent
    won_deals: int


@dataclass(frozen=True)
class Move:
    person_id: int
    from_stage: str
    to_stage: str
    reason: str


def suggest(facts: Facts, today: dt.date) -> Move | None:
    """The suggested move for one person, or None (rules in the module docstring)."""
    f = facts
    if f.stage in ("let_go", "productive"):
        return None
    if f.referrals or f.won_deals:
        parts = []
        if f.referrals:
            parts.append(f"sent {f.referrals} referral{'s' if f.referrals != 1 else ''}")
        if f.won_deals:
            parts.append(f"{f.won_deals} won deal{'s' if f.won_deals != 1 else ''}")
        return Move(f.person_id, f.stage, "productive", " and ".join(parts))
    if f.stage == "identified" and f.meets >= MEETS_TO_CONNECT:
        return Move(f.person_id, f.stage, "connected", f"met {f.meets} times since identified")
    if f.stage == "connected" and f.touches_since_stage >= TOUCHES_TO_NURTURE:
        return Move(
            f.person_id,
            f.stage,
            "nurturing",
            f"{f.touches_since_stage} touchpoints since connecting",
        )
    since = f.last_contact or f.stage_since
    quiet = (today - since).days
    if quiet >= CADENCES_TO_LET_GO * f.cadence_days:
        what = "no contact" if f.last_contact else "never contacted"
        return Move(
            f.person_id,
            f.stage,
            "let_go",
            f"{what} for {quiet} days ({CADENCES_TO_LET_GO} cadences of {f.cadence_days} days)",
        )
    return None
