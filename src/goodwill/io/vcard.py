"""vCard 2.1, 3.0 and 4.0 as phones, Google, Apple and Outlook write them.

vobject parses each card; a pre-pass first fixes what it gets wrong:
folded lines and 2.1 QUOTED-PRINTABLE soft line breaks are joined, QP values
are decoded with their CHARSET, bare 2.1 parameters (``TEL;WORK;VOICE``) become
``TYPE=``, a BOM is dropped, PHOTO/LOGO/SOUND/KEY lines are skipped (a photo
never breaks an import), and bare commas in single-valued text properties are
escaped (vobject would keep only the text before the first). Each card is parsed
alone, so one bad card is reported with its number and the others still import.
"""

from __future__ import annotations

import quopri
import re
from typing import Any

import vobject
from vobject.base import parseParams
from vobject.vcard import ADDRESS_ORDER, NAME_ORDER, Address, Name

from .records import Contact, Parsed, UnreadableFile, decode, join, parse_any_date

_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_PARAM_NAME = re.compile(r"[A-Z0-9-]+")
_LINE = re.compile(
    r"^(?:(?P<group>[A-Za-z0-9-]+)\.)?(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[^:]*)?):(?P<value>.*)$",
    re.S,
)
# Properties whose value is one text, or for N/ADR/ORG ;-separated texts: a comma in
# them is part of the text. RFC 6350/2426 want it escaped, but phones, Outlook, older
# Google exports and vCard 2.1 in general write it bare, and vobject would keep only
# what comes before it. List properties (CATEGORIES, NICKNAME) still split on commas.
_TEXT = {"FN", "N", "NOTE", "TITLE", "ROLE", "ORG", "ADR", "LABEL"}
_LISTS = {"CATEGORIES", "NICKNAME"}
_BARE_COMMA = re.compile(r"(\\.)|,", re.S)


def _unfold(text: str) -> list[tuple[int, str]]:
    """Logical lines with the physical line number they start on."""
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if logical:
            prev = logical[-1][1]
            if prev.endswith("=") and "QUOTED-PRINTABLE" in prev.split(":", 1)[0].upper():
                logical[-1] = (logical[-1][0], prev[:-1] + line)
                continue
            if line[:1] in (" ", "\t"):
                logical[-1] = (logical[-1][0], prev + line[1:])
                continue
        if line.strip():
            logical.append((number, line))
    return logical


def _decode_qp(value: str, charset: str) -> str:
    raw = quopri.decodestring(value.encode("utf-8", "surrogateescape"))
    for codec in (charset or "utf-8", "utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")  # pragma: no cover - latin-1 decodes anything


def _keep_commas(name: str, value: str) -> str:
    """The value with its unescaped commas escaped when ``name`` is a text property."""
    if "," not in value or not (name in _TEXT or name.startswith("X-")):
        return value
    if "\\" not in value:
        return value.replace(",", "\\,")
    return _BARE_COMMA.sub(lambda m: m[1] or "\\,", value)  # an escape stays as it is


def _clean(line: str) -> str | None:
    """One content line as vobject reads it (3.0 style), or None to skip it."""
    m = _LINE.match(line)
    if m is None:
        return None  # not a content line: vobject would reject the whole card
    name = m["name"].upper()
    if name in _BINARY:
        return None
    if name == "VERSION":
        return "VERSION:3.0"
    if not m["params"]:  # the common case: nothing to rewrite
        value = _keep_commas(name, m["value"])
        return f"{m['group']}.{name}:{value}" if m["group"] else f"{name}:{value}"
    params: list[str] = []
    encoding, charset = "", ""
    for param in filter(None, m["params"].split(";")):
        key, sep, val = param.partition("=")
        key = key.strip().upper()
        if not sep:
            if key in _ENCODINGS:
                encoding = key
            elif key:
                params.append(f"TYPE={key}")
        elif key == "ENCODING":
            encoding = val.strip().upper()
        elif key == "CHARSET":
            charset = val.strip()
        elif key and _PARAM_NAME.fullmatch(key):
            params.append(f"{key}={val}")
    value = m["value"]
    if encoding == "QUOTED-PRINTABLE":  # the decoded text is literal: escape it all
        value = _decode_qp(value, charset).replace("\\", "\\\\")
        if name not in _LISTS:
            value = value.replace(",", "\\,")
        if name not in ("N", "ADR", "ORG"):
            value = value.replace(";", "\\;")
        value = value.replace("\r\n", "\\n").replace("\n", "\\n")
    else:
        value = _keep_commas(name, value)
    group = f"{m['group']}." if m["group"] else ""
    return f"{group}{name}{''.join(';' + p for p in params)}:{value}"


