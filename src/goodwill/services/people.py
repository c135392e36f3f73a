"""Add, edit, find, list, show and merge people; move them through the funnel."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from django.db import transaction
from django.db.models import QuerySet

from goodwill.db.models import (
    Channel,
    ChannelKind,
    Organization,
    Person,
    PersonTag,
    Role,
    Source,
    Stage,
    StageChange,
    Tag,
    Tier,
)
from goodwill.db.search import list_matches

from .compiled import in_ids, instances_of, of_id
from .context import Actor, scoped
from .errors import Ambiguous, BadInput, NotFound
from .parse import parse_choice, parse_date, parse_positive_int

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NON_DIGITS = re.compile(r"\D")
_SCHEME = re.compile(r"^[a-z]+://")


@dataclass
class PersonInput:
    """What a user can say about a person. Empty strings mean "not given"."""

    name: str = ""
    email: str = ""
    organization: str = ""
    title: str = ""
    industry: str = ""
    location: str = ""
    role: str = ""
    tier: str = ""
    stage: str = ""
    source: str = ""
    source_detail: str = ""
    introduced_by: str = ""
    needs: str = ""
    offers: str = ""
    goals: str = ""
    value_i_bring: str = ""
    work_on: str = ""
    personal: str = ""
    notes: str = ""
    birthday: str = ""
    anniversary: str = ""
    cadence_days: str | int = ""
    tags: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)  # extra emails beyond the primary
    q_interesting: bool | None = None
    q_enjoy: bool | None = None
    q_mutual_business: bool | None = None
    clear: list[str] = field(default_factory=list)  # on edit: the fields to empty


TEXT_FIELDS = [
    "title", "industry", "location", "source_detail", "needs", "offers", "goals",
    "value_i_bring", "work_on", "personal", "notes",
]  # fmt: skip


def normalize_channel(kind: str, value: str) -> str:
    """The form duplicate detection compares: lower-case email, digits of a phone,
    a URL without scheme, www. or trailing slash."""
    value = value.strip()
    if kind == ChannelKind.EMAIL:
        return value.lower()
    if kind == ChannelKind.PHONE:
        digits = _NON_DIGITS.sub("", value)
        return ("+" if value.startswith("+") else "") + digits
    url = value.lower()
    scheme = _SCHEME.match(url)
    if scheme:
        url = url[scheme.end() :]
    url = url.removeprefix("www.")
    return url.rstrip("/")


def resolve_person(*, actor: Actor, ref: str | int) -> Person:
    """A person by id, by email, or by a unique case-insensitive name fragment.

    An exact (case-insensitive) full-name match wins over fragments; an
    ambiguous fragment raises :class:`Ambiguous` listing the candidates."""
    text = str(ref).strip()
    if not text:
        raise BadInput("a person is required")
    if text.isdigit():
        # The page of a person and every change to one look them up by id: the query
        # is compiled once per workspace.
        ws = actor.workspace
        found: list[Person] = instances_of(
            ("person by id", ws.pk),
            lambda: of_id(scoped(Person, ws).select_related("organization"), Person, "id"),
            [int(text)],
        )
        if not found:
            raise NotFound(f"no person with id {text}")
        return found[0]
    people = scoped(Person, actor.workspace).select_related("organization")
    if "@" in text:
        email = text.lower()
        person = people.filter(email__iexact=email).first()
        if person is None:
            ids = (
                scoped(Channel, actor.workspace)
                .filter(kind=ChannelKind.EMAIL, normalized=email)
                .values_list("person_id", flat=True)[:1]
            )
            person = people.filter(pk__in=list(ids)).first()
        if person is None:
            raise NotFound(f"no person with email {text}")
        return person
    exact = list(people.filter(name__iexact=text)[:2])
    if len(exact) == 1:
        return exact[0]
    matches = exact or list(people.filter(name__icontains=text).order_by("name", "id")[:11])
    if not matches:
        raise NotFound(f"no person matches {text!r}")
    if len(matches) > 1:
        shown = matches[:10]
        listing = "; ".join(f"{p.id} {p.name}" for p in shown)
        more = " …" if len(matches) > 10 else ""
        raise Ambiguous(
            f"{text!r} matches several people: {listing}{more} (use an id or email)",
            [(p.id, p.name) for p in shown],
        )
    return matches[0]


def _organization(actor: Actor, name: str, industry: str) -> Organization | None:
    name = name.strip()
    if not name:
        return None
    org, created = scoped(Organization, actor.workspace).get_or_create(
        workspace=actor.workspace, name=name, defaults={"industry": industry}
    )
    if not created and industry and not org.industry:
        org.industry = industry
        org.save(update_fields=["industry"])
    return org


def _validated(actor: Actor, data: PersonInput, today: dt.date, *, new: bool) -> dict[str, object]:
    """Turn a PersonInput into model field values, raising BadInput on the first problem."""
    values: dict[str, object] = {}
    if new or data.name:
        name = data.name.strip()
        if not name:
            raise BadInput("a name is required", field="name")
        if len(name) > 200:
            raise BadInput("the name is longer than 200 characters", field="name")
        values["name"] = name
    if data.email:
        email = data.email.strip()
        if not EMAIL_RE.match(email):
            raise BadInput(f"bad email {email!r}", field="email")
        values["email"] = email
    for key, choices in (("role", Role), ("tier", Tier), ("stage", Stage), ("source", Source)):
        raw = getattr(data, key)
        if raw:
            values[key] = parse_choice(raw, choices.values, field=key)
    for key in TEXT_FIELDS:
        raw = getattr(data, key)
        if raw:
            values[key] = raw.strip()
    for key in ("birthday", "anniversary"):
        raw = getattr(data, key)
        if raw:
            values[key] = parse_date(raw, today=today, field=key)
    if data.cadence_days not in ("", None):
        values["cadence_days"] = parse_positive_int(data.cadence_days, field="cadence")
    for key in ("q_interesting", "q_enjoy", "q_mutual_business"):
        if getattr(data, key) is not None:
            values[key] = getattr(data, key)
    if data.introduced_by:
        values["introduced_by"] = resolve_person(actor=actor, ref=data.introduced_by)
        if values.get("source") is None and new:
            values["source"] = Source.INTRODUCTION
    if values.get("stage") == Stage.LET_GO and new:
        raise BadInput("a new person cannot start as let_go", field="stage")
    return values


def _add_channels(actor: Actor, person: Person, data: PersonInput) -> None:
    wanted = [(ChannelKind.EMAIL, e) for e in ([data.email] if data.email else []) + data.emails]
    wanted += [(ChannelKind.PHONE, p) for p in data.phones]
    wanted += [(ChannelKind.URL, u) for u in data.urls]
    existing = set(
        scoped(Channel, actor.workspace).filter(person=person).values_list("kind", "normalized")
    )
    rows = []
    for kind, value in wanted:
        value = value.strip()
        norm = normalize_channel(kind, value)
        if value and (kind, norm) not in existing:
            existing.add((kind, norm))
            rows.append(
                Channel(
                    workspace=actor.workspace,
                    person=person,
                    kind=kind,
                    value=value,
                    normalized=norm,
                )
            )
    Channel.objects.bulk_create(rows)


def _set_tags(actor: Actor, person: Person, names: list[str]) -> None:
    for raw in names:
        name = raw.strip().lower()
        if not name:
            continue
        tag, _ = scoped(Tag, actor.workspace).get_or_create(workspace=actor.workspace, name=name)
        PersonTag.objects.get_or_create(workspace=actor.workspace, person=person, tag=tag)


@transaction.atomic
def add_person(*, actor: Actor, data: PersonInput, today: dt.date) -> Person:
    """Create a person (one transaction); the first stage is recorded in the history."""
    actor.require_write()
    values = _validated(actor, data, today, new=True)
    org = _organization(actor, data.organization, str(values.get("industry", "")))
    stage = str(values.pop("stage", Stage.IDENTIFIED))
    person = Person.objects.create(
        workspace=actor.workspace,
        organization=org,
        stage=stage,
        created_on=today,
        stage_since=today,
        **values,
    )
    StageChange.objects.create(
        workspace=actor.workspace,
        person=person,
        from_stage="",
        to_stage=stage,
        date=today,
        reason="added",
    )
    _add_channels(actor, person, data)
    _set_tags(actor, person, data.tags)
    return person


# Fields an edit can empty (PersonInput.clear): an empty value elsewhere means "not given".
CLEARABLE = (
    *TEXT_FIELDS, "organization", "introduced_by", "birthday", "anniversary", "cadence_days",
    "q_interesting", "q_enjoy", "q_mutual_business",
)  # fmt: skip


def _cleared(data: PersonInput, values: dict[str, object]) -> dict[str, object]:
    """The model values that empty the fields listed in ``data.clear`` (and not also given)."""
    emptied: dict[str, object] = {}
    for key in data.clear:
        if key not in CLEARABLE:
            raise BadInput(f"cannot clear {key!r}: only {', '.join(CLEARABLE)}", field=key)
        if key in values or (key == "organization" and data.organization):
            continue
        emptied[key] = "" if key in TEXT_FIELDS else None
    return emptied


@transaction.atomic
def edit_person(*, actor: Actor, person: Person, data: PersonInput, today: dt.date) -> Person:
    """Change the given fields and empty those in ``data.clear``; a stage given here
    goes through :func:`change_stage`."""
    actor.require_write()
    values = _validated(actor, data, today, new=False)
    values.update(_cleared(data, values))
    stage = values.pop("stage", None)
    if data.organization:
        values["organization"] = _organization(
            actor, data.organization, str(values.get("industry", ""))
        )
    for key, value in values.items():
        setattr(person, key, value)
    person.save()
    _add_channels(actor, person, data)
    _set_tags(actor, person, data.tags)
    if stage and stage != person.stage:
        change_stage(actor=actor, person=person, stage=str(stage), reason="edited", today=today)
    return person


@transaction.atomic
def change_stage(
    *, actor: Actor, person: Person, stage: str, reason: str = "", today: dt.date
) -> StageChange:
    """Move ``person`` in the funnel; every change is kept with its date and reason.
    Letting go needs a reason: it is a deliberate decision."""
    actor.require_write()
    stage = parse_choice(stage, Stage.values, field="stage")
    if stage == Stage.LET_GO and not reason.strip():
        raise BadInput("letting someone go needs a reason (--reason)", field="reason")
    change = StageChange.objects.create(
        workspace=actor.workspace,
        person=person,
        from_stage=person.stage,
        to_stage=stage,
        date=today,
        reason=reason.strip(),
    )
    person.stage = stage
    person.stage_since = today
    person.save(update_fields=["stage", "stage_since"])
    return change


def filter_people(
    *,
    actor: Actor,
    stage: str = "",
    role: str = "",
    tag: str = "",
    matches: Sequence[int] | None = None,
) -> QuerySet[Person]:
    """The people matching the list filters, ordered by name, then id; ``matches``:
    only those ids (a search's, from :func:`search_matches`)."""
    people = scoped(Person, actor.workspace)
    if stage:
        people = people.filter(stage=parse_choice(stage, Stage.values, field="stage"))
    if role:
        people = people.filter(role=parse_choice(role, Role.values, field="role"))
    if tag:
        people = people.filter(
            pk__in=scoped(PersonTag, actor.workspace)
            .filter(tag__name=tag.strip().lower())
            .values("person_id")
        )
    if matches is not None:
        # Read as ids first: the page and its count then look people up by id (one
        # parameter, however many) instead of testing every name again.
        people = in_ids(people, Person, "id", matches)
    return people.select_related("organization").order_by("name", "id")


def search_matches(*, actor: Actor, search: str) -> list[int]:
    """Ids of the workspace's people a list search finds, in the list's order (name,
    then id): everyone the full-text index matches (words from their start) and
    everyone whose name contains the text anywhere. All of them are people of the
    workspace, so their number is the exact count of matches."""
    return list_matches(actor.workspace.pk, search)


def tags_of(actor: Actor, person_ids: list[int]) -> dict[int, list[str]]:
    """Tag names per person, in one query."""
    result: dict[int, list[str]] = {}
    rows = scoped(PersonTag, actor.workspace).filter(person_id__in=person_ids)
    for pid, name in rows.values_list("person_id", "tag__name").order_by("tag__name"):
        result.setdefault(pid, []).append(name)
    return result


PERSON_FIELDS = [f.name for f in fields(PersonInput)]


@transaction.atomic
def delete_person(*, actor: Actor, person_id: int) -> None:
    """Delete a person and everything that is only about them (interactions, favours,
    commitments, deals as client, stage history); people they introduced keep their
    record and lose the link. A person of another workspace is :class:`NotFound`."""
    actor.require_write()
    deleted, _ = scoped(Person, actor.workspace).filter(pk=person_id).delete()
    if not deleted:
        raise NotFound(f"no person with id {person_id}")
