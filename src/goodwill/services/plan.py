"""Today's plan, acting on it (done / skip / snooze), the streak, the heat map,
and the overdue list.

Bounded queries whatever the size of the network: one read of the people's
summary columns (``last_contact`` is kept current on every write, see touch.py),
one GROUP BY each for revenue, referrals and one-sided favours, one for commitments due,
one for plan entries, plus the signal providers. Scoring is done on columns in
core.outreach; only the picked people get their words written.

A plan is persisted as PlanEntry rows for (user, day), so it stays the same
through the day; skipped or snoozed items are replaced by the next best person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from goodwill.core import outreach
from goodwill.core.cadence import CadencePolicy
from goodwill.core.outreach import Boost, Facts, HeatCell, Pool
from goodwill.db.models import (
    Commitment,
    Deal,
    DealStatus,
    Direction,
    Favour,
    OutreachDay,
    Party,
    Person,
    PlanEntry,
    PlanStatus,
    Role,
    Stage,
    Tier,
)
from goodwill.db.models.network import DATED_INDEX

from . import signals
from .compiled import DayOrdinal, code_of, compiled, instances_of, numbers, of_ids, rows_of
from .context import Actor, scoped
from .errors import BadInput
from .health import cadence_policy
from .interactions import log_interaction
from .parse import parse_positive_int


class MonthDay(Func):
    """``'MM-DD'`` of a date in SQL (Django's __month/__day call a Python function
    per row on SQLite)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="strftime('%%%%m-%%%%d', %(expressions)s)", **extra
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="to_char(%(expressions)s, 'MM-DD')", **extra
        )


def names_of(actor: Actor, ids: list[int]) -> dict[int, str]:
    """Names of the given people (one query, none for no one; the whole workspace
    when many)."""
    if not ids:
        return {}
    if len(ids) > 500:
        return dict(scoped(Person, actor.workspace).values_list("id", "name"))
    # By id alone, the workspace checked here: with the workspace in the WHERE, SQLite
    # (no statistics) scanned the workspace's name index instead (~10 ms at 100k).
    rows = rows_of(
        ("names by id",),
        lambda: of_ids(Person.objects.all(), Person, "id").values("id", "name", "workspace_id"),
        ids,
    )
    return {r["id"]: r["name"] for r in rows if r["workspace_id"] == actor.workspace.pk}


HEAT_WEEKS = 12
STREAK_WINDOW = 400  # days of history the streak looks at


@dataclass
class PersonRef:
    id: int
    name: str


@dataclass
class PlanItem:
    person: PersonRef
    score: float
    reasons: list[str]
    action: str
    status: str = PlanStatus.SUGGESTED


@dataclass
class Plan:
    date: dt.date
    streak: int
    items: list[PlanItem]


@dataclass
class OverdueItem:
    person: PersonRef
    role: str
    tier: str
    days_since: int
    cadence_days: int
    overdue_days: int
    at_risk: bool  # a client or partner going quiet


@dataclass
class Network:
    """The people as columns (core.outreach.Pool), plus what the words need."""

    pool: Pool
    tier: np.ndarray  # index into TIERS (-1: unknown)
    role: np.ndarray  # index into ROLES (-1: unknown)

    def tier_of(self, i: int) -> str:
        return named(TIERS, self.tier[i])

    def role_of(self, i: int) -> str:
        return named(ROLES, self.role[i])


def named(values: list[str], code: Any) -> str:
    """The value a code stands for ("" for -1, another value)."""
    return values[code] if code >= 0 else ""


TIERS = list(Tier.values)
ROLES = list(Role.values)
STAGES = list(Stage.values)
assert len(STAGES) < 15 and len(ROLES) < 31  # they fit the bits load_network packs them in


def _table(values: list[str], weights: dict[str, float], default: float) -> np.ndarray:
    """Weights by code; the last entry (index -1) is the default for another value."""
    return np.array([weights.get(v, default) for v in values] + [default])


def _overdue_before(policy: CadencePolicy, today: dt.date) -> Case:
    """The day a last contact must be before for someone with no cadence of their own
    to be overdue: today minus the workspace's default for their tier and role (a CASE
    on the tier, then the role; the pool's cadence). ``since > cadence`` is
    ``last_contact < today - cadence``: compared as stored, no date arithmetic per row."""

    def before(tier: str, role: str) -> Value:
        return Value(today - dt.timedelta(days=policy.days(tier=tier, role=role)))

    def by_role(tier: str) -> Case:
        return Case(
            *[When(role=r, then=before(tier, r)) for r in ROLES],
            default=before(tier, ""),
            output_field=DateField(),
        )

    return Case(
        *[When(tier=t, then=by_role(t)) for t in TIERS],
        default=by_role(""),
        output_field=DateField(),
    )


