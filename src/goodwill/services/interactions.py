"""Log interactions and keep commitments."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from goodwill.db.models import Commitment, Interaction, InteractionKind, Party, Person

from .context import Actor, scoped
from .errors import BadInput, NotFound
from .parse import parse_choice, parse_date
from .touch import touched


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


@transaction.atomic
def add_commitment(
    *,
    actor: Actor,
    person: Person,
    description: str,
    today: dt.date,
    due: str | dt.date | None = None,
    by: str = Party.ME,
) -> Commitment:
    """A promise in a relationship (by me or by them), optionally with a due date."""
    actor.require_write()
    if not description.strip():
        raise BadInput("a commitment needs a description", field="description")
    return Commitment.objects.create(
        workspace=actor.workspace,
        person=person,
        description=description.strip(),
        by=parse_choice(by or Party.ME, Party.values, field="by"),
        created_on=today,
        due_date=parse_date(due, today=today, field="due") if due else None,
    )


@transaction.atomic
def keep_commitment(
    *, actor: Actor, commitment_id: int, today: dt.date, date: str | dt.date | None = None
) -> Commitment:
    """Mark a commitment kept (on ``date``, default today)."""
    actor.require_write()
    commitment = scoped(Commitment, actor.workspace).filter(pk=commitment_id).first()
    if commitment is None:
        raise NotFound(f"no commitment with id {commitment_id}")
    commitment.kept_on = parse_date(date, today=today)
    commitment.save(update_fields=["kept_on"])
    return commitment
