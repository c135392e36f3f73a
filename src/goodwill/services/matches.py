"""The workspace's stored need → offer matches, rebuilt when stale.

For every person with needs (not let go) the table NeedMatch keeps their
:data:`STORED_PER_PERSON` best matches scoring at least :data:`STORED_MIN_SCORE`,
as :meth:`goodwill.core.matching.Matcher.match_all` finds them over the whole
network (formulas in core/matching.py). Reading them is one indexed query, so the
daily plan and the introductions pages never fit the matcher per request.

Staleness is decided by the database (see db/models/matches.py): triggers bump
``MatchIndex.version`` whenever a change can alter a match, and :func:`ensure`
rebuilds when the stored ``built_version`` lags or the matcher itself changed
(:func:`goodwill.core.matching.fingerprint`). A rebuild reads the people as tuples,
runs the matcher once and replaces the rows in one transaction; it records the
version it read, so a change made while it runs leaves the index stale.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from goodwill.core import matching
from goodwill.db.models import MatchIndex, NeedMatch, Person, Stage

from .context import Actor, scoped

STORED_PER_PERSON = 5
STORED_MIN_SCORE = 0.3
BATCH = 5000
FIELDS = ("need_person_id", "offer_person_id", "score", "need", "offer", "shared_terms", "links")


def ensure(actor: Actor) -> MatchIndex:
    """The workspace's match index, rebuilt first if it is stale."""
    index = _index(actor)
    if index.built_version == index.version and index.built_with == matching.fingerprint():
        return index
    return rebuild(actor, index)


def rebuild(actor: Actor, index: MatchIndex | None = None) -> MatchIndex:
    """Match the whole network again and replace the stored matches."""
    ws = actor.workspace
    if index is None:
        index = _index(actor)
    started = time.perf_counter()
    version = index.version
    profiles = [
        matching.Profile(pid, needs=needs, offers=offers)
        for pid, needs, offers in scoped(Person, ws)
        .exclude(stage=Stage.LET_GO)
        .filter(~Q(needs="") | ~Q(offers=""))
        .order_by("id")
        .values_list("id", "needs", "offers")
        .iterator(chunk_size=5000)
    ]
    found = matching.Matcher(profiles).match_all(
        per_person=STORED_PER_PERSON, min_score=STORED_MIN_SCORE
    )
    # Plain rows on a cursor: building 100k+ model instances would cost more than matching.
    json_param = "%s" if connection.vendor == "sqlite" else "CAST(%s AS jsonb)"
    insert = (
        f"INSERT INTO {NeedMatch._meta.db_table} (workspace_id, need_person_id, offer_person_id,"
        f" score, need, offer, shared_terms, links) VALUES (%s, %s, %s, %s, %s, %s,"
        f" {json_param}, {json_param})"
    )
    texts: dict[tuple[Any, ...], tuple[str, str]] = {}  # explanations repeat: encode once
    rows = []
    for m in found:
        explained = (m.shared_terms, m.links)
        if explained not in texts:
            texts[explained] = (
                json.dumps(list(m.shared_terms)),
                json.dumps([list(x) for x in m.links]),
            )
        rows.append((ws.pk, m.need_id, m.offer_id, m.score, m.need, m.offer, *texts[explained]))
    with transaction.atomic():
        scoped(NeedMatch, ws).delete()
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(insert, rows[start : start + BATCH])
        built = {
            "built_version": version,
            "built_with": matching.fingerprint(),
            "built_at": timezone.now(),
            "people": len(profiles),
            "seconds": round(time.perf_counter() - started, 3),
        }
        # Only if nothing changed meanwhile: otherwise the index stays stale.
        if MatchIndex.objects.filter(pk=index.pk, version=version).update(**built):
            for key, value in built.items():
                setattr(index, key, value)
    return index


def _index(actor: Actor) -> MatchIndex:
    index = MatchIndex.objects.filter(workspace=actor.workspace).first()
    if index is None:
        index, _ = MatchIndex.objects.get_or_create(workspace=actor.workspace)
    return index


def _match(row: tuple[Any, ...]) -> matching.Match:
    need_id, offer_id, score, need, offer, shared, links = row
    return matching.Match(
        need_id=need_id,
        offer_id=offer_id,
        score=score,
        need=need,
        offer=offer,
        shared_terms=tuple(shared),
        links=tuple(tuple(link) for link in links),
    )


def _best(qs: Any, per_person: int) -> Iterator[matching.Match]:
    """The matches of ``qs`` best score first (ties by people), at most ``per_person`` per
    needing person, without their shared terms and links; read as they are consumed."""
    rows = (
        qs.order_by("-score", "need_person_id", "offer_person_id")
        .values_list(*FIELDS[:5])
        .iterator(chunk_size=2000)
    )
    taken: dict[int, int] = {}
    for need_id, offer_id, score, need, offer in rows:
        if taken.get(need_id, 0) < per_person:
            taken[need_id] = taken.get(need_id, 0) + 1
            yield matching.Match(need_id, offer_id, score, need, offer, shared_terms=())


def best_first(actor: Actor, *, per_person: int = STORED_PER_PERSON) -> Iterator[matching.Match]:
    """Every current match, best score first, at most ``per_person`` per needing person,
    read as it is consumed (a caller that stops early reads little). Without their
    shared terms and links: :func:`explained` adds them to the few that are kept."""
    ensure(actor)
    yield from _best(scoped(NeedMatch, actor.workspace), per_person)


def explained(actor: Actor, found: list[matching.Match]) -> list[matching.Match]:
    """The same matches with their stored shared terms and links (one query)."""
    # A stored match always has shared terms: only those read without them are looked up.
    wanted = {(m.need_id, m.offer_id) for m in found if not m.shared_terms}
    if not wanted:
        return list(found)
    rows = (
        scoped(NeedMatch, actor.workspace)
        .filter(
            need_person_id__in=sorted({a for a, _ in wanted}),
            offer_person_id__in=sorted({b for _, b in wanted}),
        )
        .values_list(*FIELDS)
    )
    full = {(r[0], r[1]): _match(r) for r in rows if (r[0], r[1]) in wanted}
    return [full.get((m.need_id, m.offer_id), m) for m in found]


def stored(
    actor: Actor,
    *,
    need_ids: Iterable[int] | None = None,
    person_id: int | None = None,
    per_person: int = STORED_PER_PERSON,
    explain: bool = True,
) -> list[matching.Match]:
    """Current matches (rebuilt first if stale), best first, at most ``per_person`` per
    needing person: of ``need_ids`` only, of ``person_id``'s needs and offers only, or all.
    ``explain=False``: without shared terms and links (:func:`explained` adds them)."""
    ensure(actor)
    qs = scoped(NeedMatch, actor.workspace)
    if need_ids is not None:
        qs = qs.filter(need_person_id__in=list(need_ids))
    if person_id is not None:
        qs = qs.filter(Q(need_person_id=person_id) | Q(offer_person_id=person_id))
    kept = list(_best(qs, per_person))
    return explained(actor, kept) if explain else kept  # the shared terms of the kept only