def _per_person(sql: str, params: Any) -> tuple[np.ndarray, np.ndarray]:
    """(person ids, values) of a (person id, number) GROUP BY: thousands of rows, read
    as numbers only (no per-row converters; a NULL sum counts as 0)."""
    rows = numbers(sql, params, 2, real=(1,))
    return rows[:, 0].astype(np.int64), rows[:, 1]


def load_network(
    actor: Actor,
    today: dt.date,
    *,
    only_overdue: bool = False,
    person_ids: Sequence[int] | None = None,
) -> Network:
    """Every person of the workspace as numeric columns, computed by the database in
    one query (days since last contact, cadence, weights, flags), plus one GROUP BY
    each for won revenue and referrals. ``only_overdue``: only the people past their
    cadence; ``person_ids``: only these people (every column is per person, so their rows
    are the same)."""
    ws = actor.workspace
    policy = cadence_policy(actor)
    some = person_ids is not None

    def people() -> Any:
        now = today.toordinal()
        qs = (
            scoped(Person, ws)
            .order_by("id")
            .annotate(
                since=Value(now) - Coalesce(DayOrdinal("last_contact"), DayOrdinal("created_on")),
                own_cadence=Coalesce("cadence_days", 0),
                # One integer for the flags and codes (fewer values to hand to Python):
                # bit 0 contacted, then stage + 1 (4 bits), role + 1 (5 bits), tier + 1.
                packed=Case(When(last_contact__isnull=False, then=1), default=0)
                + 2 * (code_of("stage", STAGES) + 1)
                + 32 * (code_of("role", ROLES) + 1)
                + 1024 * (code_of("tier", TIERS) + 1),
            )
            .values_list("id", "since", "own_cadence", "packed")
        )
        if only_overdue:  # the overdue list reads only the people past their cadence
            qs = (
                qs.filter(last_contact__isnull=False)
                .filter(
                    Q(own_cadence__gt=0, since__gt=F("own_cadence"))
                    | Q(own_cadence__lte=0, last_contact__lt=_overdue_before(policy, today))
                )
                .exclude(stage=Stage.LET_GO)
            )
        return of_ids(qs, Person, "id") if some else qs

    # Django's compiled (scoped) SQL read as numbers only, no per-row converters.
    key = ("people", ws.pk, today, repr(policy), only_overdue, some)
    sql, params = compiled(key, people, person_ids)
    m = numbers(sql, params, 4).astype(np.int64)
    m = m[np.argsort(m[:, 0], kind="stable")]  # by id (the query's order; kept for sure)
    n = len(m)
    ids = m[:, 0]  # sorted
    packed = m[:, 3]
    contacted = (packed & 1) > 0
    stage = ((packed >> 1) & 15) - 1
    role = ((packed >> 5) & 31) - 1
    tier = (packed >> 10) - 1

    def add(into: np.ndarray, who: np.ndarray, amount: np.ndarray) -> None:
        at = np.searchsorted(ids, who)
        found = at < n
        found[found] = ids[at[found]] == who[found]
        np.add.at(into, at[found], amount[found])

    revenue = np.zeros(n)

    def won() -> Any:
        deals = scoped(Deal, ws)
        deals = of_ids(deals, Deal, "client_id") if some else deals
        return (
            deals.filter(status=DealStatus.WON)
            .values("client_id")
            .annotate(t=Sum("amount"))
            .values_list("client_id", "t")
        )

    add(revenue, *_per_person(*compiled(("won", ws.pk, some), won, person_ids)))
    # People each person introduced us to, plus the deals they referred (COUNT(*):
    # nothing outside the (workspace, introduced_by) and (workspace, referrer) indexes).
    referrals = np.zeros(n)
    for model, field in ((Person, "introduced_by_id"), (Deal, "referrer_id")):

        def counted(model: Any = model, field: str = field) -> Any:
            rows = scoped(model, ws)
            rows = of_ids(rows, model, field) if some else rows
            return (
                rows.filter(**{f"{field}__isnull": False})
                .values(field)
                .annotate(c=Count("*"))
                .values_list(field, "c")
            )

        per = ("referrals", model.__name__, ws.pk, some)
        add(referrals, *_per_person(*compiled(per, counted, person_ids)))
    # Cadence: the person's own, else the workspace's default for their tier and role.
    default = np.array(
        [[policy.days(tier=t, role=r) for r in [*ROLES, ""]] for t in [*TIERS, ""]],
        dtype=np.float64,
    )
    own = m[:, 2].astype(np.float64)
    pool = Pool(
        ids=ids,
        days_since=m[:, 1].astype(np.float64),
        contacted=contacted,
        cadence=np.where(own > 0, own, default[tier, role]),
        tier_w=_table(TIERS, outreach.TIER_WEIGHT, 0.35)[tier],
        role_w=_table(ROLES, outreach.ROLE_WEIGHT, 0.3)[role],
        stage_w=_table(STAGES, outreach.STAGE_WEIGHT, 0.4)[stage],
        revenue=revenue,
        referrals=referrals,
        at_risk_role=np.isin(role, [ROLES.index(r) for r in outreach.AT_RISK_ROLES]),
        active=stage != STAGES.index(Stage.LET_GO),
    )
    return Network(pool=pool, tier=tier, role=role)


