"""Health scores for many people at once: three GROUP BY queries, then core.health.

The number of queries is fixed whatever the number of people: interactions,
favours and commitments are each aggregated per person in one query (filtered
by the given ids), sent together (one round trip on PostgreSQL); a page may send
them with its other reads (health_queries, then inputs_from).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, F, Q

from goodwill.core.cadence import ROLE_FACTOR, TIER_DAYS, CadencePolicy, policy_from_settings
from goodwill.core.health import HELP_KINDS, Health, HealthInput, score
from goodwill.db.models import (
    Commitment,
    Direction,
    Favour,
    Interaction,
    Party,
    Person,
    Workspace,
)

from .compiled import Query, compiled, of_ids, rows_of_all
from .context import Actor, scoped
from .errors import BadInput

# People per health_inputs call for callers that score thousands (review, intros):
# their rows are read in slices of this many, so memory stays bounded.
MAX_IN = 500


def cadence_policy(actor: Actor) -> CadencePolicy:
    """The workspace's cadence defaults (see core.cadence)."""
    raw = (actor.workspace.settings or {}).get("cadence")
    return policy_from_settings(raw if isinstance(raw, dict) else None)


def health_queries(*, actor: Actor, ids: Sequence[int], today: dt.date) -> list[Query]:
    """The three queries core.health needs for the people ``ids`` (interactions,
    favours, commitments: each compiled once per workspace and day), for
    :func:`inputs_from`; a page runs them with its other reads (rows_of_all)."""
    ws = actor.workspace
    year_ago = today - dt.timedelta(days=365)
    half = today - dt.timedelta(days=180)

    def interactions() -> Any:
        return (
            of_ids(scoped(Interaction, ws), Interaction, "person_id")
            .filter(date__gt=year_ago, date__lte=today)
            .values("person_id")
            .annotate(
                n=Count("id"),
                me=Count("id", filter=Q(initiated_by=Party.ME)),
                them=Count("id", filter=Q(initiated_by=Party.THEM)),
                kinds=Count("kind", distinct=True),
                helping=Count("id", filter=Q(kind__in=HELP_KINDS, is_pitch=False)),
                pitches=Count("id", filter=Q(is_pitch=True)),
                quality=Avg("quality"),
                recent=Count("id", filter=Q(date__gt=half)),
            )
        )

    def favours() -> Any:
        return (
            of_ids(scoped(Favour, ws), Favour, "person_id")
            .values("person_id")
            .annotate(
                given=Count("id", filter=Q(direction=Direction.GAVE)),
                received=Count("id", filter=Q(direction=Direction.RECEIVED)),
                year=Count("id", filter=Q(date__gt=year_ago, date__lte=today)),
                recent=Count("id", filter=Q(date__gt=half, date__lte=today)),
            )
        )

    def commitments() -> Any:
        return (
            of_ids(scoped(Commitment, ws), Commitment, "person_id")
            .values("person_id")
            .annotate(
                on_time=Count(
                    "id",
                    filter=Q(kept_on__isnull=False)
                    & (Q(due_date__isnull=True) | Q(kept_on__lte=F("due_date"))),
                ),
                late=Count("id", filter=Q(kept_on__isnull=False, kept_on__gt=F("due_date"))),
                broken=Count(
                    "id",
                    filter=Q(broken=True)
                    | Q(kept_on__isnull=True, due_date__lt=today, broken=False),
                ),
            )
        )

    # Counts and a mean: read as they come, without the ORM's converters.
    return [
        Query(*compiled(("health", name, ws.pk, today), build, ids), converters=[])
        for name, build in (
            ("interactions", interactions),
            ("favours", favours),
            ("commitments", commitments),
        )
    ]


def inputs_from(
    *, actor: Actor, people: Sequence[Person], found: Sequence[list[dict[str, Any]]]
) -> dict[int, HealthInput]:
    """What core.health needs for each person, from the rows of :func:`health_queries`."""
    policy = cadence_policy(actor)
    inter, fav, com = ({int(row["person_id"]): row for row in rows} for rows in found)
    result: dict[int, HealthInput] = {}
    for p in people:
        i = inter.get(p.pk, {})
        f = fav.get(p.pk, {})
        c = com.get(p.pk, {})
        n = int(i.get("n", 0))
        recent = int(i.get("recent", 0)) + int(f.get("recent", 0))
        touches = n + int(f.get("year", 0))
        quality = i.get("quality")
        result[p.pk] = HealthInput(
            last_contact=p.last_contact,
            cadence=policy.days(tier=p.tier, role=p.role, override=p.cadence_days),
            known_since=p.created_on,
            touches=touches,
            by_me=int(i.get("me", 0)),
            by_them=int(i.get("them", 0)),
            favours_given=int(f.get("given", 0)),
            favours_received=int(f.get("received", 0)),
            kinds=int(i.get("kinds", 0)),
            interactions=n,
            helping=int(i.get("helping", 0)),
            pitches=int(i.get("pitches", 0)),
            quality_mean=float(quality) if quality is not None else None,
            kept_on_time=int(c.get("on_time", 0)),
            kept_late=int(c.get("late", 0)),
            broken=int(c.get("broken", 0)),
            recent=recent,
            previous=touches - recent,
        )
    return result


def health_inputs(
    *, actor: Actor, people: Sequence[Person], today: dt.date
) -> dict[int, HealthInput]:
    """What core.health needs for each person, in three queries (one round trip on
    PostgreSQL)."""
    queries = health_queries(actor=actor, ids=[p.pk for p in people], today=today)
    return inputs_from(actor=actor, people=people, found=rows_of_all(queries))


def health_for(*, actor: Actor, people: Sequence[Person], today: dt.date) -> dict[int, Health]:
    """Health of each person in ``people`` (three queries whatever their number)."""
    inputs = health_inputs(actor=actor, people=people, today=today)
    return {pid: score(inp, today) for pid, inp in inputs.items()}


@transaction.atomic
def set_cadence(*, actor: Actor, assignments: Sequence[str], reset: bool = False) -> CadencePolicy:
    """Change the workspace's cadence defaults: ``tier=DAYS`` or ``role=FACTOR``."""
    actor.require_owner()
    current: dict[str, float] = {} if reset else dict(cadence_policy(actor).as_settings())
    for text in assignments:
        key, sep, raw = text.partition("=")
        key = key.strip().lower()
        if not sep or (key not in TIER_DAYS and key not in ROLE_FACTOR):
            raise BadInput(
                f"bad cadence setting {text!r}: use tier=DAYS ({', '.join(TIER_DAYS)}) "
                f"or role=FACTOR ({', '.join(ROLE_FACTOR)})",
                field="cadence",
            )
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if key in TIER_DAYS:
            if value != int(value) or not 1 <= value <= 3650:
                raise BadInput(
                    f"bad days {raw!r} for {key}: a whole number 1–3650", field="cadence"
                )
            current[key] = int(value)
        else:
            if not 0.05 <= value <= 20:
                raise BadInput(
                    f"bad factor {raw!r} for {key}: between 0.05 and 20", field="cadence"
                )
            current[key] = value
    ws = Workspace.objects.select_for_update().get(pk=actor.workspace.pk)
    ws.settings = {**(ws.settings or {}), "cadence": current}
    ws.save(update_fields=["settings"])
    actor.workspace.settings = ws.settings
    return cadence_policy(actor)
