"""Full-text search over people, their notes and their interactions."""

from __future__ import annotations

from goodwill.db.search import search_person_ids

from .context import Actor


def search_ids(*, actor: Actor, query: str, limit: int | None = 50) -> list[int]:
    """Ids of matching people in the actor's workspace, best match first (see
    db.search.search_person_ids for ``limit``)."""
    return search_person_ids(actor.workspace.pk, query, limit)