def _next_occurrence(day: dt.date, today: dt.date) -> int:
    """Days from today until the next anniversary of ``day`` (29 Feb → 28 Feb)."""
    for year in (today.year, today.year + 1):
        try:
            when = day.replace(year=year)
        except ValueError:
            when = dt.date(year, 2, 28)
        if when >= today:
            return (when - today).days
    return 366


def _dated_rows(dated: Any) -> list[tuple[int, str, dt.date | None, dt.date | None]]:
    """(id, name, birthday, anniversary) of the people with a date coming up.

    On SQLite the query names the partial index of people with a date: without
    statistics the planner takes any (workspace, …) index and reads every person."""
    qs = dated.values_list("id", "name", "birthday", "anniversary")
    if connection.vendor != "sqlite":
        return list(qs)
    sql, params = qs.query.sql_with_params()
    table = f'FROM "{Person._meta.db_table}"'
    sql = sql.replace(table, f'{table} INDEXED BY "{DATED_INDEX}"', 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    return [(pid, name, day(b), day(a)) for pid, name, b, a in rows]


OWN_KINDS = frozenset(
    {"commitment_due", "their_commitment_due", "birthday", "anniversary", "one_sided"}
)


def own_boosts(
    actor: Actor, today: dt.date, words: bool = True, *, people: list[int] | None = None
) -> list[Boost]:
    """This area's reasons: commitments due, birthdays, one-sided relationships.

    ``words=False`` leaves reason and action empty (ranking needs only the weights;
    thousands of people may have one), ``people`` keeps only theirs."""
    if people is not None and not people:
        return []
    boosts: list[Boost] = []
    ws = actor.workspace
    soon = today + dt.timedelta(days=2)
    due_now = scoped(Commitment, ws).filter(kept_on__isnull=True, broken=False, due_date__lte=soon)
    if people is not None:
        due_now = due_now.filter(person_id__in=people)
    commitment_fields = ("person_id", "by", "due_date", "person__name", "description")
    for pid, by, due, *named in due_now.order_by("due_date", "id").values_list(
        *commitment_fields if words else commitment_fields[:3]
    ):
        if due is None:
            continue
        late = (today - due).days
        mine = by == Party.ME
        kind = "commitment_due" if mine else "their_commitment_due"
        weight = (0.9 if late > 0 else 0.7) if mine else 0.3
        reason = action = ""
        if named:
            first, text = outreach.first_name(named[0]), named[1]
            when = f"{late} days late" if late > 0 else "due today" if late == 0 else f"due {due}"
            if mine:
                reason = f"you promised “{text}” ({when})"
                action = f"Keep your promise to {first}: {text}."
            else:
                reason = f"{first} promised “{text}” ({when})"
                action = f"Check in with {first} on “{text}” and offer help if it is stuck."
        boosts.append(Boost(pid, kind, weight, reason, action))
    soon_days = {(today + dt.timedelta(days=d)).strftime("%m-%d") for d in range(3)}
    if "02-28" in soon_days:
        soon_days.add("02-29")  # celebrated on the 28th in common years
    dated = (
        scoped(Person, ws)
        .exclude(stage=Stage.LET_GO)
        .filter(Q(birthday__isnull=False) | Q(anniversary__isnull=False))  # a partial index
        .annotate(bday=MonthDay("birthday"), aday=MonthDay("anniversary"))
        .filter(Q(bday__in=soon_days) | Q(aday__in=soon_days))
    )
    if people is not None:
        dated = dated.filter(pk__in=people)
    for pid, person_name, birthday, anniversary in _dated_rows(dated):
        for day, what in ((birthday, "birthday"), (anniversary, "anniversary")):
            if day is None:
                continue
            ahead = _next_occurrence(day, today)
            if ahead <= 2:
                first = outreach.first_name(person_name)
                on = "today" if ahead == 0 else f"in {ahead} days"
                boosts.append(
                    Boost(
                        pid,
                        what,
                        0.8 if ahead == 0 else 0.5,
                        f"{what} {on}",
                        f"Send {first} a personal {what} note.",
                    )
                )
    favours = scoped(Favour, ws)
    if people is not None:
        favours = favours.filter(person_id__in=people)
    one_sided: list[tuple[int, int, int]] = list(
        favours.values("person_id")
        .annotate(
            g=Count("id", filter=Q(direction=Direction.GAVE)),
            r=Count("id", filter=Q(direction=Direction.RECEIVED)),
        )
        .filter(r__gte=F("g") + 2)
        .values_list("person_id", "g", "r")
    )
    names = names_of(actor, [pid for pid, _, _ in one_sided]) if words else {}
    for pid, given, received in one_sided:
        reason = action = ""
        if words:
            first = outreach.first_name(names.get(pid, ""))
            reason = f"one-sided: {first} did you {received} favours, you did {given}"
            action = f"Give back to {first}: offer an introduction or help with what they need."
        boosts.append(Boost(pid, "one_sided", 0.4, reason, action))
    return boosts


def _facts(net: Network, index: int, detail: Person | None) -> Facts:
    pool = net.pool
    return Facts(
        name=detail.name if detail else "",
        role=net.role_of(index),
        tier=net.tier_of(index),
        organization=detail.organization.name if detail and detail.organization else "",
        needs=detail.needs if detail else "",
        personal=detail.personal if detail else "",
        days_since=int(pool.days_since[index]),
        contacted=bool(pool.contacted[index]),
        cadence=int(pool.cadence[index]),
        revenue=float(pool.revenue[index]),
        referrals=int(pool.referrals[index]),
    )


def _item(entry: PlanEntry) -> PlanItem:
    return PlanItem(
        person=PersonRef(entry.person_id, entry.person.name),
        score=entry.score,
        reasons=list(entry.reasons),
        action=entry.action,
        status=entry.status,
    )


@contextmanager
def _beside(fn: Any, *args: Any) -> Iterator[Any]:
    """Run ``fn(*args)`` in a thread of its own (with its own database connection)
    while the block runs; yields a function that returns its result. The database
    reads the network's rows without Python's lock (one value, see :func:`compiled.numbers`),
    so the plan's other queries and Python work go on meanwhile. Inside a transaction
    the call runs first, on this connection: another one could not see what the
    transaction wrote."""
    if connection.in_atomic_block:
        value = fn(*args)
        yield lambda: value
        return

    def run() -> Any:
        try:
            return fn(*args)
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=1) as pool:  # waits for the thread on exit
        yield pool.submit(run).result


