"""Plain records every parser produces, and the text helpers they share.

No Django here: a parser turns bytes into :class:`Parsed` (contacts with the
line or card number they came from); ``services.importing`` saves them.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache


class UnreadableFile(ValueError):
    """The whole file cannot be read (wrong format, binary, empty): one clear line."""


@dataclass(slots=True)
class Contact:
    """One person as a file describes them. ``line`` is the line (CSV) or card (vCard) number."""

    line: int
    name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    urls: list[tuple[str, str]] = field(default_factory=list)
    organization: str = ""
    title: str = ""
    location: str = ""
    notes: str = ""
    birthday: dt.date | None = None
    connected_on: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    # Other person fields by name (role, tier, stage, source, industry, needs, …), validated later.
    fields: dict[str, str] = field(default_factory=dict)
    error: str = ""  # set when this record is bad; the rest of the file still imports

    def is_empty(self) -> bool:
        return not (self.name or self.emails or self.organization or self.phones or self.urls)


@dataclass
class Parsed:
    format: str
    contacts: list[Contact]
    columns: list[str] = field(default_factory=list)  # CSV header, for the preview
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field (CSV formats)
    notes: list[str] = field(default_factory=list)  # e.g. "3 photos skipped"


_CP1252_HOLES = re.compile(b"[\x81\x8d\x8f\x90\x9d]")


def decode(data: bytes) -> str:
    """Text of a file in UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _text(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise UnreadableFile("the file is not valid UTF-16 text") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        codec = "latin-1" if _CP1252_HOLES.search(data) else "cp1252"
        text = data.decode(codec)
    return _text(text)


def _text(text: str) -> str:
    if "\x00" in text:
        raise UnreadableFile("this is a binary file, not text")
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\r\n\t\f\v")
    if controls > 8:
        raise UnreadableFile("this is a binary file, not text")
    return text


def head_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting the whole of a large file."""
    end = -1
    for _ in range(count):
        end = text.find("\n", end + 1)
        if end < 0:
            return text.splitlines()[:count]
    return text[: end + 1].splitlines()[:count]


def sniff_delimiter(header_line: str) -> str:
    """The delimiter a header line uses: the most frequent of , ; TAB | outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(text: str, *, skip: int = 0, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each CSV record, starting after ``skip`` physical lines."""
    lines = text.splitlines(keepends=True)[skip:]
    reader = csv.reader(lines, delimiter=delimiter)
    start = skip + 1
    try:
        for row in reader:
            yield start, row
            start = skip + reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(f"line {start}: cannot read CSV ({exc})") from None


_DMY = re.compile(r"(\d{1,2}) ([A-Za-z]{3}) (\d{4})")
_MONTH_NUMBERS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_MONTHS = "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"


@lru_cache(maxsize=8192)  # a file repeats its dates (LinkedIn: a few thousand days)
def parse_any_date(value: str) -> dt.date | None:
    """A date as files write them (2023-03-07, 20230307, 07 Mar 2023, Mar 7, 2023, …);
    None when there is none or it has no year. Raises ValueError when it is not a date."""
    text = value.strip()
    if not text or text.startswith("--"):
        return None
    quick = _DMY.fullmatch(text)  # LinkedIn's "07 Mar 2023", the common case, fast
    if quick and quick[2].lower() in _MONTH_NUMBERS:
        return dt.date(int(quick[3]), _MONTH_NUMBERS[quick[2].lower()], int(quick[1]))
    text = re.sub(r"T.*$", "", text) if re.match(r"^\d{4}-?\d{2}-?\d{2}T", text) else text
    if re.fullmatch(r"\d{8}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _MONTHS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"bad date {value!r}")


def split_name(name: str) -> tuple[str, str]:
    """(given, family) of a full name: the last word is the family name."""
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    return " ".join(parts[:-1]), parts[-1]


def join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())
