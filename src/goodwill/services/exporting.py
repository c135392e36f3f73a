"""Exports of a workspace: json (everything), csv and vcard (people), ics, deals."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from goodwill.db.models import Channel, ChannelKind, Person
from goodwill.io.vcard_writer import CardPerson, write

from .context import Actor, scoped
from .errors import NotFound
from .people import tags_of

FORMATS = ("json", "csv", "vcard", "ics", "deals")

CSV_COLUMNS = [
    "id", "name", "email", "emails", "phones", "urls", "organization", "title", "industry",
    "location", "role", "tier", "stage", "source", "source_detail", "needs", "offers", "goals",
    "notes", "personal", "birthday", "tags", "created_on", "last_contact",
]  # fmt: skip


@dataclass
class ExportBody:
    content: bytes
    content_type: str
    filename: str


def _channels(actor: Actor) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """Channels per person and kind, in one query."""
    found: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        scoped(Channel, actor.workspace)
        .order_by("id")
        .values_list("person_id", "kind", "value", "label")
    )
    for pid, kind, value, label in rows:
        found[pid][kind].append((value, label))
    return found


def people_csv(*, actor: Actor) -> str:
    """Every person, one row each; multiple emails/phones/URLs/tags joined by " ::: "."""
    people = list(scoped(Person, actor.workspace).select_related("organization").order_by("id"))
    channels = _channels(actor)
    tags = tags_of(actor, [p.pk for p in people])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in people:
        mine = channels.get(p.pk, {})
        row = {
            "organization": p.organization.name if p.organization else "",
            "emails": " ::: ".join(v for v, _ in mine.get(ChannelKind.EMAIL, [])),
            "phones": " ::: ".join(v for v, _ in mine.get(ChannelKind.PHONE, [])),
            "urls": " ::: ".join(v for v, _ in mine.get(ChannelKind.URL, [])),
            "tags": " ::: ".join(tags.get(p.pk, [])),
        }
        cells = []
        for col in CSV_COLUMNS:
            value = row[col] if col in row else getattr(p, col)
            cells.append(
                value.isoformat() if isinstance(value, dt.date) else "" if value is None else value
            )
        writer.writerow(cells)
    return out.getvalue()


def people_vcard(*, actor: Actor) -> str:
    """Every person as a vCard 4.0."""
    people = scoped(Person, actor.workspace).select_related("organization").order_by("id")
    channels = _channels(actor)
    tags = tags_of(actor, list(people.values_list("id", flat=True)))
    cards = []
    for p in people:
        mine = channels.get(p.pk, {})
        emails = list(mine.get(ChannelKind.EMAIL, []))
        if p.email and p.email.lower() not in {v.lower() for v, _ in emails}:
            emails.insert(0, (p.email, ""))
        cards.append(
            CardPerson(
                name=p.name,
                organization=p.organization.name if p.organization else "",
                title=p.title,
                notes=p.notes,
                birthday=p.birthday,
                emails=emails,
                phones=list(mine.get(ChannelKind.PHONE, [])),
                urls=list(mine.get(ChannelKind.URL, [])),
                tags=tags.get(p.pk, []),
                uid=f"urn:goodwill:{actor.workspace.slug}:{p.pk}",
            )
        )
    return write(cards)


def _ics(actor: Actor, today: dt.date) -> bytes:
    from .calendar import calendar_ics  # noqa: PLC0415  (written by the calendar area)

    body: bytes = calendar_ics(actor=actor, today=today)
    return body


def _deals(actor: Actor, today: dt.date) -> bytes:
    try:
        from .deals import deals_csv  # noqa: PLC0415  (written by the value area)
    except ModuleNotFoundError as exc:
        if exc.name != "goodwill.services.deals":
            raise
        raise NotFound("export deals is not available in this version") from None
    text: str = deals_csv(actor=actor, year=None)
    return text.encode("utf-8")


def export(*, actor: Actor, today: dt.date, format: str) -> ExportBody:
    """The export file in ``format``; an unknown format is NotFound (404 on the web)."""
    from .backup import export_json  # noqa: PLC0415  (backup imports this module's peers)

    stamp = today.isoformat()
    makers: dict[str, tuple[Callable[[], bytes], str, str]] = {
        "json": (
            lambda: export_json(actor=actor).encode(),
            "application/json",
            f"goodwill-{stamp}.json",
        ),
        "csv": (
            lambda: people_csv(actor=actor).encode(),
            "text/csv; charset=utf-8",
            f"people-{stamp}.csv",
        ),
        "vcard": (
            lambda: people_vcard(actor=actor).encode(),
            "text/vcard; charset=utf-8",
            f"people-{stamp}.vcf",
        ),
        "ics": (lambda: _ics(actor, today), "text/calendar; charset=utf-8", "goodwill.ics"),
        "deals": (lambda: _deals(actor, today), "text/csv; charset=utf-8", f"deals-{stamp}.csv"),
    }
    if format not in makers:
        raise NotFound(f"unknown export format {format!r}: choose one of {', '.join(FORMATS)}")
    make, content_type, filename = makers[format]
    return ExportBody(make(), content_type, filename)