def build_plan(*, actor: Actor, today: dt.date, count: int = 1, persist: bool = True) -> Plan:
    """The ``count`` people to reach out to on ``today``, with reasons and an action.

    Items already in today's plan (suggested or done) stay; skipped or snoozed
    ones are replaced. With ``persist`` (and write access) new items are saved
    so the plan is stable through the day."""
    if not isinstance(count, int) or count < 1:
        raise BadInput(f"bad count {count!r}: must be a positive whole number", field="count")
    persist = persist and actor.can_write
    ws = actor.workspace
    user = actor.user
    recent: list[PlanEntry] = instances_of(  # every dashboard view asks: compiled once
        ("recent plan entries", ws.pk, user.pk, today),
        lambda: (
            scoped(PlanEntry, ws)
            .filter(user=user)
            .filter(
                Q(date__gt=today - dt.timedelta(days=outreach.SKIP_DAYS), date__lte=today)
                | Q(status=PlanStatus.SNOOZED, snooze_until__gt=today)
            )
            .select_related("person")
            .order_by("id")
        ),
    )
    todays = [e for e in recent if e.date == today]
    kept = [e for e in todays if e.status in (PlanStatus.SUGGESTED, PlanStatus.DONE)]
    items = [_item(e) for e in kept[:count]]
    need = count - len(items)
    if need > 0:
        blocked = {e.person_id for e in todays}
        blocked |= {
            e.person_id
            for e in recent
            if e.status == PlanStatus.SKIPPED
            or (e.status == PlanStatus.SNOOZED and e.snooze_until and e.snooze_until > today)
        }
        yesterday = {e.person_id for e in recent if e.date == today - dt.timedelta(days=1)}
        with (
            _beside(load_network, actor, today) as network,
            _beside(own_boosts, actor, today, False) as own,
        ):
            boosts = [
                Boost(s.person_id, s.kind, s.weight, s.reason, s.action)
                for s in signals.collect(actor=actor, today=today)
            ]
        boosts += own()
        net = network()
        picks = outreach.rank(net.pool, boosts, count=need, blocked=blocked, yesterday=yesterday)
        details = (
            scoped(Person, ws).select_related("organization").in_bulk([p.person_id for p in picks])
        )
        worded: dict[int, list[Boost]] = {}
        for b in own_boosts(actor, today, people=[p.person_id for p in picks]):
            worded.setdefault(b.person_id, []).append(b)
        new: list[PlanItem] = []
        for pick in picks:
            facts = _facts(net, pick.index, details.get(pick.person_id))
            why = [b for b in pick.boosts if b.kind not in OWN_KINDS]
            why += worded.get(pick.person_id, [])
            why.sort(key=lambda b: (-b.weight, b.kind))
            reasons, action = outreach.explain(facts, why)
            new.append(PlanItem(PersonRef(pick.person_id, facts.name), pick.score, reasons, action))
        if persist and new:
            _save(actor, today, new)
        items += new
    return Plan(date=today, streak=streak(actor=actor, today=today), items=items)


