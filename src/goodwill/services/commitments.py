"""Commitments: promises in a relationship (by me or by them), due and kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from goodwill.db.models import Commitment, Party, Person

from .context import Actor, scoped
from .errors import BadInput, NotFound
from .parse import parse_choice, parse_date


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
    text = description.strip()
    if not text:
        raise BadInput("a commitment needs a description", field="description")
    if len(text) > 500:
        raise BadInput("the description is longer than 500 characters", field="description")
    return Commitment.objects.create(
        workspace=actor.workspace,
        person=person,
        description=text,
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
    kept = parse_date(date, today=today)
    if kept > today:
        raise BadInput(f"the date {kept} is in the future", field="date")
    commitment.kept_on = kept
    commitment.broken = False
    commitment.save(update_fields=["kept_on", "broken"])
    return commitment


def status_of(c: Commitment, today: dt.date) -> str:
    """kept, late (kept after its due date), broken, overdue, due (today) or open."""
    if c.kept_on is not None:
        return "late" if c.due_date is not None and c.kept_on > c.due_date else "kept"
    if c.broken:
        return "broken"
    if c.due_date is not None and c.due_date < today:
        return "overdue"
    if c.due_date == today:
        return "due"
    return "open"


@dataclass
class CommitmentRow:
    id: int
    person: dict[str, object]
    description: str
    by: str
    created_on: dt.date
    due_date: dt.date | None
    kept_on: dt.date | None
    status: str


def list_commitments(
    *, actor: Actor, today: dt.date, include_kept: bool = False, limit: int = 500
) -> list[CommitmentRow]:
    """Commitments, open ones first by due date (one query)."""
    qs = scoped(Commitment, actor.workspace).select_related("person")
    if not include_kept:
        qs = qs.filter(kept_on__isnull=True, broken=False)
    qs = qs.order_by("kept_on", "due_date", "id")[:limit]
    return [row_of(c, today) for c in qs]


def row_of(c: Commitment, today: dt.date) -> CommitmentRow:
    return CommitmentRow(
        id=c.pk,
        person={"id": c.person_id, "name": c.person.name},
        description=c.description,
        by=c.by,
        created_on=c.created_on,
        due_date=c.due_date,
        kept_on=c.kept_on,
        status=status_of(c, today),
    )
