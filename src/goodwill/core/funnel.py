"""The relationship funnel: identified → connected → nurturing → productive,
with let_go as a deliberate exit from any stage.

Inputs are stage histories (every change with its date, oldest first), as
columns (:class:`Histories`: numpy arrays, so 100,000 people and their 270,000
changes take about a tenth of a second). A change to the stage the person is
already in is ignored. A person's history is cut into *spells*: time spent in
one stage, from the date they entered it to the date they left it (open if they
are still there). People with no recorded change are in one open spell of their
stage.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

STAGES = ("identified", "connected", "nurturing", "productive", "let_go")
FUNNEL = STAGES[:4]  # the ordered stages; let_go is an exit
MEETS_TO_CONNECT = 2
TOUCHES_TO_NURTURE = 3
CADENCES_TO_LET_GO = 3


Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Change:
    person_id: int
    to_stage: str
    date: dt.date


@dataclass(frozen=True)
class StageRow:
    stage: str
    count: int
    left: int
    advanced: int
    conversion: float | None
    median_days: float | None


def _ints(values: Iterable[int] = ()) -> Ints:
    return np.fromiter(values, dtype=np.int64)


def code(stage: str) -> int:
    """The stage's index in STAGES (-1: another value)."""
    return STAGES.index(stage) if stage in STAGES else -1


@dataclass(frozen=True)
class Histories:
    """Every stage change of a set of people as columns, ordered by person then date
    (``stage``: index into STAGES, -1 for another value; ``day``: a date ordinal),
    and the current stage of the people with no recorded change (none of whom
    appears in ``person``)."""

    person: Ints
    stage: Ints
    day: Ints
    still_person: Ints = field(default_factory=_ints)
    still_stage: Ints = field(default_factory=_ints)

    @classmethod
    def of(cls, changes: Iterable[Change], still: Mapping[int, str] | None = None) -> Histories:
        """From changes in any order (those of a person on one day keep their order)."""
        rows = sorted(
            enumerate(changes), key=lambda ic: (ic[1].person_id, ic[1].date.toordinal(), ic[0])
        )
        still = still or {}
        return cls(
            person=_ints(c.person_id for _, c in rows),
            stage=_ints(code(c.to_stage) for _, c in rows),
            day=_ints(c.date.toordinal() for _, c in rows),
            still_person=_ints(still),
            still_stage=_ints(code(v) for v in still.values()),
        )

    def only(self, people: Ints) -> Histories:
        """The histories of ``people`` alone."""
        rows = np.isin(self.person, people, kind="table")
        still = np.isin(self.still_person, people, kind="table")
        return Histories(
            self.person[rows],
            self.stage[rows],
            self.day[rows],
            self.still_person[still],
            self.still_stage[still],
        )

    def people(self) -> Ints:
        """Everyone, by id (those with changes, then those without)."""
        first = np.ones(len(self.person), dtype=bool)
        first[1:] = self.person[1:] != self.person[:-1]
        result: Ints = np.concatenate((self.person[first], self.still_person))
        return result


def stage_rows(histories: Histories) -> list[StageRow]:
    """The funnel table over a set of people (see the module docstring)."""
    known = len(STAGES)
    person, stage, day = histories.person, histories.stage, histories.day
    if len(person):  # a change to the stage the person is already in is ignored
        keep = np.ones(len(person), dtype=bool)
        keep[1:] = (person[1:] != person[:-1]) | (stage[1:] != stage[:-1])
        person, stage, day = person[keep], stage[keep], day[keep]
    last = np.ones(len(person), dtype=bool)  # each person's current spell
    last[:-1] = person[1:] != person[:-1]
    now = np.concatenate((stage[last], histories.still_stage))
    count = np.bincount(now[now >= 0], minlength=known)
    finished = np.flatnonzero(~last)
    finished = finished[stage[finished] >= 0]
    here, then = stage[finished], stage[finished + 1]
    days = day[finished + 1] - day[finished]
    ordered = len(FUNNEL)
    moved_on = (here < ordered) & (then >= 0) & (then < ordered) & (then > here)

    def people_per_stage(rows: Ints) -> Ints:
        pairs = np.sort(person[rows] * known + stage[rows])
        once = np.ones(len(pairs), dtype=bool)  # each person once a stage
        once[1:] = pairs[1:] != pairs[:-1]
        result: Ints = np.bincount(pairs[once] % known, minlength=known)
        return result

    left = people_per_stage(finished)
    advanced = people_per_stage(finished[moved_on])
    rows = []
    for i, name in enumerate(STAGES):
        spent = days[here == i]
        converts = name in FUNNEL[:-1] and left[i] > 0
        rows.append(
            StageRow(
                stage=name,
                count=int(count[i]),
                left=int(left[i]),
                advanced=int(advanced[i]),
                conversion=int(advanced[i]) / int(left[i]) if converts else None,
                median_days=(float(np.median(spent)) if len(spent) and name != "let_go" else None),
            )
        )
    return rows


def by_group(
    histories: Histories, groups: Mapping[int, Iterable[str]]
) -> dict[str, list[StageRow]]:
    """The funnel table per group value; a person may be in several groups
    (e.g. several events) or none ("(none)")."""
    members: dict[str, list[int]] = {}
    for pid in histories.people().tolist():
        keys = list(groups.get(pid, ())) or ["(none)"]
        for key in keys:
            members.setdefault(key or "(none)", []).append(pid)
    return {key: stage_rows(histories.only(_ints(members[key]))) for key in sorted(members)}


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
