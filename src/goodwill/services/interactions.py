"""Log interactions. (Commitments live in services/commitments.py.)"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from goodwill.db.models import Interaction, InteractionKind, Party, Person

from .commitments import add_commitment, keep_commitment
from .context import Actor, scoped
from .errors import BadInput, NotFound
from .parse import parse_choice, parse_date
from .touch import recompute, touched


@transaction.atomic
def log_interaction(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    today: dt.date,
    date: str | dt.date | None = None,
    note: str = "",
    by: str = Party.ME,
    quality: int | str | None = None,
    pitch: bool = False,
) -> Interaction:
    """Record a touchpoint; it moves the person's last contact (whatever its kind)."""
    actor.require_write()
    kind = parse_choice(kind, InteractionKind.values, field="kind")
    when = parse_date(date, today=today)
    if when > today:
        raise BadInput(f"the date {when} is in the future", field="date")
    by = parse_choice(by or Party.ME, Party.values, field="by")
    level: int | None = None
    if quality not in (None, ""):
        try:
            level = int(quality)
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= 5:
            raise BadInput(f"bad quality {quality!r}: use 1 to 5", field="quality")
    interaction = Interaction.objects.create(
        workspace=actor.workspace,
        person=person,
        kind=kind,
        date=when,
        initiated_by=by,
        note=note.strip(),
        quality=level,
        is_pitch=pitch,
        member=actor.user,
    )
    touched(person, when)
    return interaction


def list_interactions(
    *, actor: Actor, person: Person, offset: int = 0, limit: int = 50
) -> tuple[int, list[Interaction]]:
    """One page of a person's interactions, newest first, and how many there are."""
    qs = scoped(Interaction, actor.workspace).filter(person=person).order_by("-date", "-id")
    return qs.count(), list(qs[offset : offset + limit])


@transaction.atomic
def delete_interaction(*, actor: Actor, interaction_id: int) -> None:
    """Delete one interaction; the person's last contact and count are recomputed."""
    actor.require_write()
    interaction = (
        scoped(Interaction, actor.workspace).select_related("person").filter(pk=interaction_id)
    ).first()
    if interaction is None:
        raise NotFound(f"no interaction with id {interaction_id}")
    person = interaction.person
    interaction.delete()
    recompute(person)


__all__ = [
    "add_commitment",
    "delete_interaction",
    "keep_commitment",
    "list_interactions",
    "log_interaction",
]
