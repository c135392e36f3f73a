"""vCard 4.0 (RFC 6350) output, readable by phones: escaped, folded at 75 octets, CRLF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from .records import split_name


@dataclass
class CardPerson:
    name: str
    organization: str = ""
    title: str = ""
    notes: str = ""
    birthday: dt.date | None = None
    emails: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    phones: list[tuple[str, str]] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    uid: str = ""


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )  # fmt: skip


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces without cutting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _typed(prop: str, value: str, label: str) -> str:
    safe = "".join(ch for ch in label.lower() if ch.isalnum() or ch == "-")
    return f"{prop};TYPE={safe}:{value}" if safe else f"{prop}:{value}"


def card(person: CardPerson) -> str:
    given, family = split_name(person.name)
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{escape(person.name)}"]
    lines.append(f"N:{escape(family)};{escape(given)};;;")
    if person.uid:
        lines.append(f"UID:{escape(person.uid)}")
    if person.organization:
        lines.append(f"ORG:{escape(person.organization)}")
    if person.title:
        lines.append(f"TITLE:{escape(person.title)}")
    lines += [_typed("EMAIL", escape(v), lab) for v, lab in person.emails]
    lines += [_typed("TEL", escape(v), lab) for v, lab in person.phones]
    lines += [_typed("URL", v.replace("\n", ""), lab) for v, lab in person.urls]
    if person.birthday:
        lines.append(f"BDAY:{person.birthday.strftime('%Y%m%d')}")
    if person.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in person.tags))
    if person.notes:
        lines.append(f"NOTE:{escape(person.notes)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def write(people: Iterable[CardPerson]) -> str:
    return "".join(card(p) for p in people)
