"""Import contacts from a file: one transaction, bulk writes, no second copies.

Each record is matched, in order, by
1. a known email or profile URL (a channel or a primary email) → **update**;
2. for records without email or URL, the exact same name and organization → update;
3. a fuzzy same name + organization (see ``services.duplicates``) → a **merge
   candidate**: reported, and with ``merge=True`` treated as the same person;
4. otherwise → **create**.

An update only fills blank fields and adds missing channels and tags: an
import never overwrites what the user typed, which is also why importing the
same file twice changes nothing the second time (those records count as
skipped).

Every lookup is a set or dict membership on keys loaded once (emails, profile
URLs, normalised names; fuzzy names through a blocked index), never a query per
record. Queries: a fixed handful to load the workspace's index and the channels
and tags of the people updated, then one ``executemany`` per table and
``CHUNK`` rows written, whatever the file's size.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, ExpressionWrapper, IntegerField, Q, Value, When

from goodwill.db.deferred import derived_deferred
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
from goodwill.io import PARSERS, Contact, Parsed, UnreadableFile

from .bulkload import Table
from .bulkwork import gc_paused
from .compiled import ids_where
from .context import Actor, scoped
from .duplicates import NameIndex
from .errors import BadInput
from .parse import parse_choice
from .people import EMAIL_RE, normalize_channel

BATCH = 1000
Progress = Callable[[int, int], None]

_FILL = [
    "title", "location", "notes", "industry", "needs", "offers", "goals", "personal",
    "source_detail", "birthday",
]  # fmt: skip
_CHOICES = {
    "role": Role.values,
    "tier": Tier.values,
    "stage": Stage.values,
    "source": Source.values,
}
_LIMITS = {"name": 200, "title": 200, "location": 200, "industry": 100, "source_detail": 300}


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class MergeCandidate:
    line: int
    name: str
    person: dict[str, Any]  # {"id", "name"} of who it resembles
    score: float


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    merged: int = 0
    skipped: int = 0
    errors: list[LineError] = field(default_factory=list)
    candidates: list[MergeCandidate] = field(default_factory=list)
    dry_run: bool = False
    format: str = ""
    columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    line: int
    values: dict[str, Any]  # Person field -> value
    organization: str
    channels: list[tuple[str, str, str, str]]  # kind, value, normalized, label
    tags: list[str]
    stage_date: dt.date | None


class _Skip(Exception):
    """A record with nothing to import."""


def _validate(c: Contact) -> _Row:
    """The model values of a contact; ValueError with a message when it is bad."""
    if c.error:
        raise ValueError(c.error)
    values: dict[str, Any] = {"name": c.name.strip()}
    for key, raw in c.fields.items():
        if key in _CHOICES:
            choice, error = _choice(key, raw)
            if error:
                raise ValueError(error)
            values[key] = choice
        else:
            values[key] = raw.strip()
    if c.title:
        values["title"] = c.title
    if c.location:
        values["location"] = c.location
    if c.notes:
        values["notes"] = c.notes
    if c.birthday:
        values["birthday"] = c.birthday
    channels: list[tuple[str, str, str, str]] = []
    for email in c.emails:
        email = email.strip().removeprefix("mailto:")
        if not EMAIL_RE.match(email) or len(email) > 254:
            raise ValueError(f"bad email {email!r}")
        channels.append((ChannelKind.EMAIL, email, normalize_channel(ChannelKind.EMAIL, email), ""))
    values["email"] = channels[0][1] if channels else ""
    for kind, items in ((ChannelKind.PHONE, c.phones), (ChannelKind.URL, c.urls)):
        for value, label in items:
            value = value.strip()
            norm = normalize_channel(kind, value)
            if len(value) > 500:
                raise ValueError(f"{kind} longer than 500 characters")
            if norm:
                channels.append((kind, value, norm, label[:50]))
    if not values["name"]:
        values["name"] = c.organization.strip() or values["email"]
    if not values["name"]:
        raise _Skip  # nothing to call them by (e.g. a LinkedIn member who hides their name)
    for key, limit in _LIMITS.items():
        text = values.get(key)
        if text and len(text) > limit:
            raise ValueError(f"{key.replace('_', ' ')} longer than {limit} characters")
    org = c.organization.strip()
    if len(org) > 200:
        raise ValueError("organization longer than 200 characters")
    tags = sorted({t.strip().lower()[:60] for t in c.tags if t.strip()}) if c.tags else []
    return _Row(c.line, values, org, channels, tags, c.connected_on)


@lru_cache(maxsize=1024)
def _choice(key: str, raw: str) -> tuple[str, str]:
    """(value, "") of a role/tier/stage/source as a file writes it, or ("", error)."""
    try:
        return parse_choice(raw, _CHOICES[key], field=key), ""
    except BadInput as exc:
        return "", exc.message


def _key(name: str, org: str) -> tuple[str, str]:
    return (name.strip().casefold(), org.strip().casefold())


def parse_file(*, kind: str, data: bytes, mapping: list[str] | None = None) -> Parsed:
    """Parse ``data`` as ``kind``; a file that cannot be read at all is BadInput."""
    parser = PARSERS.get(kind)
    if parser is None:
        raise BadInput(
            f"unknown import format {kind!r}: choose one of {', '.join(PARSERS)}", field="kind"
        )
    try:
        return parser(data, mapping=mapping)
    except UnreadableFile as exc:
        raise BadInput(str(exc)) from None
    except RecursionError:
        raise BadInput("the file is nested too deeply to read") from None


def import_file(
    *,
    actor: Actor,
    today: dt.date,
    kind: str,
    data: bytes,
    mapping: list[str] | None = None,
    dry_run: bool = False,
    strict: bool = False,
    merge: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Parse and import one file (the CLI, web page, API and benchmark all call this)."""
    if not dry_run:
        actor.require_write()
    with gc_paused():
        parsed = parse_file(kind=kind, data=data, mapping=mapping)
        return import_contacts(
            actor=actor,
            today=today,
            parsed=parsed,
            dry_run=dry_run,
            strict=strict,
            merge=merge,
            progress=progress,
        )


