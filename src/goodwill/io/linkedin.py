"""LinkedIn's ``Connections.csv`` as its data export writes it.

The file starts with a few "Notes:" lines, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``;
emails are often empty and dates read like ``07 Mar 2023``.
"""

from __future__ import annotations

from .csvmap import contacts_from_rows, read_table
from .records import Parsed, UnreadableFile, decode, head_lines

MAPPING = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "URL": "url",
    "Email Address": "email",
    "Company": "organization",
    "Position": "title",
    "Connected On": "connected_on",
}


def _header_line(text: str) -> int:
    for i, line in enumerate(head_lines(text, 50)):
        cells = line.replace('"', "").lower()
        if "first name" in cells and "last name" in cells:
            return i
    raise UnreadableFile(
        "not a LinkedIn Connections.csv: no 'First Name,Last Name,…' header in the first 50 lines"
    )


def parse(data: bytes, *, mapping: list[str] | None = None) -> Parsed:
    text = decode(data)
    header, rows = read_table(data, header_at=_header_line(text), text=text)
    chosen = {col: MAPPING[col] for col in header if col in MAPPING}
    contacts = contacts_from_rows(header, rows, chosen)
    for c in contacts:
        c.fields["source"] = "linkedin"
        c.urls = [(u, "linkedin") for u, _ in c.urls]
        c.fields["stage"] = "connected" if c.connected_on else "identified"
    return Parsed(
        "linkedin", contacts, columns=header, mapping={c: chosen.get(c, "") for c in header}
    )
