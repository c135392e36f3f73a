"""Google Contacts CSV, both the current export (``First Name``, ``E-mail 1 - Value``,
``Organization Name``, ``Labels``) and the older one (``Given Name``,
``Organization 1 - Name``, ``Group Membership``). Multiple values in one cell are
separated by `` ::: ``."""

from __future__ import annotations

import re

from .csvmap import contacts_from_rows, read_table
from .records import Parsed, UnreadableFile

_RULES: list[tuple[str, str]] = [
    (r"^name$", "name"),
    (r"^(first|given) name$", "first_name"),
    (r"^(last|family) name$", "last_name"),
    (r"^e-mail \d+ - value$", "email"),
    (r"^phone \d+ - value$", "phone"),
    (r"^website \d+ - value$", "url"),
    (r"^organization( 1)? - name$|^organization name$", "organization"),
    (r"^organization( 1)? - title$|^organization title$", "title"),
    (r"^address 1 - (formatted|city)$", "location"),
    (r"^notes$", "notes"),
    (r"^birthday$", "birthday"),
    (r"^(labels|group membership)$", "tags"),
]
_SYSTEM_LABELS = {"* mycontacts", "* starred", "* other contacts", "mycontacts", "starred"}


def parse(data: bytes, *, mapping: list[str] | None = None) -> Parsed:
    header, rows = read_table(data)
    chosen: dict[str, str] = {}
    for col in header:
        for pattern, name in _RULES:
            if re.match(pattern, col.strip().lower()):
                chosen[col] = name
                break
    if not {"first_name", "name", "email"} & set(chosen.values()):
        raise UnreadableFile(
            "not a Google Contacts CSV: no 'First Name' or 'E-mail 1 - Value' column"
        )
    contacts = contacts_from_rows(header, rows, chosen)
    for c in contacts:
        c.tags = [t.lstrip("* ").strip() for t in c.tags if t.strip().lower() not in _SYSTEM_LABELS]
    return Parsed(
        "google", contacts, columns=header, mapping={c: chosen.get(c, "") for c in header}
    )
