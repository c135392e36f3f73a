"""The funnel report, suggested stage moves, and applying one (by the user).

Bounded queries: the report reads people, stage changes and (for ``by=event``)
event attendance once each; suggestions read people, interactions, events,
deals and favours once each, whatever the size of the network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, F, Q

from goodwill.core import funnel as core
from goodwill.core.cadence import policy_from_settings
from goodwill.db.models import (
    Deal,
    DealStatus,
    Direction,
    EventMet,
    Favour,
    FavourKind,
    Interaction,
    InteractionKind,
    Party,
    Person,
    Stage,
    StageChange,
)

from .compiled import DayOrdinal, code_of, compiled, numbers, of_ids
from .context import Actor, scoped
from .errors import BadInput, NotFound
from .parse import parse_choice
from .people import change_stage
from .rows import named_rows

GROUP_FIELDS = ("source", "event", "role", "industry", "cohort")
MEETING_KINDS = (InteractionKind.MEETING, InteractionKind.COFFEE, InteractionKind.EVENT_CHAT)


@dataclass(frozen=True)
class StageFigures:
    stage: str
    count: int
    conversion: float | None
    median_days: float | None
    left: int
    advanced: int


@dataclass
class FunnelReport:
    stages: list[StageFigures]
    by: str = ""
    groups: dict[str, list[StageFigures]] = field(default_factory=dict)
    total: int = 0


@dataclass(frozen=True)
class Suggestion:
    person: dict[str, object]  # {"id", "name"}
    from_stage: str
    to_stage: str
    reason: str


def _figures(rows: list[core.StageRow]) -> list[StageFigures]:
    return [
        StageFigures(
            stage=r.stage,
            count=r.count,
            conversion=None if r.conversion is None else round(r.conversion, 4),
            median_days=r.median_days,
            left=r.left,
            advanced=r.advanced,
        )
        for r in rows
    ]


def _histories(actor: Actor, ids: np.ndarray | None = None) -> core.Histories:
    """Every stage change of the workspace as columns (one query, read as numbers),
    and the stage of each person with none recorded (one more to read everyone's
    id, unless ``ids`` are given; one more when someone has no change)."""
    ws = actor.workspace
    changes = (
        scoped(StageChange, ws)
        .order_by("person_id", "date", "id")
        .annotate(code=code_of("to_stage", list(core.STAGES)), day=DayOrdinal("date"))
        .values_list("person_id", "code", "day")
    )
    m = numbers(*changes.query.sql_with_params(), 3).astype(np.int64)
    if ids is None:
        everyone = numbers(*scoped(Person, ws).values_list("id").query.sql_with_params(), 1)
        ids = everyone[:, 0].astype(np.int64)
    quiet = ids[~np.isin(ids, m[:, 0], kind="table")].tolist() if len(m) else ids.tolist()
    still: dict[int, str] = {}
    if quiet:  # people with no change recorded: their stage now (usually none)

        def stages() -> Any:
            return of_ids(scoped(Person, ws), Person, "id").values("id", "stage")

        found = named_rows(*compiled(("funnel-still", ws.pk), stages, quiet))
        still = {int(r["id"]): str(r["stage"]) for r in found}
    return core.Histories(
        m[:, 0],
        m[:, 1],
        m[:, 2],
        np.array(list(still), dtype=np.int64),
        np.array([core.code(stage) for stage in still.values()], dtype=np.int64),
    )


def _groups(actor: Actor, by: str, people: list[dict[str, Any]]) -> dict[int, list[str]]:
    if by == "event":
        result: dict[int, list[str]] = defaultdict(list)
        met = scoped(EventMet, actor.workspace).values_list("person_id", "event__name")
        for pid, name in met.order_by("event__date", "event_id"):
            result[pid].append(name)
        return result
    groups: dict[int, list[str]] = {}
    for p in people:
        pid = int(str(p["id"]))
        if by == "cohort":
            created = p["created_on"]
            assert isinstance(created, dt.date)
            groups[pid] = [created.strftime("%Y-%m")]
        elif by == "industry":
            groups[pid] = [str(p["industry"] or p["organization__industry"] or "").lower()]
        else:
            groups[pid] = [str(p[by])]
    return groups


def funnel_report(*, actor: Actor, today: dt.date, by: str = "") -> FunnelReport:
    """Count, conversion and median days per stage, for everyone and per group."""
    del today  # the report is about recorded history; kept for a uniform signature
    if by:
        by = parse_choice(by, GROUP_FIELDS, field="by")
    people: list[Any] = []
    ids = None
    if by:  # everyone's group fields (and so their ids)
        people = list(
            scoped(Person, actor.workspace).values(
                "id", "stage", "created_on", "source", "role", "industry", "organization__industry"
            )
        )
        ids = np.array([int(p["id"]) for p in people], dtype=np.int64)
    histories = _histories(actor, ids)
    report = FunnelReport(
        stages=_figures(core.stage_rows(histories)), total=len(histories.people())
    )
    if by:
        report.by = by
        grouped = core.by_group(histories, _groups(actor, by, people))
        report.groups = {key: _figures(rows) for key, rows in grouped.items()}
    return report


def _counts(rows: object) -> dict[int, int]:
    return {int(pid): int(n) for pid, n in rows}  # type: ignore[attr-defined]


def suggest_moves(*, actor: Actor, today: dt.date) -> list[Suggestion]:
    """Stage moves the evidence suggests (rules in core/funnel.py); nothing is applied."""
    ws = actor.workspace
    open_stages = (Stage.IDENTIFIED, Stage.CONNECTED, Stage.NURTURING)
    people: list[Any] = list(
        scoped(Person, ws)
        .filter(stage__in=open_stages)
        .values(
            "id", "name", "stage", "stage_since", "last_contact", "cadence_days", "tier", "role"
        )
    )
    since_stage = Q(date__gte=F("person__stage_since"))
    inter = (
        scoped(Interaction, ws)
        .filter(person__stage__in=open_stages)
        .values("person_id")
        .annotate(
            meets=Count("id", filter=since_stage & Q(kind__in=MEETING_KINDS)),
            touches=Count("id", filter=since_stage),
            referrals=Count("id", filter=Q(kind=InteractionKind.REFERRAL, initiated_by=Party.THEM)),
        )
    )
    by_inter: dict[int, Any] = {int(r["person_id"]): r for r in inter}
    events = _counts(
        scoped(EventMet, ws)
        .filter(person__stage__in=open_stages, event__date__gte=F("person__stage_since"))
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    referred = _counts(
        scoped(Deal, ws)
        .filter(referrer__stage__in=open_stages)
        .values("referrer_id")
        .annotate(n=Count("id"))
        .values_list("referrer_id", "n")
    )
    favours = _counts(
        scoped(Favour, ws)
        .filter(
            person__stage__in=open_stages,
            direction=Direction.RECEIVED,
            kind=FavourKind.REFERRAL,
            deal__isnull=True,
        )
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    won = _counts(
        scoped(Deal, ws)
        .filter(client__stage__in=open_stages, status=DealStatus.WON)
        .values("client_id")
        .annotate(n=Count("id"))
        .values_list("client_id", "n")
    )
    policy = policy_from_settings(_cadence_settings(actor))
    order = {"productive": 0, "connected": 1, "nurturing": 2, "let_go": 3}
    found: list[tuple[core.Move, str]] = []
    for p in people:
        pid = int(p["id"])
        i: dict[str, Any] = by_inter.get(pid, {})
        facts = core.Facts(
            person_id=pid,
            stage=p["stage"],
            stage_since=p["stage_since"],
            last_contact=p["last_contact"],
            cadence_days=policy.days(tier=p["tier"], role=p["role"], override=p["cadence_days"]),
            meets=int(i.get("meets", 0)) + events.get(pid, 0),
            touches_since_stage=int(i.get("touches", 0)),
            referrals=int(i.get("referrals", 0)) + referred.get(pid, 0) + favours.get(pid, 0),
            won_deals=won.get(pid, 0),
        )
        move = core.suggest(facts, today)
        if move is not None:
            found.append((move, p["name"]))
    found.sort(key=lambda m: (order[m[0].to_stage], m[1].lower(), m[0].person_id))
    return [
        Suggestion(
            person={"id": m.person_id, "name": name},
            from_stage=m.from_stage,
            to_stage=m.to_stage,
            reason=m.reason,
        )
        for m, name in found
    ]


def _cadence_settings(actor: Actor) -> dict[str, object]:
    raw = (actor.workspace.settings or {}).get("cadence")
    return raw if isinstance(raw, dict) else {}


def apply_move(
    *, actor: Actor, person_id: int, stage: str, reason: str, today: dt.date
) -> StageChange:
    """Apply a suggested move the user accepted (one transaction, via change_stage)."""
    actor.require_write()
    person = scoped(Person, actor.workspace).filter(pk=person_id).first()
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    if person.stage == stage:
        raise BadInput(f"{person.name} is already {stage}", field="stage")
    return change_stage(actor=actor, person=person, stage=stage, reason=reason, today=today)