def _save(actor: Actor, today: dt.date, items: list[PlanItem]) -> None:
    try:
        with transaction.atomic():
            PlanEntry.objects.bulk_create(
                [
                    PlanEntry(
                        workspace=actor.workspace,
                        user=actor.user,
                        person_id=i.person.id,
                        date=today,
                        score=i.score,
                        reasons=i.reasons,
                        action=i.action,
                    )
                    for i in items
                ]
            )
    except IntegrityError:
        pass  # a concurrent request saved the same day's plan first; it wins


def _mark(actor: Actor, person: Person, today: dt.date, **values: Any) -> None:
    entry, created = scoped(PlanEntry, actor.workspace).get_or_create(
        workspace=actor.workspace,
        user=actor.user,
        person=person,
        date=today,
        defaults=values,
    )
    if not created:
        for key, value in values.items():
            setattr(entry, key, value)
        entry.save(update_fields=list(values))


@transaction.atomic
def done(
    *, actor: Actor, person: Person, today: dt.date, kind: str = "other", note: str = ""
) -> None:
    """I reached out: log the interaction (initiated by me) and mark the plan item done."""
    actor.require_write()
    log_interaction(actor=actor, person=person, kind=kind or "other", today=today, note=note)
    _mark(actor, person, today, status=PlanStatus.DONE, snooze_until=None)


@transaction.atomic
def skip(*, actor: Actor, person: Person, today: dt.date) -> None:
    """Not today: ``person`` drops out of the plan for a few days."""
    actor.require_write()
    _mark(actor, person, today, status=PlanStatus.SKIPPED, snooze_until=None)


@transaction.atomic
def snooze(*, actor: Actor, person: Person, today: dt.date, days: int | str) -> dt.date:
    """Keep ``person`` out of the plan until today + ``days``; returns that date."""
    actor.require_write()
    n = parse_positive_int(days, field="days")
    if n > 3650:
        raise BadInput(f"bad days {days!r}: at most 3650", field="days")
    until = today + dt.timedelta(days=n)
    _mark(actor, person, today, status=PlanStatus.SNOOZED, snooze_until=until)
    return until