@transaction.atomic
def import_contacts(
    *,
    actor: Actor,
    today: dt.date,
    parsed: Parsed,
    dry_run: bool = False,
    strict: bool = False,
    merge: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Save parsed contacts in one transaction (nothing at all with ``dry_run``).

    ``parsed.contacts`` is consumed: emptied once every record is validated."""
    if not dry_run:
        actor.require_write()
    result = ImportResult(
        dry_run=dry_run,
        format=parsed.format,
        columns=parsed.columns,
        mapping=parsed.mapping,
        notes=parsed.notes,
    )
    total = len(parsed.contacts)
    rows: list[_Row] = []
    for c in parsed.contacts:
        if c.is_empty() and not c.error:
            result.skipped += 1
            continue
        try:
            rows.append(_validate(c))
        except _Skip:
            result.skipped += 1
        except ValueError as exc:
            result.errors.append(LineError(c.line, str(exc)))
    parsed.contacts.clear()  # validated: a large file is not held twice while it is written
    result.preview = [
        {
            "line": r.line,
            "name": r.values["name"],
            "email": r.values["email"],
            "organization": r.organization,
            "title": r.values.get("title", ""),
        }
        for r in rows[:10]
    ]
    if strict and result.errors:
        first = result.errors[0]
        raise BadInput(
            f"line {first.line}: {first.message} "
            f"({len(result.errors)} bad record(s); --strict: nothing imported)"
        )
    _Plan(actor, today, result, merge, progress, total).run(rows, write=not dry_run)
    return result


class _Plan:
    """Decides create / update / merge for each row against one in-memory index, then writes."""

    def __init__(
        self,
        actor: Actor,
        today: dt.date,
        result: ImportResult,
        merge: bool,
        progress: Progress | None,
        total: int,
    ) -> None:
        self.actor, self.ws, self.today, self.result = actor, actor.workspace, today, result
        self.merge, self.progress, self.total = merge, progress, max(total, 1)
        self.by_channel: dict[tuple[str, str], int] = {}
        self.by_key: dict[tuple[str, str], int] = {}
        self._people: list[tuple[int, str, str]] = []
        self._names: NameIndex | None = None
        # Existing people: which of the fields an update may fill are blank (bit i of
        # _FILLED[i]), and whether the organization is.
        self.blanks: dict[int, tuple[int, bool]] = {}
        self.new: list[_Row] = []  # index i is person id -(i+1) until written
        self.updates: dict[int, _Row] = {}  # existing id -> merged incoming values
        self.merged_ids: set[int] = set()

    def _load(self) -> None:
        """The workspace's index in two queries: every person once, every email/URL once."""
        ws = self.ws
        chans = scoped(Channel, ws).filter(kind__in=[ChannelKind.EMAIL, ChannelKind.URL])
        for kind, norm, pid in chans.values_list("kind", "normalized", "person_id"):
            self.by_channel.setdefault((kind, norm), pid)
        people = scoped(Person, ws).annotate(blank=_blank_mask())
        for pid, name, email, org, org_id, blank in people.values_list(
            "id", "name", "email", "organization__name", "organization_id", "blank"
        ):
            if email:
                self.by_channel.setdefault((ChannelKind.EMAIL, email.strip().lower()), pid)
            self.by_key.setdefault(_key(name, org or ""), pid)
            self._people.append((pid, name, org or ""))
            self.blanks[pid] = (blank, org_id is None)

    @property
    def names(self) -> NameIndex:
        """The fuzzy index of existing people, built on first need (re-imports never need it)."""
        if self._names is None:
            self._names = NameIndex()
            self._names.add_many(self._people)
        return self._names

    def _find(self, row: _Row) -> tuple[int | None, MergeCandidate | None]:
        keyed = [(k, n) for k, _, n, _ in row.channels if k in _KEYED]
        for key in keyed:
            found = self.by_channel.get(key)
            if found is not None:
                return found, None
        if not keyed:
            found = self.by_key.get(_key(row.values["name"], row.organization))
            if found is not None:
                return found, None
        if not self._people:
            return None, None  # an empty network has nobody to resemble
        best = self.names.best(row.values["name"], row.organization)
        if best is None:
            return None, None
        pid, score = best
        return None, MergeCandidate(row.line, row.values["name"], {"id": pid, "name": ""}, score)

    def _remember(self, pid: int, row: _Row) -> None:
        for kind, _, norm, _ in row.channels:
            if kind in _KEYED:
                self.by_channel.setdefault((kind, norm), pid)
        self.by_key.setdefault(_key(row.values["name"], row.organization), pid)

    def run(self, rows: list[_Row], *, write: bool) -> None:
        self._load()
        res = self.result
        for done, row in enumerate(rows, start=1):
            pid, candidate = self._find(row)
            if pid is None and candidate is not None:
                candidate.person["name"] = self._display_name(candidate.person["id"])
                res.candidates.append(candidate)
                if self.merge:
                    pid = candidate.person["id"]
                    self.merged_ids.add(pid)
                    res.merged += 1
            if pid is None:
                self.new.append(row)
                self._remember(-len(self.new), row)
            elif pid < 0:
                _absorb(self.new[-pid - 1], row)
                res.updated += 1
            else:
                if pid in self.updates:
                    _absorb(self.updates[pid], row)
                else:
                    self.updates[pid] = row
                self._remember(pid, row)
            if self.progress and done % BATCH == 0:
                self.progress(done, self.total)
        res.created = len(self.new)
        self._forget()
        with _page_cache(CACHE_KIB if write else 0):
            changed = self._apply_updates(write)
            res.updated += len(changed - self.merged_ids)
            res.skipped += len(set(self.updates) - changed - self.merged_ids)
            if write:
                self._create()
        if self.progress:
            self.progress(self.total, self.total)

    def _forget(self) -> None:
        """Drop the lookup index once every record is decided (memory for the writes)."""
        self.by_channel, self.by_key, self._people, self._names = {}, {}, [], None

    def _display_name(self, pid: int) -> str:
        return self.names.names.get(pid, "")

    def _apply_updates(self, write: bool) -> set[int]:
        """Fill blank fields, add missing channels and tags of existing people; ids that changed.

        A fixed number of queries whatever the number of updates: the channels and
        tags of the workspace are read once (kept for the updated people only), and
        the people are written with one executemany."""
        if not self.updates:
            return set()
        ws, updates = self.ws, self.updates
        known = {
            (pid, kind, norm)
            for pid, kind, norm in scoped(Channel, ws)
            .values_list("person_id", "kind", "normalized")
            .iterator(chunk_size=CHUNK)
            if pid in updates
        }
        tagged = {
            (pid, tag)
            for pid, tag in scoped(PersonTag, ws)
            .values_list("person_id", "tag__name")
            .iterator(chunk_size=CHUNK)
            if pid in updates
        }
        orgs = self._orgs(
            write, [r.organization for pid, r in updates.items() if self.blanks[pid][1]]
        )
        changed: set[int] = set()
        filled: dict[int, dict[str, Any]] = {}  # id -> column -> new value
        channels: list[tuple[int, str, str, str, str]] = []
        tags: list[tuple[int, str]] = []
        for pid, row in updates.items():
            blank, no_org = self.blanks[pid]
            values: dict[str, Any] = {}
            for bit, name in enumerate(_FILLED):
                value = row.values.get(name)
                if value and blank >> bit & 1:
                    values[name] = value
            if row.organization and no_org:
                values["organization_id"] = orgs.get(row.organization)
            touched = bool(values)
            for kind, value, norm, label in row.channels:
                if (pid, kind, norm) not in known:
                    known.add((pid, kind, norm))
                    channels.append((pid, kind, value, norm, label))
                    touched = True
            for tag in row.tags:
                if (pid, tag) not in tagged:
                    tagged.add((pid, tag))
                    tags.append((pid, tag))
                    touched = True
            if touched:
                changed.add(pid)
                filled[pid] = values
        if write:
            _fill(filled)
            self._channels(channels)
            self._tag(tags)
        return changed

    def _orgs(self, write: bool, names: list[str]) -> dict[str, int]:
        """Organization ids by name, creating the missing ones (two or three queries)."""
        wanted = {n for n in names if n}
        if not wanted:
            return {}
        existing = dict(scoped(Organization, self.ws).values_list("name", "id"))
        missing = sorted(wanted - set(existing))
        if write and missing:
            ids = allocate_ids(Organization, len(missing))
            _insert(
                Organization,
                ["id", "workspace_id", "name"],
                [(i, self.ws.pk, n) for i, n in zip(ids, missing, strict=True)],
            )
            existing.update(zip(missing, ids, strict=True))
        return existing

    def _tag(self, pairs: list[tuple[int, str]]) -> None:
        if not pairs:
            return
        existing = dict(scoped(Tag, self.ws).values_list("name", "id"))
        missing = sorted({t for _, t in pairs} - set(existing))
        if missing:
            ids = allocate_ids(Tag, len(missing))
            _insert(
                Tag,
                ["id", "workspace_id", "name"],
                [(i, self.ws.pk, t) for i, t in zip(ids, missing, strict=True)],
            )
            existing.update(zip(missing, ids, strict=True))
        _insert(
            PersonTag,
            ["workspace_id", "person_id", "tag_id"],
            [(self.ws.pk, p, existing[t]) for p, t in sorted(set(pairs))],
        )

    def _channels(self, rows: list[tuple[int, str, str, str, str]]) -> None:
        """Insert (person id, kind, value, normalized, label) rows; the database numbers them."""
        _insert(
            Channel,
            ["person_id", "kind", "value", "normalized", "label", "workspace_id"],
            [(*row, self.ws.pk) for row in rows],
        )

    def _create(self) -> None:
        if not self.new:
            return
        ws, today = self.ws.pk, self.today
        orgs = self._orgs(True, [r.organization for r in self.new])
        ids = allocate_ids(Person, len(self.new))
        people, changes, channels, tags = [], [], [], []
        reason = f"imported from {self.result.format}"
        identified, other, network = Stage.IDENTIFIED, Role.OTHER, Tier.NETWORK
        source = Source.OTHER
        for pid, row in zip(ids, self.new, strict=True):
            get = row.values.get
            stage = get("stage") or identified
            since = min(row.stage_date or today, today)
            people.append(
                (pid, ws, orgs.get(row.organization), stage, since, today,
                 get("role") or other, get("tier") or network, get("source") or source,
                 get("birthday"), get("name") or "", get("email") or "", get("title") or "",
                 get("location") or "", get("notes") or "", get("industry") or "",
                 get("needs") or "", get("offers") or "", get("goals") or "",
                 get("personal") or "", get("source_detail") or "")
            )  # fmt: skip
            changes.append((ws, pid, "", stage, since, reason))
            if len(row.channels) == 1:
                kind, value, norm, label = row.channels[0]
                channels.append((pid, kind, value, norm, label))
            elif row.channels:
                seen: set[tuple[str, str]] = set()
                for kind, value, norm, label in row.channels:
                    if (kind, norm) not in seen:
                        seen.add((kind, norm))
                        channels.append((pid, kind, value, norm, label))
            if row.tags:
                tags += [(pid, t) for t in row.tags]
        # The search indexes and the people count get the new people in one statement
        # each, not a trigger per row (by their ids: on PostgreSQL another import's ids
        # may fall between ours).
        with derived_deferred(("goodwill_person",), *ids_where(Person, "id", ids)):
            _insert(Person, _PERSON_COLUMNS, people)
        _insert(
            StageChange,
            ["workspace_id", "person_id", "from_stage", "to_stage", "date", "reason"],
            changes,
        )
        self._channels(channels)
        self._tag(tags)


_TEXT = [
    "name", "email", "title", "location", "notes", "industry", "needs", "offers", "goals",
    "personal", "source_detail",
]  # fmt: skip
_PERSON_COLUMNS = [
    "id",
    "workspace_id",
    "organization_id",
    "stage",
    "stage_since",
    "created_on",
    "role",
    "tier",
    "source",
    "birthday",
    *_TEXT,
]  # fmt: skip  (the order of the tuples _Plan._create builds)
CHUNK = 5000
CACHE_KIB = int(
    __import__("os").environ.get("XCACHE", "65536")
)  # SQLite page cache during the writes
_KEYED = (ChannelKind.EMAIL, ChannelKind.URL)
# The fields an update fills when they are blank, in the order of the bits of _blank_mask.
_FILLED = [*_FILL, "email"]


def _blank_mask() -> Any:
    """An integer per person: bit i set when _FILLED[i] is blank (one column, any database)."""
    terms = [
        Case(
            When(Q(**({f"{name}__isnull": True} if name == "birthday" else {name: ""})),
                 then=Value(1 << bit)),
            default=Value(0),
        )
        for bit, name in enumerate(_FILLED)
    ]  # fmt: skip
    return ExpressionWrapper(reduce(operator.add, terms), output_field=IntegerField())


def _fill(filled: dict[int, dict[str, Any]]) -> None:
    """Write the filled blanks of existing people with one executemany: every column any
    of them fills, ``coalesce(new, old)`` so a person keeps what they did not get."""
    columns = sorted({column for values in filled.values() for column in values})
    if not columns:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = coalesce(%s, {quote(c)})" for c in columns)
    params = [[values.get(c) for c in columns] + [pid] for pid, values in filled.items() if values]
    with connection.cursor() as cur:
        cur.executemany(
            f"UPDATE {quote(Person._meta.db_table)} SET {sets} WHERE {quote('id')} = %s", params
        )


def allocate_ids(model: type[Any], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model`` (one query). PostgreSQL takes them from
    the table's sequence (safe beside other writers); SQLite from max(id), which is
    safe because the import's IMMEDIATE transaction holds the only write lock."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [int(r[0]) for r in cur.fetchall()]
        cur.execute(f"SELECT coalesce(max(id), 0) FROM {connection.ops.quote_name(table)}")
        first = int(cur.fetchone()[0]) + 1
    return list(range(first, first + count))


@contextmanager
def _page_cache(kib: int) -> Iterator[None]:
    """SQLite's page cache at ``kib`` KiB while a large write runs (inserts into tables
    with several indexes touch many pages), then back to what it was."""
    if connection.vendor != "sqlite" or kib <= 0:
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = int(cur.fetchone()[0])
        cur.execute(f"PRAGMA cache_size = {-abs(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {before}")


def _insert(
    model: type[Any],
    columns: list[str],
    rows: list[tuple[Any, ...]],
    progress: Progress | None = None,
) -> None:
    """Insert plain tuples with one executemany per CHUNK rows (fields not given get defaults)."""
    table = Table(model, columns)
    for start in range(0, len(rows), CHUNK):
        table.write(rows[start : start + CHUNK])


def _absorb(into: _Row, other: _Row) -> None:
    """A second record of the same person in one file: fill blanks, add channels and tags."""
    for key, value in other.values.items():
        if value and not into.values.get(key):
            into.values[key] = value
    into.organization = into.organization or other.organization
    into.channels += [c for c in other.channels if c not in into.channels]
    into.tags = sorted(set(into.tags) | set(other.tags))
