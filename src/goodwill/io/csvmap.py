"""Any CSV, with a column mapping (``--map "Column=field"``) or a guessed one.

Delimiter (, ; TAB |) and encoding (UTF-8, UTF-8 with BOM, Windows-1252) are sniffed.
"""

from __future__ import annotations

import re

from .records import (
    Contact,
    Parsed,
    UnreadableFile,
    csv_rows,
    decode,
    head_lines,
    join,
    parse_any_date,
    sniff_delimiter,
)

# Fields a column can map to; "" ignores the column.
FIELDS = [
    "name", "first_name", "last_name", "email", "phone", "url", "organization", "title",
    "location", "notes", "birthday", "tags", "connected_on", "role", "tier", "stage",
    "source", "source_detail", "industry", "needs", "offers", "goals", "personal",
]  # fmt: skip
PERSON_FIELDS = {
    "role", "tier", "stage", "source", "source_detail", "industry", "needs", "offers",
    "goals", "personal",
}  # fmt: skip

# Normalized header words -> field; the first matching rule wins.
_GUESSES: list[tuple[str, str]] = [
    (r"^(full ?name|name|display ?name|contact)$", "name"),
    (r"^(first ?name|given ?name|first|forename)$", "first_name"),
    (r"^(last ?name|family ?name|surname|last)$", "last_name"),
    (r"e ?mail", "email"),
    (r"(phone|mobile|tel|cell)", "phone"),
    (r"(url|website|web ?site|linkedin|profile|homepage)", "url"),
    (r"(company|organi[sz]ation|employer|org$|firm)", "organization"),
    (r"(title|position|job|role at)", "title"),
    (r"(city|location|address|country)", "location"),
    (r"(note|comment|description)", "notes"),
    (r"(birthday|birth ?date|dob)", "birthday"),
    (r"(tags?|labels?|groups?)$", "tags"),
    (r"connected", "connected_on"),
    (r"^role$", "role"),
    (r"^tier$", "tier"),
    (r"^stage$", "stage"),
    (r"^source$", "source"),
    (r"industry", "industry"),
    (r"needs?", "needs"),
    (r"offers?", "offers"),
    (r"goals?", "goals"),
]


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Column -> field for every column whose name looks like a known field."""
    mapping: dict[str, str] = {}
    for column in columns:
        key = _norm(column)
        for pattern, name in _GUESSES:
            if key in ("role", "tier", "stage", "source") and name != key:
                continue
            if re.search(pattern, key):
                mapping[column] = name
                break
    return mapping


def parse_map(items: list[str], columns: list[str]) -> dict[str, str]:
    """``["Column=field", …]`` checked against the header and the known fields."""
    mapping: dict[str, str] = {}
    by_lower = {c.strip().lower(): c for c in columns}
    for item in items:
        column, sep, name = item.partition("=")
        if not sep:
            raise UnreadableFile(f'bad --map {item!r}: use "Column=field"')
        real = by_lower.get(column.strip().lower())
        if real is None:
            raise UnreadableFile(
                f"--map: no column {column.strip()!r} (columns: {', '.join(columns)})"
            )
        name = name.strip().lower().replace("-", "_").replace(" ", "_")
        if name not in ("", "ignore") and name not in FIELDS:
            raise UnreadableFile(f"--map: unknown field {name!r} (fields: {', '.join(FIELDS)})")
        mapping[real] = "" if name == "ignore" else name
    return mapping


_LIST_SEP = re.compile(r"[;,]| ::: ")
_TAG_SEP = re.compile(r"[;,|]| ::: ")


def _split(value: str, sep: re.Pattern[str], chars: str) -> list[str]:
    """``value`` split at ``sep`` (most cells hold one value: no regex for those)."""
    if " ::: " in value or any(c in value for c in chars):
        return sep.split(value)
    return [value]


def contact_from(line: int, values: dict[str, list[str]]) -> Contact:
    """A Contact from field -> values (several columns may map to one field)."""

    def one(name: str) -> str:
        found = values.get(name)
        if not found:
            return ""
        return found[0] if len(found) == 1 else join(*found)  # cells arrive stripped

    c = Contact(line=line)
    first, last = one("first_name"), one("last_name")  # stripped, like every cell
    c.name = one("name") or (f"{first} {last}" if first and last else first or last)
    if "email" in values:
        c.emails = [
            e.strip() for v in values["email"] for e in _split(v, _LIST_SEP, ";,") if e.strip()
        ]
    if "phone" in values:
        c.phones = [(p.strip(), "") for v in values["phone"] for p in v.split(" ::: ") if p.strip()]
    if "url" in values:
        c.urls = [(u.strip(), "") for v in values["url"] for u in v.split(" ::: ") if u.strip()]
    c.organization, c.title, c.location, c.notes = (
        one("organization"), one("title"), one("location"), one("notes"),
    )  # fmt: skip
    if "tags" in values:
        c.tags = [
            t.strip() for v in values["tags"] for t in _split(v, _TAG_SEP, ";,|") if t.strip()
        ]
    c.fields = {k: one(k) for k in values.keys() & PERSON_FIELDS}
    for key in ("birthday", "connected_on"):
        raw = one(key)
        if not raw:
            continue  # a Contact's dates start as None
        try:
            setattr(c, key, parse_any_date(raw))
        except ValueError as exc:
            c.error = f"{key.replace('_', ' ')}: {exc}"
        if key == "birthday" and raw.startswith("--"):
            c.fields["personal"] = join(c.fields.get("personal", ""), f"birthday {raw[2:]}")
    return c


def read_table(
    data: bytes, *, header_at: int = 0, text: str | None = None
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, rows) of a CSV file whose header is on physical line ``header_at`` (0-based);
    ``text`` is ``data`` already decoded, when the caller has it."""
    if text is None:
        text = decode(data)
    lines = head_lines(text, header_at + 1)
    if header_at >= len(lines):
        raise UnreadableFile("the file has no header line")
    delimiter = sniff_delimiter(lines[header_at])
    rows = csv_rows(text, skip=header_at, delimiter=delimiter)
    try:
        _, header = next(rows)
    except StopIteration:
        raise UnreadableFile("the file has no header line") from None
    header = [h.strip() for h in header]
    if len(header) < 2 and delimiter == ",":
        raise UnreadableFile("this does not look like a CSV file (one column, no delimiter)")
    return header, list(rows)