def outreach_counts(*, actor: Actor, today: dt.date, days: int) -> dict[dt.date, int]:
    """Outreach per day beyond regular work: interactions I initiated that are not
    pitches (mine, or unattributed), and plan items done (two queries). The first
    reads the per-day counts triggers keep (db.models.matches.OutreachDay): a few
    rows a day, not every interaction."""
    start = today - dt.timedelta(days=days - 1)
    ws, user = actor.workspace, actor.user
    key = (ws.pk, user.pk, start, today)  # the dashboard asks at every view: compiled once
    counts: dict[dt.date, int] = {}
    for row in rows_of(
        ("outreach days", *key),
        lambda: (
            scoped(OutreachDay, ws)
            .filter(date__gte=start, date__lte=today, member_id__in=[user.pk, 0])
            .values("date")
            .annotate(n=Sum("n"))
            .values("date", "n")
        ),
    ):
        if row["n"]:
            counts[row["date"]] = row["n"]
    for row in rows_of(
        ("plan done per day", *key),
        lambda: (
            scoped(PlanEntry, ws)
            .filter(user=user, status=PlanStatus.DONE, date__gte=start, date__lte=today)
            .values("date")
            .annotate(n=Count("id"))
            .values("date", "n")
        ),
    ):
        counts[row["date"]] = max(counts.get(row["date"], 0), row["n"])
    return counts


_WALK = """
WITH RECURSIVE walk(day, n) AS (
    SELECT {start}, 0
    UNION ALL
    SELECT {step}, n + 1 FROM walk
    WHERE n < %s AND (
        EXISTS (SELECT 1 FROM goodwill_interaction i
                WHERE i.workspace_id = %s AND i.initiated_by = %s AND i.is_pitch = %s
                AND i.date = walk.day AND (i.member_id = %s OR i.member_id IS NULL))
        OR EXISTS (SELECT 1 FROM goodwill_planentry e
                   WHERE e.workspace_id = %s AND e.user_id = %s AND e.status = %s
                   AND e.date = walk.day))
)
SELECT max(n) FROM walk
"""


def streak(*, actor: Actor, today: dt.date) -> int:
    """Consecutive days of outreach (see :func:`outreach_counts`) ending today, or
    yesterday while today is still open (core.outreach.streak).

    The database walks back a day at a time while the day had outreach, one index
    probe per day: the cost follows the streak's length, not the history's."""
    sqlite = connection.vendor == "sqlite"
    sql = _WALK.format(
        start="%s" if sqlite else "CAST(%s AS date)",
        step="date(day, '-1 day')" if sqlite else "CAST(day - 1 AS date)",
    )
    user = actor.user.pk
    ws = actor.workspace.pk
    for day in (today, today - dt.timedelta(days=1)):
        params: list[Any] = [
            day.isoformat(),
            STREAK_WINDOW,
            ws,
            str(Party.ME),
            False,  # not a pitch (an equality, so the index is used)
            user,
            ws,
            user,
            str(PlanStatus.DONE),
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            n = int(cursor.fetchone()[0] or 0)
        if n:
            return n
    return 0


def heatmap(*, actor: Actor, today: dt.date) -> list[list[HeatCell]]:
    """Twelve weeks of outreach per day, as columns of a calendar heat map."""
    counts = outreach_counts(actor=actor, today=today, days=7 * HEAT_WEEKS + 7)
    return outreach.heatmap(counts, today, HEAT_WEEKS)


def overdue(*, actor: Actor, today: dt.date, limit: int | None = None) -> list[OverdueItem]:
    """Relationships past their cadence: clients and partners first, then by how
    much they matter times how late they are."""
    return overdue_page(actor=actor, today=today, limit=limit)[0]


def overdue_page(
    *, actor: Actor, today: dt.date, limit: int | None = None
) -> tuple[list[OverdueItem], int]:
    """The first ``limit`` overdue relationships (all when None) and how many there are:
    only the shown ones get their names read. The list comes from services/overdue.py
    (kept in memory by a server, brought up to date from the change log)."""
    from . import overdue

    rows = overdue.current(actor, today)
    total = len(rows)
    order = rows.order(limit)
    shown = [int(rows.ids[i]) for i in order]
    name = names_of(actor, shown)
    return [
        OverdueItem(
            person=PersonRef(pid, name.get(pid, "")),
            role=named(ROLES, rows.role[i]),
            tier=named(TIERS, rows.tier[i]),
            days_since=int(rows.days_since[i]),
            cadence_days=int(rows.cadence[i]),
            overdue_days=int(rows.days_since[i]) - int(rows.cadence[i]),
            at_risk=bool(rows.at_risk[i]),
        )
        for pid, i in zip(shown, order.tolist(), strict=True)
    ], total