def _cards(text: str) -> list[tuple[int, list[str], int]]:
    """(card number, cleaned lines, skipped binary lines) for each BEGIN:VCARD … END:VCARD."""
    cards: list[tuple[int, list[str], int]] = []
    current: list[str] | None = None
    skipped = 0
    for _, line in _unfold(text):
        stripped = line.strip()
        upper = stripped.upper() if len(stripped) <= 11 else ""  # only BEGIN/END:VCARD matter
        if upper == "BEGIN:VCARD":
            current, skipped = ["BEGIN:VCARD"], 0
        elif upper == "END:VCARD" and current is not None:
            current.append("END:VCARD")
            if not any(x.startswith("VERSION:") for x in current):
                current.insert(1, "VERSION:3.0")
            cards.append((len(cards) + 1, current, skipped))
            current = None
        elif current is not None:
            cleaned = _clean(line)
            if cleaned is None:
                upper = stripped.upper()
                skipped += re.match(r"^(?:[\w-]+\.)?(PHOTO|LOGO|SOUND|KEY)\b", upper) is not None
            else:
                current.append(cleaned)
    return cards


def _label(line: Any, labels: dict[str, str]) -> str:
    if line.group and line.group.lower() in labels:
        return labels[line.group.lower()]
    types = [t for v in line.params.get("TYPE", []) for t in str(v).split(",")]
    types = [t for t in types if t.lower() not in ("internet", "pref", "voice", "x400")]
    return types[0].lower() if types else ""


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v)
    return str(value or "").strip()


def _contact(number: int, card: Any) -> Contact:
    c = Contact(line=number)
    children = list(card.getChildren())
    labels = {
        ch.group.lower(): re.sub(r"^_\$!<(.*)>!\$_$", r"\1", _text(ch.value)).lower()
        for ch in children
        if ch.name.upper() == "X-ABLABEL" and ch.group
    }
    given = family = ""
    for ch in children:
        name, value = ch.name.upper(), ch.value
        if name == "FN":
            c.name = _text(value)
        elif name == "N":
            if hasattr(value, "given"):
                given = join(_text(value.prefix), _text(value.given), _text(value.additional))
                family = join(_text(value.family), _text(value.suffix))
            else:
                parts = _text(value).split(";")
                given, family = join(*parts[1:2]), join(*parts[:1])
        elif name == "EMAIL" and _text(value):
            c.emails.append(_text(value))
        elif name == "TEL" and _text(value):
            c.phones.append((_text(value).removeprefix("tel:"), _label(ch, labels)))
        elif name == "URL" and _text(value):
            c.urls.append((_text(value), _label(ch, labels)))
        elif name == "ORG":
            units = value if isinstance(value, list) else str(value).split(";")
            units = [str(u).strip() for u in units if str(u).strip()]
            if units:
                c.organization = units[0]
                if units[1:]:
                    c.fields["personal"] = join(
                        c.fields.get("personal", ""), "department: " + ", ".join(units[1:])
                    )
        elif name == "TITLE":
            c.title = _text(value)
        elif name == "NOTE":
            c.notes = join(c.notes, _text(value))
        elif name == "ADR" and hasattr(value, "city"):
            c.location = ", ".join(p for p in (_text(value.city), _text(value.country)) if p)
        elif name == "CATEGORIES":
            c.tags += [
                t.strip()
                for t in (value if isinstance(value, list) else str(value).split(","))
                if t.strip()
            ]
        elif name == "BDAY":
            raw = _text(value)
            try:
                c.birthday = parse_any_date(raw)
            except ValueError:
                c.error = f"card {number}: bad BDAY {raw!r}"
            if raw.startswith("--"):
                md = raw[2:].replace("-", "")
                c.fields["personal"] = join(
                    c.fields.get("personal", ""), f"birthday {md[:2]}-{md[2:4]}"
                )
    c.name = c.name or join(given, family) or c.organization or (c.emails[0] if c.emails else "")
    return c