def contacts_from_rows(
    header: list[str], rows: list[tuple[int, list[str]]], mapping: dict[str, str]
) -> list[Contact]:
    index = [(i, name) for i, col in enumerate(header) if (name := mapping.get(col, ""))]
    width = len(header)
    contacts = []
    for line, cells in rows:
        if not "".join(cells).strip():
            continue
        values: dict[str, list[str]] = {}
        count = len(cells)
        for i, name in index:
            if i < count:
                cell = cells[i].strip()
                if cell:
                    if name in values:
                        values[name].append(cell)
                    else:
                        values[name] = [cell]
        contact = contact_from(line, values)
        if count > width and "".join(cells[width:]).strip():
            contact.error = f"{count} cells but the header has {width} columns"
        contacts.append(contact)
    return contacts


def parse(data: bytes, *, mapping: list[str] | None = None) -> Parsed:
    header, rows = read_table(data)
    chosen = guess_mapping(header)
    chosen.update(parse_map(mapping or [], header))
    if not any(
        chosen.get(c) in ("name", "first_name", "last_name", "email", "organization")
        for c in header
    ):
        raise UnreadableFile(
            'no column maps to a name, email or organization: use --map "Column=name"'
        )
    contacts = contacts_from_rows(header, rows, chosen)
    return Parsed("csv", contacts, columns=header, mapping={c: chosen.get(c, "") for c in header})
