"""Merge two records of the same person, keeping everything of both."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from goodwill.db.models import (
    Channel,
    Commitment,
    Deal,
    EventMet,
    EventTarget,
    Favour,
    Interaction,
    Introduction,
    Person,
    PersonTag,
    PlanEntry,
    StageChange,
)

from .context import Actor, scoped
from .errors import BadInput
from .people import TEXT_FIELDS, resolve_person
from .touch import recompute

# (model, field) pairs that point at a person and simply move to the kept record.
_MOVABLE: list[tuple[Any, str]] = [
    (Interaction, "person"),
    (Commitment, "person"),
    (Favour, "person"),
    (Deal, "client"),
    (Deal, "referrer"),
    (StageChange, "person"),
    (Introduction, "a"),
    (Introduction, "b"),
    (Person, "introduced_by"),
]
# Unique-together rows: move those the kept record lacks, drop the rest.
_UNIQUE: list[tuple[Any, tuple[str, ...]]] = [
    (EventTarget, ("event_id",)),
    (EventMet, ("event_id",)),
    (PersonTag, ("tag_id",)),
    (PlanEntry, ("user_id", "date")),
]


@transaction.atomic
def merge_people(*, actor: Actor, keep: Person, drop: Person) -> Person:
    """Move every interaction, favour, deal, introduction, event, tag, channel and
    stage change of ``drop`` onto ``keep``, fill ``keep``'s blank fields from
    ``drop``, then delete ``drop``."""
    actor.require_write()
    if keep.pk == drop.pk:
        raise BadInput("cannot merge a person with themself")
    ws = actor.workspace
    for model, name in _MOVABLE:
        scoped(model, ws).filter(**{name: drop}).update(**{name: keep})
    for model, key in _UNIQUE:
        taken = set(scoped(model, ws).filter(person=keep).values_list(*key))
        theirs = scoped(model, ws).filter(person=drop).values_list("id", *key)
        movable = [row[0] for row in theirs if tuple(row[1:]) not in taken]
        scoped(model, ws).filter(pk__in=movable).update(person=keep)
    known = set(scoped(Channel, ws).filter(person=keep).values_list("kind", "normalized"))
    movable = [
        pk
        for pk, kind, norm in scoped(Channel, ws)
        .filter(person=drop)
        .values_list("id", "kind", "normalized")
        if (kind, norm) not in known
    ]
    scoped(Channel, ws).filter(pk__in=movable).update(person=keep)
    for name in [*TEXT_FIELDS, "email", "birthday", "anniversary", "cadence_days"]:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    for name in ("notes", "needs", "offers"):
        mine, theirs = getattr(keep, name), getattr(drop, name)
        if mine and theirs and theirs not in mine:
            setattr(keep, name, f"{mine}\n{theirs}")
    keep.organization = keep.organization or drop.organization
    keep.introduced_by = keep.introduced_by or drop.introduced_by
    if keep.introduced_by_id == keep.pk:
        keep.introduced_by = None
    keep.created_on = min(keep.created_on, drop.created_on)
    keep.save()
    drop.delete()
    recompute(keep)
    return keep


def merge_by_ref(*, actor: Actor, keep: str | int, drop: str | int) -> tuple[Person, int]:
    """Merge the person ``drop`` (id, email or name) into ``keep``; (kept person, dropped id)."""
    kept = resolve_person(actor=actor, ref=keep)
    dropped = resolve_person(actor=actor, ref=drop)
    dropped_id = dropped.pk
    return merge_people(actor=actor, keep=kept, drop=dropped), dropped_id
