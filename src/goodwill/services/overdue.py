"""The overdue list, kept in memory between requests and brought up to date from
the change log instead of being recomputed.

Computing who is past their cadence reads every person (about 0.1 s at 100,000
people). The dashboard shows that list's first few rows on every visit, so each
server process keeps the whole list (as columns) per workspace and day, with a
mark in the change log (db.models.matches.PersonChange, written by triggers in
the same transaction as any change that can move someone in or out of the list
or change their weight). A request reads the log past its mark:

- nothing new: the list stands (one indexed query);
- a few people (at most PATCH_LIMIT): only their rows are computed again (the
  same query as the whole list, for those ids) and replace theirs;
- more, another day, or another cadence policy: the whole list is computed.

The mark is the last log id read on SQLite (one writer at a time: ids commit in
order). On PostgreSQL, ids can commit out of order, so each row carries its
transaction id and the mark is the oldest transaction still open when the log was
read (``pg_snapshot_xmin``): rows of transactions that might still commit are
read again next time, and applying a person twice gives the same rows.

Inside a transaction (``atomic``) the list is computed and the memory left alone:
the transaction may see its own writes, which could still be rolled back.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
from django.db import connection

from goodwill.core import outreach

from .context import Actor

PATCH_LIMIT = 2000  # more changed people than this: compute the whole list again
KEPT = 32  # lists kept per process (workspace × day × cadence policy)


@dataclass(frozen=True)
class Overdue:
    """The people past their cadence, as columns (element i is one person)."""

    ids: np.ndarray
    weight: np.ndarray  # how much it matters: importance × lateness
    at_risk: np.ndarray  # a client or partner
    days_since: np.ndarray
    cadence: np.ndarray
    tier: np.ndarray  # index into plan.TIERS (-1: unknown)
    role: np.ndarray  # index into plan.ROLES (-1: unknown)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def order(self, first: int | None = None) -> np.ndarray:
        """Positions in the list's order, or its first ``first`` (core.outreach.overdue_order)."""
        return outreach.overdue_order(self.ids, self.weight, self.at_risk, first)

    def without(self, ids: Sequence[int]) -> Overdue:
        keep = ~np.isin(self.ids, np.asarray(ids, dtype=np.int64))
        return Overdue(*(column[keep] for column in self._columns()))

    def plus(self, other: Overdue) -> Overdue:
        return Overdue(
            *(
                np.concatenate((a, b))
                for a, b in zip(self._columns(), other._columns(), strict=True)
            )
        )

    def _columns(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))


def compute(actor: Actor, today: dt.date, ids: Sequence[int] | None = None) -> Overdue:
    """The list computed from the database (only the rows of ``ids`` when given)."""
    from .plan import load_network

    net = load_network(actor, today, only_overdue=True, person_ids=ids)
    pool = net.pool
    rows, weight = outreach.overdue_weight(pool)
    return Overdue(
        ids=pool.ids[rows],
        weight=weight,
        at_risk=pool.at_risk_role[rows],
        days_since=pool.days_since[rows],
        cadence=pool.cadence[rows],
        tier=net.tier[rows],
        role=net.role[rows],
    )


@dataclass(frozen=True)
class _Kept:
    mark: int
    rows: Overdue


_kept: OrderedDict[tuple[object, ...], _Kept] = OrderedDict()
_lock = threading.Lock()


def forget() -> None:
    """Drop every kept list (tests; a process that changed the schema)."""
    with _lock:
        _kept.clear()


def current(actor: Actor, today: dt.date) -> Overdue:
    """The overdue list of the actor's workspace on ``today``, from memory brought up
    to date, or computed (see the module docstring)."""
    if connection.in_atomic_block:
        return compute(actor, today)
    ws = actor.workspace
    policy = json.dumps((ws.settings or {}).get("cadence"), sort_keys=True, default=str)
    key = (connection.vendor, connection.settings_dict["NAME"], ws.pk, today, policy)
    with _lock:
        kept = _kept.get(key)
    fresh: _Kept | None = None
    if kept is not None:
        mark, changed = _changes(ws.pk, kept.mark)
        if changed is None:
            fresh = None
        elif changed:
            patch = compute(actor, today, ids=changed)
            fresh = _Kept(mark, kept.rows.without(changed).plus(patch))
        else:
            fresh = kept if mark == kept.mark else _Kept(mark, kept.rows)
    if fresh is None:
        mark = _start_mark(ws.pk)
        fresh = _Kept(mark, compute(actor, today))
    with _lock:
        _kept[key] = fresh
        _kept.move_to_end(key)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return fresh.rows


def _start_mark(workspace_id: int) -> int:
    """The mark to take before computing the whole list: every change after it is
    read (again) on the next request."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        else:
            cursor.execute(
                "SELECT coalesce(max(id), 0) FROM goodwill_personchange WHERE workspace_id = %s",
                [workspace_id],
            )
        return int(cursor.fetchone()[0])


def _changes(workspace_id: int, mark: int) -> tuple[int, list[int] | None]:
    """(the new mark, the people changed since ``mark``); None for too many."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement, one snapshot: its oldest open transaction is the new mark.
            cursor.execute(
                "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
                "ARRAY(SELECT person_id FROM goodwill_personchange "
                "WHERE workspace_id = %s AND xid >= %s::text::xid8 LIMIT %s)",
                [workspace_id, str(mark), PATCH_LIMIT + 1],
            )
            new_mark, found_ids = cursor.fetchone()
            rows = [(pid,) for pid in found_ids]
        else:
            cursor.execute(
                "SELECT id, person_id FROM goodwill_personchange "
                "WHERE workspace_id = %s AND id > %s ORDER BY id LIMIT %s",
                [workspace_id, mark, PATCH_LIMIT + 1],
            )
            found = cursor.fetchall()
            new_mark = int(found[-1][0]) if found else mark
            rows = [(pid,) for _, pid in found]
    if len(rows) > PATCH_LIMIT:
        return mark, None
    return new_mark, sorted({int(r[0]) for r in rows})