def parse(data: bytes, *, mapping: list[str] | None = None) -> Parsed:
    text = decode(data)
    cards = _cards(text)
    if not cards:
        raise UnreadableFile("not a vCard file: no BEGIN:VCARD … END:VCARD found")
    contacts: list[Contact] = []
    photos = 0
    for number, lines, skipped in cards:
        photos += skipped
        try:
            card = _read_plain(lines)
            if card is None:
                card = vobject.readOne("\r\n".join(lines) + "\r\n", ignoreUnreadable=True)
            contacts.append(_contact(number, card))
        except Exception as exc:  # noqa: BLE001  (vobject raises many kinds; one bad card is reported)
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            contacts.append(
                Contact(line=number, error=f"card {number}: cannot read it ({message[:120]})")
            )
    notes = [f"{photos} photo(s) skipped"] if photos else []
    return Parsed("vcard", contacts, notes=notes)


# The fast path. vobject reads a card one character at a time, which makes it the
# slowest part of an import; most cards (after the pre-pass) are plain content lines
# that vobject would read in a way simple enough to do directly. _read_plain gives
# exactly what vobject gives for those (the same names, groups, parameters and
# decoded values, in the same order) and leaves every other card to vobject.

# A content line whose parameters are all NAME=value[,value] (values bare or quoted).
_PLAIN = re.compile(
    r"(?:(?P<group>[A-Za-z0-9-]+)\.)?(?P<name>[A-Za-z0-9-]+)"
    r'(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*)'
    r":(?P<value>[^\r\n]*)",
)
# Lines vobject treats specially (components, profiles) or whose values it transforms
# in ways _contact does not expect to see from this path.
_NOT_PLAIN = {"BEGIN", "END", "PROFILE", "GEO", "PHOTO"}
_ESCAPABLE = '\\;,Nn"'  # vobject's escapable characters for text values
_TOKENS = {sep: re.compile(rf"(\\.|\\\Z|{sep})", re.S) for sep in ",;"}


class _Line:
    """A content line as _contact reads it from vobject: name, group, params, value."""

    __slots__ = ("group", "name", "params", "value")

    def __init__(self, name: str, group: str | None, params: dict[str, list[str]], value: Any):
        self.name, self.group, self.params, self.value = name, group, params, value


class _Card:
    def __init__(self, children: list[_Line]) -> None:
        self.children = children

    def getChildren(self) -> list[_Line]:  # noqa: N802  (vobject's name)
        return self.children


def _text_values(value: str, sep: str = ",", escapable: str = _ESCAPABLE) -> list[str]:
    """vobject's ``stringToTextValues`` (unescape, split at unescaped ``sep``), its quirks
    included (an unknown escape is kept, a trailing backslash reads as "\\eof")."""
    if "\\" not in value:
        parts = value.split(sep)
    else:
        parts, current = [], []
        for token in _TOKENS[sep].split(value):
            if not token:
                continue
            if token == sep:
                parts.append("".join(current))
                current = []
            elif token[0] == "\\":
                if len(token) == 1:
                    current.append("\\eof")
                elif token[1] in escapable:
                    current.append("\n" if token[1] in "nN" else token[1])
                else:
                    current.append(token)
            else:
                current.append(token)
        parts.append("".join(current))
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return parts


def _fields(value: str) -> list[Any]:
    """vobject's ``splitFields``: ``;``-separated fields, each a string or a list."""
    out: list[Any] = []
    for part in _text_values(value, ";", ";"):
        values = _text_values(part)
        out.append(values[0] if len(values) == 1 else values)
    return out


def _read_plain(lines: list[str]) -> _Card | None:
    """The card as vobject would read it, or None when vobject must read it."""
    groups: dict[str, list[_Line]] = {}  # vobject keeps children by name, first seen first
    for text in lines[1:-1]:
        m = _PLAIN.fullmatch(text)
        if m is None:
            return None
        name, value = m["name"].upper(), m["value"]
        if name in _NOT_PLAIN:
            return None
        params: dict[str, list[str]] = {}
        if m["params"]:
            for key, *values in parseParams(m["params"]):
                if not values:
                    return None  # a parameter without a value: vobject's singleton rules
                params.setdefault(key.upper(), []).extend(values)
        decoded: Any
        if name == "VERSION":
            decoded = value
        elif name == "N":
            decoded = Name(**dict(zip(NAME_ORDER, _fields(value), strict=False)))
        elif name == "ADR":
            decoded = Address(**dict(zip(ADDRESS_ORDER, _fields(value), strict=False)))
        elif name == "ORG":
            decoded = _fields(value)
        elif name == "CATEGORIES":
            decoded = _text_values(value)
        else:
            decoded = _text_values(value)[0]
        groups.setdefault(name.lower(), []).append(_Line(name, m["group"], params, decoded))
    return _Card([line for same in groups.values() for line in same])
